"""The sign-in limit holds across the workers of a real gunicorn: counters live in Redis (REDIS_URL), not in
each worker's memory. Runs gunicorn with two workers and a redis-server on free loopback ports."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LIMIT = 6

pytestmark = [
    pytest.mark.skipif(shutil.which("redis-server") is None and not os.environ.get("REQUIRE_REDIS"),
                       reason="redis-server is not installed (set REQUIRE_REDIS=1 to make this a failure)"),
    pytest.mark.realtime,  # real servers and sleeps; see pyproject.toml
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("service did not start")


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)

    def answers():
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    try:
        wait_for(answers)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def server(tmp_path, redis_url):
    env = {**os.environ, "HOITHI_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "HOITHI_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/limits.sqlite3",
           "REDIS_URL": redis_url, "LOGIN_RATE_LIMIT": f"{LIMIT} per minute", "GUNICORN_WORKERS": "2"}
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", "from contest import create_app\nfrom flask_migrate import upgrade\n"
                    "app = create_app()\nwith app.app_context():\n    upgrade()\n"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    port = free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:contest.gunicorn_conf", "wsgi:app"], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: urllib.request.urlopen(base + "/healthz", timeout=2).status == 200)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrong_login(base: str, n: int) -> int:
    """One person's whole attempt: open the form (its CSRF token and cookie), then post a wrong password."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "login": f"09{n:08d}", "password": "sai-mat-khau"})
    try:
        return opener.open(base + "/login", data=body.encode(), timeout=30).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_sign_in_limit_holds_across_two_gunicorn_workers(server):
    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(lambda n: wrong_login(server, n), range(3 * LIMIT)))
    assert codes.count(401) == LIMIT and codes.count(429) == 2 * LIMIT, codes
