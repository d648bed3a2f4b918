"""Production settings for gunicorn: ``gunicorn -c python:contest.gunicorn_conf wsgi:app``.

Sync workers, one per core (at least two): requests are short (an autosave is one SQL statement) and a
buffering proxy (nginx) in front absorbs slow phones. Measured with `make bench`: on SQLite more processes
only wait longer for its single writer; on PostgreSQL raise GUNICORN_WORKERS to 2 × cores + 1.

The app is imported once, in the master, before the workers fork (``preload_app``): a restarted server
answers as soon as one import is done instead of after one import per worker competing for the cores, and a
worker recycled after ``max_requests`` (or killed) is back at once. Each worker then drops the database
connections it inherited (``post_fork``), so that no two processes share one.

gunicorn answers some errors itself, in English (a request line or header too long: 400/431). Its limits are
set just above nginx's (``deploy/nginx/hoithi.conf``: ``large_client_header_buffers 4 8k``), so nginx refuses
first, with the Vietnamese pages of ``deploy/nginx/errors/``; a worker killed at ``timeout`` is a 502 there too.
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
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
max_requests = 20_000
max_requests_jitter = 2_000
# Above nginx's 8 KB header buffers (gunicorn's own maxima): nginx refuses a longer line or header first.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 16380
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None


def when_ready(server) -> None:
    """Say so when several workers count rate limits each on their own (no Redis)."""
    if workers > 1 and not (os.environ.get("REDIS_URL") or os.environ.get("RATELIMIT_STORAGE_URI")):
        server.log.warning(
            "Giới hạn tần suất (đăng nhập, đăng ký) đang đếm riêng trong từng worker (%d worker): thực tế cho "
            "qua tới %d lần giới hạn. Đặt REDIS_URL để các worker và máy chủ dùng chung bộ đếm.", workers, workers)


def post_fork(server, worker) -> None:
    """Drop the pooled database connections the worker inherited from the master (without closing the
    master's): each worker opens its own."""
    if not preload_app:
        return
    app = server.app.wsgi()
    if not hasattr(app, "app_context"):  # not the Flask app (bench.startup's bare baseline)
        return
    from contest.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
