"""With REDIS_URL, a large bank file's check waits on the RQ queue until ``flask jobs worker`` runs it (a process
that did not stage the upload, sharing only the database, Redis and the jobs folder); meanwhile the preview says
the file is being checked. A real redis-server on a free loopback port."""

from __future__ import annotations

import io
from pathlib import Path

from tests.jobs.test_bank_import_jobs_on_redis import signed_in_client
from tests.jobs.test_jobs_on_redis import free_port, job_status, pytestmark, redis_url  # noqa: F401

DATA = Path(__file__).resolve().parents[1] / "data"


def large_upload(client) -> str:
    payload = {"file": (io.BytesIO((DATA / "bank-good.xlsx").read_bytes()), "bank-good.xlsx"), "bank_name": "so-tay"}
    return client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data").headers["Location"]


def test_with_redis_the_check_waits_in_the_queue_until_the_worker_runs_it(app, make_app, make_user, redis_url,  # noqa: F811
                                                                           tmp_path):
    rq_app = make_app(JOBS_RUN="auto", REDIS_URL=redis_url, BANK_CHECK_JOB_BYTES=1_000,
                      JOBS_FOLDER=str(tmp_path / "shared-jobs"))
    client = signed_in_client(rq_app, make_user)
    preview_url = large_upload(client)
    waiting = client.get(preview_url).get_data(as_text=True)
    worker_app = make_app(REDIS_URL=redis_url, JOBS_FOLDER=str(tmp_path / "shared-jobs"))
    with worker_app.app_context():
        result = worker_app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    checked = client.get(preview_url).get_data(as_text=True)
    assert "Đang kiểm tra tệp" in waiting and "Xác nhận nhập 4 câu hỏi" in checked


def test_with_redis_down_the_app_runs_the_check_itself(app, make_app, make_user):
    down_app = make_app(JOBS_RUN="rq", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", BANK_CHECK_JOB_BYTES=1_000)
    with down_app.app_context():
        client = signed_in_client(down_app, make_user)
        preview_url = large_upload(client)
        for thread in list(down_app.extensions["hoithi_job_threads"].values()):
            thread.join(timeout=60)
        assert "Xác nhận nhập 4 câu hỏi" in client.get(preview_url).get_data(as_text=True)
