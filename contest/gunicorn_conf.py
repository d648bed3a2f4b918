"""Production settings for gunicorn: ``gunicorn -c python:contest.gunicorn_conf wsgi:app``.

Sync workers, one per core (at least two): requests are short (an autosave is one SQL statement) and a
buffering proxy (nginx) in front absorbs slow phones. Measured with `make bench`: on SQLite more processes
only wait longer for its single writer; on PostgreSQL raise GUNICORN_WORKERS to 2 × cores + 1.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count())))
worker_class = "sync"
threads = 1
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 20_000
max_requests_jitter = 2_000
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
