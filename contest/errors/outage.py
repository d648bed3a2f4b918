"""Whether the database is in an outage, as seen by this process: one log line when an outage starts and one
when it ends, however many requests fail in between.

The state is per process (each gunicorn worker keeps its own), held in memory, and guarded by a lock so that
threaded workers agree on which request opened or closed the outage. Nothing here touches Flask or the
database: the error handlers tell it what they saw.
"""

from __future__ import annotations

import threading


class Outage:
    """An outage opens on the first failure and closes on the next success; each transition is reported once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = False
        self.failures = 0

    @property
    def active(self) -> bool:
        """True between a failure and the next success (read without the lock: a stale answer only delays
        the recovery line to the next request)."""
        return self._active

    def failed(self) -> bool:
        """Record a failure; True only for the failure that opens an outage (the one to log)."""
        with self._lock:
            self.failures += 1
            if self._active:
                return False
            self._active = True
            self.failures = 1
            return True

    def succeeded(self) -> int:
        """Record a success; the number of failures of the outage it closes (0 when none was open: log nothing)."""
        if not self._active:
            return 0
        with self._lock:
            if not self._active:
                return 0
            self._active = False
            return self.failures

    def reset(self) -> None:
        """Forget any outage (tests start from a healthy database)."""
        with self._lock:
            self._active = False
            self.failures = 0


# The process's one view of the database.
DATABASE = Outage()
