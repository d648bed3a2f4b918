"""What a job's runner works with: its progress bar, its outcome, its refusal, the folder of result files
(apart from the service that runs jobs, so that the runners and the service import one way only)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import update

from contest.extensions import db
from contest.jobs.models import Job


class JobFailed(Exception):
    """The job cannot finish; the message is for its owner, in Vietnamese."""


@dataclass
class Outcome:
    """What a finished job produced: a file to download, or nothing (``path`` None)."""

    path: str | None = None
    filename: str | None = None
    mimetype: str | None = None


class Progress:
    """Report progress (0–100) on its own short connection, at most once a second: the runner's own
    transaction stays untouched, and a page on another server sees the bar move."""

    def __init__(self, job_id: int, interval: float = 1.0):
        self.job_id, self.interval, self.last, self.value = job_id, interval, 0.0, 0

    def __call__(self, value: int, force: bool = False) -> None:
        value = max(1, min(99, int(value)))
        moment = time.monotonic()
        if value <= self.value or (not force and moment - self.last < self.interval):
            return
        self.value, self.last = value, moment
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.job_id, Job.status == "running")
                               .values(progress=value))


def jobs_folder(app: Flask | None = None) -> Path:
    """Where result files are written (JOBS_FOLDER; instance/jobs by default). With several app servers on
    several machines it must be shared storage, since the server that hands a file over may not be the one
    that wrote it."""
    app = app or current_app
    folder = Path(app.config.get("JOBS_FOLDER") or Path(app.instance_path) / "jobs")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
