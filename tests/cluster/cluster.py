"""A HoiThi cluster on loopback, as deployed (deploy/): PostgreSQL, Redis, two gunicorn app servers with the
shipped settings, the RQ job worker (``flask jobs worker``) and nginx with the shipped site snippet in front.
Every port is a free one picked at start; everything lives in one temporary folder and is stopped at the end.

Used by tests/cluster (``deploy/cluster/run``); it also runs alone for a look around:
``.venv/bin/python -m tests.cluster.cluster`` (Ctrl+C stops it).
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ORGANISER = ("ban-to-chuc-cum", "mat-khau-cum-may-chu")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except OSError:
            pass
        if time.monotonic() > end:
            raise RuntimeError(f"{what}: not ready after {seconds:.0f} s")
        time.sleep(0.1)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def postgres_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name.split(".")[0]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (initdb not found under /usr/lib/postgresql)")
    return Path(found[-1])


class Cluster:
    """Start, break and stop the servers of one cluster."""

    def __init__(self, app_servers: int = 2):
        self.folder = Path(tempfile.mkdtemp(prefix="hoithi-cluster-"))
        self.folder.chmod(0o755)  # PostgreSQL runs as its own user and must reach its socket folder
        self.pg_bin = postgres_bin()
        self.pg_dir = self.folder / "pg"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.app_ports = [free_port() for _ in range(app_servers)]
        self.apps: list[subprocess.Popen | None] = [None] * app_servers
        self.processes: list[subprocess.Popen] = []
        self.redis_port = free_port()
        self.nginx_port = free_port()
        self.database_url = f"postgresql://postgres@/hoithi?host={self.pg_dir}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_APP")}
        self.env.update({
            "HOITHI_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "CCCD_HASH_KEY": secrets.token_hex(32),
            "DATABASE_URL": self.database_url, "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "HOITHI_INSTANCE_PATH": str(self.folder / "instance"), "JOBS_FOLDER": str(self.folder / "jobs"),
            "PROXY_FIX_HOPS": "1", "GUNICORN_WORKERS": "2", "FLASK_APP": "wsgi:app",
            # Every taker of the tests comes from 127.0.0.1: the per-address limits would stop them.
            "LOGIN_RATE_LIMIT": "10000 per minute", "REGISTER_RATE_LIMIT": "10000 per minute",
            "DATABASE_RETRY_AFTER_SECONDS": "2"})

    @property
    def url(self) -> str:
        """nginx, in front of every app server."""
        return f"http://127.0.0.1:{self.nginx_port}"

    def app_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[index]}"

    # -- the whole cluster --------------------------------------------------------------------------------
    def start(self) -> Cluster:
        try:
            self.start_postgres(initialise=True)
            self._start_redis()
            self._prepare_database()
            for index in range(len(self.app_ports)):
                self.start_app(index)
            self._start_worker()
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for index in range(len(self.apps)):
            self.kill_app(index, signal.SIGTERM)
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.stop_postgres()
        if os.environ.get("HOITHI_CLUSTER_KEEP") == "1":  # keep the logs to read after a failure
            print(f"cluster folder kept: {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    def flask(self, *args: str) -> str:
        done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    # -- PostgreSQL -----------------------------------------------------------------------------------------
    def _pg(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_postgres, str(self.pg_bin / tool), *args], capture_output=True, text=True,
                              check=check, timeout=120)

    def start_postgres(self, initialise: bool = False) -> None:
        if initialise:
            self.pg_dir.mkdir()
            if self.as_postgres:
                shutil.chown(self.pg_dir, "postgres", "postgres")
            self._pg("initdb", "-D", str(self.pg_dir / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--locale=C.UTF-8")
        # fsync off (a throwaway cluster), but every commit still waits for its WAL write: a crash of the
        # server (stop -m immediate) loses no acknowledged transaction.
        self._pg("pg_ctl", "-D", str(self.pg_dir / "data"), "-l", str(self.pg_dir / "log"), "-w", "-o",
                 f"-c listen_addresses='' -k {self.pg_dir} -c fsync=off -c full_page_writes=off "
                 "-c max_connections=200", "start")
        if initialise:
            self._pg("createdb", "-h", str(self.pg_dir), "-U", "postgres", "hoithi")

    def stop_postgres(self, mode: str = "fast") -> None:
        if (self.pg_dir / "data" / "postmaster.pid").exists():
            self._pg("pg_ctl", "-D", str(self.pg_dir / "data"), "-m", mode, "-w", "stop", check=False)

    # -- Redis, the schema, the worker ------------------------------------------------------------------------
    def _start_redis(self) -> None:
        self.processes.append(subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", str(self.folder)], stdout=subprocess.DEVNULL))

        def pong() -> bool:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")

        wait_until(pong, 30, "redis-server")

    def _prepare_database(self) -> None:
        self.flask("db", "upgrade")
        self.flask("demo", "load")
        self.flask("users", "create-organiser", "--login", ORGANISER[0], "--name", "Ban tổ chức cụm máy chủ",
                   "--password", ORGANISER[1])

    def _start_worker(self) -> None:
        with (self.folder / "worker.log").open("w") as log:  # the child keeps its own copy of the descriptor
            self.processes.append(subprocess.Popen([str(BIN / "flask"), "jobs", "worker"], cwd=ROOT, env=self.env,
                                                   stdout=subprocess.DEVNULL, stderr=log))

    # -- app servers -------------------------------------------------------------------------------------------
    def start_app(self, index: int) -> None:
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.app_ports[index]}"}
        # Its own session: kill_app takes the master and its workers down together, as a crash would.
        with (self.folder / f"app{index}.log").open("a") as log:
            self.apps[index] = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "python:contest.gunicorn_conf", "wsgi:app"], cwd=ROOT, env=env,
                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        wait_until(lambda: answers(self.app_url(index) + "/healthz"), 60, f"app server {index}")

    def kill_app(self, index: int, sig: int = signal.SIGKILL) -> None:
        process = self.apps[index]
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def app_alive(self, index: int) -> bool:
        process = self.apps[index]
        return process is not None and process.poll() is None

    # -- nginx -----------------------------------------------------------------------------------------------
    def _start_nginx(self) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        folder = self.folder / "nginx"
        folder.mkdir()
        snippet = (ROOT / "deploy/nginx/hoithi-app.conf").read_text().replace("/srv/hoithi", str(ROOT))
        (folder / "hoithi-app.conf").write_text(snippet)
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                            for port in self.app_ports)
        (folder / "nginx.conf").write_text(f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    types {{ text/css css; application/javascript js; }}
    upstream hoithi_app {{
{servers}
        keepalive 32;
        keepalive_timeout 4s;
    }}
    server {{
        listen 127.0.0.1:{self.nginx_port};
        include {folder}/hoithi-app.conf;
    }}
}}
""")
        self.processes.append(subprocess.Popen(
            [binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off; master_process off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_until(lambda: answers(self.url + "/healthz"), 30, "nginx")


if __name__ == "__main__":
    cluster = Cluster().start()
    print(f"HoiThi cluster: {cluster.url} (apps on {cluster.app_ports}, organiser {ORGANISER[0]} / {ORGANISER[1]}; "
          f"folder {cluster.folder}). Ctrl+C stops it.")
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
