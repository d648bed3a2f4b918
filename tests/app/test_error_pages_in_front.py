"""Errors a user can reach that the app never sees are Vietnamese too: a real gunicorn (with the shipped
settings) behind a real nginx (with the shipped ``deploy/nginx/hoithi-app.conf``), on free loopback ports."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.realtime  # real servers and sleeps; see pyproject.toml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def get(url: str, headers: dict | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    env = {**os.environ, "HOITHI_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "PROXY_FIX_HOPS": "1",
           "HOITHI_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/front.sqlite3",
           "GUNICORN_WORKERS": "1"}
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", "from contest import create_app\nfrom flask_migrate import upgrade\n"
                    "app = create_app()\nwith app.app_context():\n    upgrade()\n"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    port = free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:contest.gunicorn_conf", "wsgi:app"], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def nginx_in_front_of(app_port: int, tmp_path: Path):
    """nginx with the shipped site snippet, proxying to ``app_port``."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        pytest.skip("nginx is not installed")
    port = free_port()
    snippet = (ROOT / "deploy/nginx/hoithi-app.conf").read_text().replace("/srv/hoithi", str(ROOT))
    (tmp_path / "hoithi-app.conf").write_text(snippet)
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
    upstream hoithi_app {{ server 127.0.0.1:{app_port}; }}
    server {{
        listen 127.0.0.1:{port};
        include {tmp_path}/hoithi-app.conf;
    }}
}}
""")
    process = subprocess.Popen([binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g",
                                "daemon off; master_process off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx(gunicorn, tmp_path_factory):
    with nginx_in_front_of(gunicorn, tmp_path_factory.mktemp("nginx")) as url:
        yield url


def test_a_url_of_5000_characters_reaches_the_apps_vietnamese_page_not_gunicorns(gunicorn):
    status, body = get(f"http://127.0.0.1:{gunicorn}/" + "x" * 5000)
    assert status == 404 and "Không tìm thấy trang" in body


def test_a_url_too_long_for_nginx_gets_the_vietnamese_page(nginx):
    status, body = get(nginx + "/?q=" + "x" * 20_000)
    assert status == 414 and "Yêu cầu không hợp lệ" in body


def test_headers_too_large_for_nginx_get_the_vietnamese_page(nginx):
    status, body = get(nginx + "/", {"X-Padding": "x" * 9000})
    assert status in (400, 494) and "Yêu cầu không hợp lệ" in body


def test_the_app_down_behind_nginx_gets_the_vietnamese_page(tmp_path):
    with nginx_in_front_of(free_port(), tmp_path) as url:  # nothing listens there: the app is down
        status, body = get(url + "/")
    assert status == 502 and "Hệ thống đang bận" in body


def test_the_apps_own_pages_pass_through_nginx(nginx):
    status, body = get(nginx + "/khong-co")
    assert status == 404 and "Không tìm thấy trang" in body


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 408, 413, 414, 415, 422, 429, 431, 500, 502, 503, 504])
def test_every_error_status_the_app_can_answer_has_a_vietnamese_title(status):
    from contest.errors.handlers import MESSAGES

    title, message = MESSAGES[status]
    assert title and message and not message.isascii()
