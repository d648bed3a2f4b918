"""The app as the benchmarks run it: a scenario's workspace and database (or a dataset cached in bench/.cache),
the demo loaded into it, gunicorn with the production settings on loopback, and wrk against it (bench/*.lua
print one ``BENCH_JSON`` line).

Every benchmark that measures the app (run, starts, pages, exports, rankings, hotpath, survey, reports) starts
it from here, so that their figures come from the same server set up the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
CACHE = HERE / ".cache"


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    """The path of wrk, installed from the Debian package when missing and allowed."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("==> Installing wrk (Debian package) for the load generator")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, stdout=subprocess.DEVNULL)
        path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is needed for `make bench`: sudo apt-get install wrk")
    return path


def wrk(wrk_path: str, url: str, script: Path, seconds: int, connections: int, env: dict) -> dict:
    """Run one wrk measurement with ``script``; its figures, with the request rate as ``rps``."""
    command = [wrk_path, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env}, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON "):])
            data["rps"] = data["requests"] / data["seconds"] if data["seconds"] else 0.0
            return data
    raise RuntimeError(f"wrk printed no result:\n{result.stdout}\n{result.stderr}")


def wait_for(url: str, timeout: float = 30.0) -> None:
    """Wait until ``url`` answers."""
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {url}")


def production_env(work: Path, database_url: str | None = None) -> dict:
    """The environment of the production app in the workspace ``work``: a fresh secret, and ``database_url``
    (default: BENCH_DATABASE_URL, else a SQLite file in ``work``)."""
    url = database_url or os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work}/bench.sqlite3")
    return {"HOITHI_INSTANCE_PATH": str(work), "HOITHI_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": url}


def workspace(prefix: str) -> Path:
    """A new temporary folder for a scenario (its instance folder, its SQLite file, its wrk inputs)."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def app_for(database: Path):
    """The production app on the SQLite file ``database`` (the cached datasets of rankings, survey, reports)."""
    os.environ.update({"HOITHI_INSTANCE_PATH": str(database.parent), "HOITHI_ENV": "production",
                       "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(16),
                       "DATABASE_URL": f"sqlite:///{database}"})
    from contest import create_app

    return create_app()


def cached_dataset(name: str, what: str, build: Callable[[Path], None]) -> Path:
    """The SQLite dataset ``name`` in bench/.cache, built once: ``build`` fills a partial file, renamed only when
    it is complete, so that an interrupted build is never taken for the dataset."""
    CACHE.mkdir(exist_ok=True)
    database = CACHE / name
    if not database.exists():
        print(f"==> Building the cached dataset {database} ({what}; once)")
        partial = database.with_suffix(".building")
        for leftover in partial.parent.glob(partial.name + "*"):
            leftover.unlink()
        build(partial)
        partial.rename(database)
    return database


def scenario_database(name: str, work: Path) -> str:
    """The database URL of one scenario, empty: a SQLite file in ``work``, or with BENCH_DATABASE_URL a
    PostgreSQL schema of its own (dropped and made again), so that scenarios of one `make bench` never see each
    other's people and attempts."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        return f"sqlite:///{work}/bench.sqlite3"
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        connection.execute(f"CREATE SCHEMA {name}")
    return parsed.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(hide_password=False)


def load_demo_round(env: dict):
    """Within an app context: migrate the empty database, add the bare insert's table, load the demo; return
    the demo contest's last round (open)."""
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from contest.contests.models import Contest
    from contest.demo.service import DEMO_SLUG, load_demo
    from contest.extensions import db

    upgrade()
    # The bare insert's table numbers its rows itself on either database (an INTEGER PRIMARY KEY does only on
    # SQLite).
    key = "INTEGER PRIMARY KEY" if db.engine.dialect.name == "sqlite" else "BIGSERIAL PRIMARY KEY"
    db.session.execute(text(f"CREATE TABLE IF NOT EXISTS bench_rows (id {key}, note TEXT)"))
    db.session.commit()
    load_demo(ROOT / "questions", Path(env["HOITHI_INSTANCE_PATH"]) / "organiser-login.txt")
    contest = db.session.scalar(select(Contest).where(Contest.slug == DEMO_SLUG))
    return contest.rounds[-1]


def session_signer(app) -> Callable[[object], tuple[str, str]]:
    """A function giving a user's session cookie and CSRF token, signed as ``app`` signs them (the wrk scripts
    send them as that user). The session is the one signing in gives: Flask-Login's identifier of the client
    (its address and User-Agent: loopback, and none, as wrk sends) included, so that the app keeps the session as
    it is rather than marking it no longer fresh and sending a new cookie with the first answer."""
    from hashlib import sha512

    from itsdangerous import URLSafeTimedSerializer

    session_serializer = app.session_interface.get_signing_serializer(app)
    csrf_serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
    identifier = sha512(b"127.0.0.1|None").hexdigest()  # flask_login.utils._create_identifier for that client

    def sign(user) -> tuple[str, str]:
        raw = secrets.token_hex(20)
        cookie = session_serializer.dumps({"_user_id": user.get_id(), "_fresh": True, "_id": identifier,
                                           "csrf_token": raw})
        return cookie, csrf_serializer.dumps(raw)

    return sign


def server_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a benchmark that serves the app: seconds per measurement, wrk connections, workers."""
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=None, help="default: contest/gunicorn_conf.py")


@contextmanager
def gunicorn(env: dict, workers: int | None = None, options: tuple[str, ...] = ()) -> Iterator[str]:
    """gunicorn with contest/gunicorn_conf.py serving bench.app on a free loopback port, for the ``with`` block;
    yields its base URL once it answers, and stops it after. ``options`` are more gunicorn flags (which override
    the settings file's, e.g. another worker class)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"==> gunicorn -c python:contest.gunicorn_conf {' '.join(options)} bench.app:app (production settings) "
          f"on {base}".replace("  ", " "))
    server_env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if workers:
        server_env["GUNICORN_WORKERS"] = str(workers)
    server = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "python:contest.gunicorn_conf", *options,
                               "bench.app:app"], cwd=ROOT, env=server_env)
    try:
        wait_for(base + "/bench/hello")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def merge_results(results: dict) -> Path:
    """Merge ``results`` into bench/results.json, keeping the other scenarios' keys."""
    path = HERE / "results.json"
    merged = json.loads(path.read_text()) if path.exists() else {}
    merged.update(results)
    path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    return path
