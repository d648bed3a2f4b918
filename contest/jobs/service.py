"""Running jobs: record, hand over, run, report progress, finish with a file or a Vietnamese error.

A job is a row in ``jobs``; the request that starts one only writes that row and hands the id over, so no
request holds a worker while the work runs. Where it runs (``JOBS_RUN``):

- ``rq``: on the RQ queue ``hoithi`` in Redis (``flask jobs worker`` runs them); the default when REDIS_URL
  is set. If Redis refuses the job, it falls back to a thread rather than lose it.
- ``thread``: in a thread of the app process that accepted it; the default without Redis (one box).
- ``inline``: inside the call that submits it (tests, and the command line).

``auto`` (the default) picks ``rq`` or ``thread``. A process that dies mid-job leaves it ``running``;
``flask jobs sweep`` (the minute timer) marks such stale jobs failed and deletes old result files.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update

from contest import clock
from contest.extensions import db
from contest.jobs.handover import sweep_handed
from contest.jobs.kinds import (
    run_bank_check_job,
    run_bank_import_job,
    run_export_job,
    run_recompute_job,
    run_roster_import_job,
    run_units_import_job,
)
from contest.jobs.models import Job
from contest.jobs.progress import JobFailed, Progress

log = logging.getLogger(__name__)

QUEUE = "hoithi"
# Each kind's runner: runner(job, progress) -> Outcome.
RUNNERS: dict[str, Callable] = {"export": run_export_job, "recompute": run_recompute_job,
                                "bank_check": run_bank_check_job, "bank_import": run_bank_import_job,
                                "roster_import": run_roster_import_job, "units_import": run_units_import_job}
GENERIC_ERROR = ("Công việc gặp lỗi ngoài dự kiến và đã dừng. Vui lòng thử lại; nếu vẫn lỗi, báo quản trị hệ "
                 "thống (chi tiết đã ghi vào nhật ký máy chủ).")
STALE_ERROR = "Công việc bị gián đoạn (máy chủ xử lý đã khởi động lại). Vui lòng chạy lại."


def run_mode(config) -> str:
    """Where jobs run: ``rq``, ``thread`` or ``inline``."""
    mode = (config.get("JOBS_RUN") or "auto").strip().lower()
    if mode == "auto":
        return "rq" if config.get("REDIS_URL") else "thread"
    if mode not in ("rq", "thread", "inline"):
        raise ValueError(f"JOBS_RUN={mode!r}: expected auto, rq, thread or inline")
    return mode


def submit_job(kind: str, params: dict[str, Any], owner, title: str, mode: str | None = None) -> Job:
    """Record a job for ``owner`` (None: the command line) and hand it over (``mode``: where it runs, see
    :func:`run_mode`); the one commit of the use case is the job's row, made before the handover so that
    the worker finds it."""
    if kind not in RUNNERS:
        raise JobFailed(f"Không có loại công việc “{kind}”.")
    job = Job(kind=kind, title=title[:300], status="queued", progress=0, params=params,
              owner_id=getattr(owner, "id", None), created_at=clock.now())
    db.session.add(job)
    db.session.commit()
    dispatch(job.id, mode)
    return job


def dispatch(job_id: int, mode: str | None = None) -> None:
    """Hand job ``job_id`` to where it runs (see the module's docstring)."""
    app = current_app._get_current_object()
    mode = mode or run_mode(app.config)
    if mode == "rq":
        try:
            rq_queue(app, waiting=False).enqueue(
                "contest.jobs.service.perform_queued", job_id,
                job_timeout=int(app.config.get("JOBS_TIMEOUT_SECONDS", 1800)), result_ttl=0, failure_ttl=86_400)
            return
        except Exception as exc:  # Redis down: run it here rather than lose it
            log.warning("job %s: Redis refused it (%s); running it in this process", job_id, exc)
            mode = "thread"
    if mode == "thread":
        thread = threading.Thread(target=_perform_in, args=(app, job_id), name=f"hoithi-job-{job_id}",
                                  daemon=True)
        # The threads still running, by job (tests join them); finished ones are let go.
        running = {k: t for k, t in app.extensions.get("hoithi_job_threads", {}).items() if t.is_alive()}
        running[job_id] = thread
        app.extensions["hoithi_job_threads"] = running
        thread.start()
    else:
        perform(job_id)


def rq_queue(app: Flask, waiting: bool = True):
    """The RQ queue of this deployment (REDIS_URL). ``waiting=False`` (a request handing a job over): give up
    on an unreachable Redis within seconds rather than hold the worker; the job worker itself blocks on the
    queue and must not time out."""
    from redis import Redis
    from rq import Queue

    timeouts = {} if waiting else {"socket_connect_timeout": 2, "socket_timeout": 5}
    return Queue(QUEUE, connection=Redis.from_url(app.config["REDIS_URL"], **timeouts))


def _perform_in(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            perform(job_id)
        finally:
            db.session.remove()


def perform_queued(job_id: int) -> None:
    """The RQ entry point (``flask jobs worker``): run the job, then leave no session behind for the next."""
    try:
        perform(job_id)
    finally:
        db.session.remove()


def _runner(kind: str) -> Callable:
    return RUNNERS[kind]


def perform(job_id: int) -> None:
    """Run job ``job_id`` if it is still queued (a job handed over twice runs once): running, then done with
    its file, or failed with a Vietnamese message (and one log entry with the traceback for the admins)."""
    claimed = db.session.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                                 .values(status="running", progress=1, started_at=clock.now()))
    db.session.commit()
    if claimed.rowcount != 1:
        return
    job = db.session.get(Job, job_id)
    error, kind = None, job.kind  # (after a failed flush the job row cannot be read until the rollback)
    try:
        outcome = _runner(kind)(job, Progress(job_id))
    except JobFailed as exc:
        error = str(exc)
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        error = GENERIC_ERROR
    if error is not None:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.error = "failed", error
    else:
        job = db.session.get(Job, job_id)
        job.status, job.progress = "done", 100
        job.result_path, job.filename, job.mimetype = outcome.path, outcome.filename, outcome.mimetype
    job.finished_at = clock.now()
    db.session.commit()


def job_of(job_id: int, user) -> Job | None:
    """Job ``job_id`` if ``user`` may see it (they started it), else None: nobody else learns it exists."""
    job = db.session.get(Job, job_id)
    if job is None or user is None or job.owner_id is None or job.owner_id != user.id:
        return None
    return job


def recent_jobs(user, limit: int = 10) -> list[Job]:
    """The user's latest jobs, newest first."""
    return list(db.session.scalars(select(Job).where(Job.owner_id == user.id)
                                   .order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)))


def result_file(job: Job) -> Path | None:
    """The job's file if it is done and the file is still there."""
    if job.status != "done" or not job.result_path:
        return None
    path = Path(job.result_path)
    return path if path.is_file() else None


def sweep_jobs(stale_after: timedelta, keep_for: timedelta) -> tuple[int, int]:
    """Mark jobs running or queued for longer than ``stale_after`` failed (their process died), and delete
    the files of jobs finished more than ``keep_for`` ago, and uploads handed to jobs that never read them
    (:func:`contest.jobs.handover.sweep_handed`, their process died) older than that. One commit. Returns
    (failed, files deleted)."""
    now = clock.now()
    stale = db.session.execute(update(Job).where(Job.status.in_(("queued", "running")),
                                                 Job.created_at < now - stale_after)
                               .values(status="failed", error=STALE_ERROR, finished_at=now))
    deleted = 0
    for job in db.session.scalars(select(Job).where(Job.status == "done", Job.result_path.is_not(None),
                                                    Job.finished_at < now - keep_for)):
        Path(job.result_path).unlink(missing_ok=True)
        job.result_path = None
        deleted += 1
    deleted += sweep_handed((now - keep_for).timestamp())
    db.session.commit()
    return stale.rowcount, deleted
