"""Fixtures shared by every test: the app on a real database, a controlled clock, and factories.

The database is SQLite (a temporary file, WAL) unless TEST_DATABASE_URL names a PostgreSQL database, in
which case the same suite runs there. The schema is built once per run by the real migrations; each test
then starts from empty tables.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from contest import clock, create_app
from contest.extensions import db

DATA = Path(__file__).parent / "data"
_TMP = tempfile.mkdtemp(prefix="hoithi-tests-")
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_TMP}/test.sqlite3"
PASSWORD = "mat-khau-an-toan"


def base_config(**overrides) -> dict:
    config = {
        "TESTING": True,
        "HOITHI_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "CCCD_HASH_KEY": "test-cccd-key",
        "SQLALCHEMY_DATABASE_URI": DATABASE_URL,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "JOBS_RUN": "inline",  # background jobs run inside the request; tests/jobs covers threads and RQ
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def migrated():
    """Build the schema once with the real migrations on an empty database."""
    os.environ["HOITHI_INSTANCE_PATH"] = _TMP
    app = create_app(base_config())
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return True


def _empty_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(sa.text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture
def make_app(migrated):
    """Build an app with extra config; every app built is torn down after the test."""
    apps = []

    def build(**overrides):
        app = create_app(base_config(**overrides))
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The app on empty tables, inside an app context."""
    app = make_app()
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def statements(app):
    """``with statements() as sent:`` collects the SQL statements the block sends to the database (an executemany
    is one), for tests that hold a path to its statement count."""

    @contextmanager
    def collect():
        sent: list[str] = []

        def note(conn, cursor, statement, parameters, context, executemany):
            sent.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", note)
        try:
            yield sent
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note)

    return collect


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Every test runs on this calendar, whatever the machine's date: fixtures build their dates from it.
START = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)


def ticking_from(moment: datetime):
    """A clock that reads ``moment`` now and then runs at real speed (monotonic, so a moved system clock
    cannot change it)."""
    origin = time.monotonic()
    return lambda: moment + timedelta(seconds=time.monotonic() - origin)


@pytest.fixture(autouse=True)
def controlled_clock():
    """Run every test on a clock that starts at START and ticks, never on the calendar; a test that needs a
    still or moved clock asks for ``frozen_clock`` or calls ``clock.set_clock(ticking_from(...))``."""
    clock.set_clock(ticking_from(START))
    yield START
    clock.set_clock(None)


@pytest.fixture
def frozen_clock(controlled_clock):
    """Stop the app's clock: ``frozen_clock(datetime(...))``; the ticking controlled clock comes back after."""

    class Frozen:
        moment = START

        def __call__(self, moment: datetime) -> datetime:
            self.moment = moment
            return moment

    frozen = Frozen()
    clock.set_clock(lambda: frozen.moment)
    yield frozen
    clock.set_clock(ticking_from(START))


@pytest.fixture
def make_unit(app):
    from contest.units.models import Unit

    counter = iter(range(1, 10_000))

    def create(code: str | None = None, name: str | None = None, kind: str = "residential", headcount=500,
               parent=None):
        n = next(counter)
        unit = Unit(code=code or f"TDP-{n:02d}", name=name or f"Tổ dân phố số {n}", kind=kind, headcount=headcount,
                    parent=parent)
        db.session.add(unit)
        db.session.commit()
        return unit

    return create


@pytest.fixture
def make_user(app, make_unit):
    """Create a user of any role directly (password: PASSWORD)."""
    from contest.accounts.models import User

    counter = iter(range(1, 10_000))

    def create(role: str = "resident", login: str | None = None, unit=None, **fields):
        n = next(counter)
        phone = fields.pop("phone", None) or (f"09{n:08d}" if role in ("resident", "official") else None)
        user = User(login=login or phone or f"user{n}", role=role, full_name=fields.pop("full_name", f"Người {n}"),
                    phone=phone, unit=unit or (make_unit() if role == "resident" else None),
                    birth_date=fields.pop("birth_date", date(1980, 1, 1)), **fields)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return create


@pytest.fixture
def login(client):
    """Sign a user in through the real form."""

    def sign_in(user_login: str, password: str = PASSWORD):
        return client.post("/login", data={"login": user_login, "password": password})

    return sign_in


@pytest.fixture
def small_bank(app):
    """The small test bank, imported."""
    from contest.banks.importing import import_bank

    path = DATA / "bank-small.yaml"
    report = import_bank(path.read_bytes(), path.name)
    assert report.ok, report.errors
    return report


@pytest.fixture
def make_round(app, small_bank):
    """Create a published contest with one round drawing all four questions of the small bank (its one bank).

    The round opens at 2026-11-21 00:00 UTC and closes 7 days later unless told otherwise.
    """
    from datetime import timedelta

    from contest.banks.models import Bank, Topic
    from contest.contests.models import BlueprintItem, Contest, Round

    counter = iter(range(1, 1000))

    def create(audience="residents", kind="contest", opens_at=datetime(2026, 11, 21, tzinfo=UTC),
               closes_at=None, **fields):
        n = next(counter)
        contest = Contest(slug=f"thi-{n}", title=f"Cuộc thi {n}", kind=kind, audience=audience, is_published=True,
                          requires_cccd=fields.pop("requires_cccd", False))
        round_ = Round(contest=contest, number=1, title="Đợt 1", opens_at=opens_at,
                       closes_at=closes_at or opens_at + timedelta(days=7),
                       time_limit_minutes=fields.pop("time_limit_minutes", 20),
                       attempts_allowed=fields.pop("attempts_allowed", 3), **fields)
        for topic in db.session.scalars(sa.select(Topic)):
            for group in contest.groups:
                round_.blueprint.append(BlueprintItem(group=group, topic_id=topic.id, difficulty=None, count=2))
        round_.banks = list(db.session.scalars(sa.select(Bank).where(Bank.name == small_bank.bank_name)))
        db.session.add(contest)
        db.session.commit()
        return round_

    return create


@pytest.fixture
def migrate_again(app):
    """Run one migration again on the test database as it stands: down to the revision before the one in the file
    ending with ``suffix`` (found by file, whatever its id), then up to it, then up to the head. Returns the
    function; the session is dropped first, so reload what the test checks afterwards."""
    from alembic.script import ScriptDirectory
    from flask import current_app
    from flask_migrate import downgrade, upgrade

    def run(suffix: str) -> None:
        config = current_app.extensions["migrate"].migrate.get_config()
        revision = next(r for r in ScriptDirectory.from_config(config).walk_revisions() if r.path.endswith(suffix))
        db.session.remove()
        try:
            downgrade(revision=revision.down_revision)
            upgrade(revision=revision.revision)
        finally:
            upgrade()

    return run
