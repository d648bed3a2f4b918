"""With REDIS_URL, a large bank import waits on the RQ queue until ``flask jobs worker`` runs it (a process that
did not stage the upload); with Redis down, the app runs it itself. A real redis-server on a free loopback port."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from contest.banks.models import Bank, Question
from contest.extensions import db
from tests.jobs.test_jobs_on_redis import free_port, job_status, pytestmark, redis_url  # noqa: F401

DATA = Path(__file__).resolve().parents[1] / "data"


def signed_in_client(app, make_user):
    make_user(role="organiser", login="btc")
    client = app.test_client()
    client.post("/login", data={"login": "btc", "password": "mat-khau-an-toan"})
    return client


def confirm_large_import(client) -> int:
    payload = {"file": (io.BytesIO((DATA / "bank-good.xlsx").read_bytes()), "bank-good.xlsx"), "bank_name": "so-tay"}
    preview_url = client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data").headers["Location"]
    client.get(preview_url)
    response = client.post(preview_url + "/import")
    return int(response.headers["Location"].split("/admin/jobs/")[1])


def stored_questions() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Question.id)).join(Bank).where(Bank.name == "so-tay"))


def test_with_redis_the_import_waits_in_the_queue_until_the_worker_runs_it(app, make_app, make_user, redis_url,  # noqa: F811
                                                                            tmp_path):
    # The worker shares nothing with the app server but the database, Redis and the jobs folder.
    rq_app = make_app(JOBS_RUN="auto", REDIS_URL=redis_url, BANK_IMPORT_JOB_QUESTIONS=1,
                      JOBS_FOLDER=str(tmp_path / "shared-jobs"))
    client = signed_in_client(rq_app, make_user)
    job_id = confirm_large_import(client)
    queued, before = job_status(job_id), stored_questions()
    worker_app = make_app(REDIS_URL=redis_url, JOBS_FOLDER=str(tmp_path / "shared-jobs"))
    with worker_app.app_context():
        result = worker_app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert (queued, before, job_status(job_id), stored_questions()) == ("queued", 0, "done", 4)


def test_with_redis_down_the_app_runs_the_import_itself(app, make_app, make_user):
    down_app = make_app(JOBS_RUN="rq", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", BANK_IMPORT_JOB_QUESTIONS=1)
    with down_app.app_context():
        client = signed_in_client(down_app, make_user)
        job_id = confirm_large_import(client)
        down_app.extensions["hoithi_job_threads"][job_id].join(timeout=60)
        assert (job_status(job_id), stored_questions()) == ("done", 4)
