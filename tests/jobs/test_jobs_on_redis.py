"""With REDIS_URL, jobs go to the RQ queue and ``flask jobs worker`` runs them; with Redis down, the app runs
the job itself rather than lose it. A real redis-server on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.jobs.models import Job

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None and not os.environ.get("REQUIRE_REDIS"),
                       reason="redis-server is not installed (set REQUIRE_REDIS=1 to make this a failure)"),
    pytest.mark.realtime,  # a real server waited on with time.sleep; see pyproject.toml
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def signed_in_client(app, make_user):
    make_user(role="organiser", login="btc")
    client = app.test_client()
    client.post("/login", data={"login": "btc", "password": "mat-khau-an-toan"})
    return client


def job_status(job_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Job.status).where(Job.id == job_id))


def test_with_redis_the_job_waits_in_the_queue_until_the_worker_runs_it(app, make_app, make_user, ward,
                                                                         redis_url):
    rq_app = make_app(JOBS_RUN="auto", REDIS_URL=redis_url)
    client = signed_in_client(rq_app, make_user)  # requests get their own app context, as in a server
    response = client.post("/admin/exports/unit-stats/job", data={"fmt": "xlsx", "round": ward["round"].id})
    job_id = int(response.headers["Location"].split("/admin/jobs/")[1].split("?")[0])
    queued = job_status(job_id)
    with rq_app.app_context():  # the worker, in an app context of its own
        result = rq_app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    done = job_status(job_id)
    download = client.get(f"/admin/jobs/{job_id}/download")
    assert (queued, done, download.status_code) == ("queued", "done", 200)


def test_with_redis_down_the_app_runs_the_job_itself(app, make_app, make_user, ward):
    down_app = make_app(JOBS_RUN="rq", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    with down_app.app_context():
        client = signed_in_client(down_app, make_user)
        response = client.post("/admin/exports/unit-stats/job", data={"fmt": "xlsx"})
        job_id = int(response.headers["Location"].split("/admin/jobs/")[1].split("?")[0])
        down_app.extensions["hoithi_job_threads"][job_id].join(timeout=60)
        assert job_status(job_id) == "done"


def test_the_worker_command_without_redis_says_so_in_vietnamese(runner):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "Chưa đặt REDIS_URL" in result.output
