"""While the database is unavailable (locked past the busy timeout, terminated, refusing connections) every
request answers 503 with Retry-After in Vietnamese, the outage is logged once, and the app recovers by itself."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from contest.attempts.models import Attempt
from contest.errors.outage import DATABASE
from contest.extensions import db
from tests.conftest import DATABASE_URL, _empty_tables

OPEN = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
ON_SQLITE = DATABASE_URL.startswith("sqlite")
LOGGER = "contest.errors.handlers"


@pytest.fixture
def app(make_app):
    """The app with a short SQLite busy timeout, so that a held lock turns into an answer quickly."""
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=200, DATABASE_RETRY_AFTER_SECONDS=7)
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()


@pytest.fixture(autouse=True)
def healthy_database():
    """Each test starts (and ends) outside any outage: the state is per process."""
    DATABASE.reset()
    yield
    DATABASE.reset()


@pytest.fixture
def attempt(client, make_user, make_round, login, frozen_clock):
    """The id of a signed-in resident's attempt in progress (an id: the test's own session must not need the
    database while it is away)."""
    frozen_clock(OPEN)
    user = make_user()
    login(user.phone)
    round_ = make_round()
    client.post(f"/rounds/{round_.id}/start")
    found = db.session.scalar(select(Attempt.id).where(Attempt.user_id == user.id))
    db.session.commit()  # end the test's own read so that nothing of it lingers
    return found


def save(client, attempt, seq=1, selected=(1,)):
    return client.post(f"/api/attempts/{attempt}/answers",
                       json={"position": 1, "selected": list(selected), "seq": seq})


@pytest.fixture
def sqlite_lock():
    """Another connection that holds SQLite's write lock (``BEGIN EXCLUSIVE``) until released."""
    if not ON_SQLITE:
        pytest.skip("SQLite's write lock")
    path = DATABASE_URL[len("sqlite:///"):]
    holder = sqlite3.connect(path, isolation_level=None, timeout=5)

    class Lock:
        def take(self):
            holder.execute("BEGIN EXCLUSIVE")

        def release(self):
            if holder.in_transaction:
                holder.execute("ROLLBACK")

    lock = Lock()
    yield lock
    lock.release()
    holder.close()


# --- SQLite: another writer holds the lock past the busy timeout ---------------------------------------------

def test_save_while_the_database_is_locked_answers_503_with_retry_after(client, attempt, sqlite_lock):
    sqlite_lock.take()
    response = save(client, attempt)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"


def test_save_while_the_database_is_locked_says_so_in_vietnamese_json(client, attempt, sqlite_lock):
    sqlite_lock.take()
    data = save(client, attempt).get_json()
    assert data["ok"] is False and data["code"] == "db_unavailable"
    assert "cơ sở dữ liệu đang gián đoạn" in data["error"] and "tự gửi lại" in data["error"]


def test_page_while_the_database_is_locked_answers_a_vietnamese_503_page(client, attempt, sqlite_lock):
    sqlite_lock.take()
    response = client.post(f"/attempts/{attempt}/submit", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "7"
    assert response.mimetype == "text/html"
    assert "Hệ thống tạm thời không truy cập được dữ liệu" in page and "Traceback" not in page


def test_save_after_the_lock_is_released_is_stored(client, attempt, sqlite_lock):
    sqlite_lock.take()
    assert save(client, attempt, seq=1).status_code == 503
    sqlite_lock.release()
    response = save(client, attempt, seq=2)
    assert response.status_code == 200 and response.get_json()["selected"] == [1]


def test_a_locked_database_is_logged_once_per_outage(client, attempt, sqlite_lock, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    sqlite_lock.take()
    for seq in range(1, 4):
        save(client, attempt, seq=seq)
    sqlite_lock.release()
    save(client, attempt, seq=4)
    save(client, attempt, seq=5)
    records = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == LOGGER]
    assert [level for level, _ in records] == ["WARNING", "INFO"]
    assert "database is locked" in records[0][1] and "3 request(s)" in records[1][1]
    assert not any(r.exc_info for r in caplog.records)


# --- PostgreSQL: the server ends the app's connections, then refuses new ones for a while --------------------

@pytest.fixture
def postgres_admin(app):
    """A separate connection (not the app's pool) to end the app's sessions and close the database."""
    if ON_SQLITE:
        pytest.skip("PostgreSQL only")
    name = db.engine.url.database
    # From the server's own database: a database cannot close itself to connections.
    admin = sa.create_engine(db.engine.url.set(database="postgres"), poolclass=sa.pool.NullPool,
                             isolation_level="AUTOCOMMIT")

    class Admin:
        def terminate_app_connections(self):
            with admin.connect() as conn:
                return conn.execute(sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name}).scalar()

        def allow_connections(self, allowed: bool):
            with admin.connect() as conn:
                conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if allowed else "false"}'))

    helper = Admin()
    yield helper
    helper.allow_connections(True)
    admin.dispose()


def test_request_after_the_server_ends_the_connections_recovers(client, attempt, postgres_admin):
    save(client, attempt, seq=1)  # the pool holds a live connection now
    assert postgres_admin.terminate_app_connections() >= 1
    first = save(client, attempt, seq=2)
    assert first.status_code in (200, 503)
    response = first if first.status_code == 200 else save(client, attempt, seq=3)
    assert response.status_code == 200 and response.get_json()["ok"] is True


def test_save_while_postgresql_refuses_connections_answers_503_in_vietnamese(client, attempt, postgres_admin):
    postgres_admin.allow_connections(False)
    postgres_admin.terminate_app_connections()
    response = save(client, attempt)
    assert response.status_code == 503 and response.headers["Retry-After"] == "7"
    assert response.get_json()["code"] == "db_unavailable"


def test_app_recovers_without_restart_when_postgresql_accepts_connections_again(client, attempt,
                                                                                 postgres_admin):
    postgres_admin.allow_connections(False)
    postgres_admin.terminate_app_connections()
    assert save(client, attempt, seq=1).status_code == 503
    postgres_admin.allow_connections(True)
    response = save(client, attempt, seq=2)
    assert response.status_code == 200 and response.get_json()["selected"] == [1]


def test_a_postgresql_outage_is_logged_once(client, attempt, postgres_admin, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    postgres_admin.allow_connections(False)
    postgres_admin.terminate_app_connections()
    for seq in range(1, 4):
        save(client, attempt, seq=seq)
    client.get("/")
    postgres_admin.allow_connections(True)
    save(client, attempt, seq=4)
    records = [r for r in caplog.records if r.name == LOGGER]
    assert [r.levelname for r in records] == ["WARNING", "INFO"]
    assert "4 request(s)" in records[1].getMessage()
    assert not any(r.exc_info for r in caplog.records)


def test_page_while_postgresql_refuses_connections_answers_a_vietnamese_503_page(client, attempt, postgres_admin):
    postgres_admin.allow_connections(False)
    postgres_admin.terminate_app_connections()
    response = client.get(f"/attempts/{attempt}")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "7"
    assert "Hệ thống tạm thời không truy cập được dữ liệu" in page and "Traceback" not in page
