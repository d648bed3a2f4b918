"""Backups and restores of the whole database, safe while the app is serving.

A file copy of a live SQLite database misses what is still in its write-ahead log (the answers of the last
seconds), so SQLite is copied through its online backup API, which sees exactly the committed state at one
moment. PostgreSQL is dumped with ``pg_dump`` (custom format) and restored with ``pg_restore``.
"""
