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


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL (BENCH_DATABASE_URL): the cached datasets as schemas of their own, kept between runs.


def bench_postgresql() -> str | None:
    """BENCH_DATABASE_URL when it names PostgreSQL, else None (the scenarios then run on SQLite files)."""
    url = os.environ.get("BENCH_DATABASE_URL")
    return url if url and url.split(":", 1)[0].startswith("postgres") else None


def schema_name(name: str) -> str:
    """A PostgreSQL schema name for the dataset or scenario ``name`` (e.g. ``rankings-100000.sqlite3``)."""
    stem = name.removesuffix(".sqlite3")
    return "bench_" + "".join(c if c.isalnum() else "_" for c in stem.lower())


def _postgresql_dsn(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def schema_url(schema: str) -> str:
    """BENCH_DATABASE_URL with its search path set to ``schema`` (the app's tables and Alembic's are there)."""
    from sqlalchemy.engine import make_url

    return make_url(bench_postgresql()).update_query_dict({"options": f"-csearch_path={schema}"}) \
        .render_as_string(hide_password=False)


def database_label(url: str) -> str:
    """``url`` as the benchmarks print it: without its query, and on PostgreSQL with the schema it searches."""
    if "search_path" not in url:
        return url.split("?")[0]
    return f"{url.split('?')[0]} (schema {url_schema(url)})"


def url_schema(url: str) -> str:
    """The schema a :func:`schema_url` URL searches."""
    from sqlalchemy.engine import make_url

    return make_url(url).query["options"].split("search_path=", 1)[1]


def _run_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(_postgresql_dsn(bench_postgresql()), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def schema_exists(schema: str) -> bool:
    import psycopg

    with psycopg.connect(_postgresql_dsn(bench_postgresql()), autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is not None


def cached_schema(name: str, what: str, build: Callable[[str], None]) -> str:
    """The URL of the PostgreSQL dataset ``name`` (cf. :func:`cached_dataset`): a schema of BENCH_DATABASE_URL's
    database, built once and kept between runs. ``build`` fills a partial schema (given its URL), renamed only
    when it is complete, so that an interrupted build is never taken for the dataset."""
    schema = schema_name(name)
    if not schema_exists(schema):
        partial = schema + "_building"
        print(f"==> Building the cached dataset {schema} in {bench_postgresql().split('?')[0]} ({what}; once)")
        _run_sql(f"DROP SCHEMA IF EXISTS {partial} CASCADE", f"CREATE SCHEMA {partial}")
        build(schema_url(partial))
        _run_sql(f"ALTER SCHEMA {partial} RENAME TO {schema}")
    return schema_url(schema)


def dataset_url(name: str, what: str, build: Callable[[str], None]) -> str:
    """The database URL of the cached dataset ``name``: with BENCH_DATABASE_URL (PostgreSQL) a schema of its
    own (:func:`cached_schema`), else the SQLite file in bench/.cache (:func:`cached_dataset`); ``build``
    fills it, given its URL."""
    if bench_postgresql():
        return cached_schema(name, what, build)
    return f"sqlite:///{cached_dataset(name, what, lambda partial: build(f'sqlite:///{partial}'))}"


def url_folder(url: str) -> Path:
    """A folder for the files beside a dataset (the demo's organiser login, exports): the SQLite file's own
    folder, or a scratch folder for a PostgreSQL schema."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):]).parent
    folder = Path(tempfile.gettempdir()) / "hoithi-bench-postgresql"
    folder.mkdir(exist_ok=True)
    return folder


def app_on(url: str):
    """The production app on the database ``url`` (a cached dataset's): :func:`app_for` for any database."""
    if url.startswith("sqlite:///"):
        return app_for(Path(url[len("sqlite:///"):]))
    os.environ.update({"HOITHI_INSTANCE_PATH": str(url_folder(url)), "HOITHI_ENV": "production",
                       "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(16), "DATABASE_URL": url})
    from contest import create_app

    return create_app()


def copy_schema(source: str, target: str) -> str:
    """Copy the PostgreSQL schema ``source`` (a cached dataset) into ``target``, dropped and made again, as a
    SQLite dataset is copied as a file: the tables are made by the migrations, their rows copied table by
    table (parents first) and their id sequences moved past the copied ids. Returns ``target``'s URL."""
    import psycopg
    from flask_migrate import upgrade

    from contest.extensions import db

    _run_sql(f"DROP SCHEMA IF EXISTS {target} CASCADE", f"CREATE SCHEMA {target}")
    url = schema_url(target)
    app = app_on(url)
    with app.app_context():
        upgrade()
        tables = [table.name for table in db.metadata.sorted_tables]
        db.session.remove()
        db.engine.dispose()
    with psycopg.connect(_postgresql_dsn(bench_postgresql())) as connection:
        # Rows the migrations may have written are the source's to give.
        connection.execute("TRUNCATE " + ", ".join(f'{target}."{table}"' for table in tables) + " CASCADE")
        for table in tables:
            columns = [row[0] for row in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
                "ORDER BY ordinal_position", (target, table))]
            names = ", ".join(f'"{c}"' for c in columns)
            connection.execute(f'INSERT INTO {target}."{table}" ({names}) '
                               f'SELECT {names} FROM {source}."{table}"')
            if "id" in columns:
                connection.execute(f"SELECT setval(pg_get_serial_sequence('{target}.\"{table}\"', 'id'), "
                                   f'COALESCE((SELECT max(id) FROM {target}."{table}"), 0) + 1, false) '
                                   f"WHERE pg_get_serial_sequence('{target}.\"{table}\"', 'id') IS NOT NULL")
            connection.execute(f'ANALYZE {target}."{table}"')
    return url
