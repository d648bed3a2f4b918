"""Backups: taken while takers save, they hold every answer acknowledged before they began; restores bring
them back."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from contest.attempts.models import Attempt, AttemptQuestion
from contest.backups.service import BackupError, libpq_url, restore_backup, sqlite_file, take_backup
from contest.extensions import db
from tests.conftest import PASSWORD

TAKERS = 6


def _start_takers(app, make_user, round_):
    """Sign in TAKERS residents on clients of their own and start one attempt each."""
    takers = []
    for _ in range(TAKERS):
        user = make_user()
        client = app.test_client()
        client.post("/login", data={"login": user.phone, "password": PASSWORD})
        assert client.post(f"/rounds/{round_.id}/start").status_code in (200, 302)
        attempt_id = db.session.scalar(select(Attempt.id).where(Attempt.user_id == user.id))
        takers.append((client, attempt_id))
    return takers


def _save_until(stop: threading.Event, client, attempt_id: int, acknowledged: list) -> None:
    """Save answers as fast as the server acknowledges them, noting when each acknowledgement arrived."""
    seq = 0
    while not stop.is_set():
        seq += 1
        position = 1 + seq % 2
        response = client.post(f"/api/attempts/{attempt_id}/answers",
                               json={"position": position, "selected": [seq % 2], "seq": seq})
        if response.status_code == 200 and response.get_json().get("ok"):
            acknowledged.append((time.monotonic(), attempt_id, position, seq))


def _backup_under_load(app, make_user, make_round, target: Path):
    takers = _start_takers(app, make_user, make_round())
    stop, acknowledged = threading.Event(), []
    threads = [threading.Thread(target=_save_until, args=(stop, client, attempt_id, acknowledged))
               for client, attempt_id in takers]
    for thread in threads:
        thread.start()
    try:
        while len(acknowledged) < 60:
            time.sleep(0.01)
        began = time.monotonic()
        take_backup(app.config["SQLALCHEMY_DATABASE_URI"], target)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    before = [ack for ack in acknowledged if ack[0] < began]
    assert len(before) >= 60
    return before


def _latest_seq(before) -> dict:
    latest: dict = {}
    for _, attempt_id, position, seq in before:
        latest[(attempt_id, position)] = max(seq, latest.get((attempt_id, position), 0))
    return latest


def _sqlite_seqs(path: Path) -> dict:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT attempt_id, position, seq FROM attempt_questions").fetchall()
    conn.close()
    return {(a, p): s for a, p, s in rows}


def _postgres_seqs(app, dump: Path) -> dict:
    """Restore the dump into a scratch database of the same server and read the stored seqs there."""
    url = libpq_url(app.config["SQLALCHEMY_DATABASE_URI"])
    scratch = "hoithi_backup_check"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {scratch}")
        conn.execute(f"CREATE DATABASE {scratch}")
    scratch_uri = app.config["SQLALCHEMY_DATABASE_URI"].replace(
        "/" + db.engine.url.database, "/" + scratch, 1)
    try:
        restore_backup(scratch_uri, dump)
        with psycopg.connect(libpq_url(scratch_uri)) as conn:
            rows = conn.execute("SELECT attempt_id, position, seq FROM attempt_questions").fetchall()
        return {(a, p): s for a, p, s in rows}
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {scratch}")


@pytest.mark.realtime
def test_backup_taken_under_autosave_load_holds_every_acknowledged_save(app, make_user, make_round, tmp_path):
    target = tmp_path / "backup"
    before = _backup_under_load(app, make_user, make_round, target)
    stored = _sqlite_seqs(target) if db.engine.dialect.name == "sqlite" else _postgres_seqs(app, target)
    missing = {key: seq for key, seq in _latest_seq(before).items() if stored.get(key, 0) < seq}
    assert missing == {}


def test_backup_file_is_readable_by_its_owner_only(app, small_bank, tmp_path):
    backup = take_backup(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "backup")
    assert backup.path.stat().st_mode & 0o777 == 0o600


def test_backup_never_overwrites_an_older_backup(app, small_bank, tmp_path):
    target = tmp_path / "backup"
    target.write_text("bản cũ")
    with pytest.raises(BackupError, match="đã có"):
        take_backup(app.config["SQLALCHEMY_DATABASE_URI"], target)
    assert target.read_text() == "bản cũ"


def test_restore_brings_back_the_answers_of_the_backup(app, make_user, make_round, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("restoring over the test database is shown on SQLite; PostgreSQL's restore is checked "
                    "in test_backup_taken_under_autosave_load_holds_every_acknowledged_save")
    takers = _start_takers(app, make_user, make_round())
    client, attempt_id = takers[0]
    client.post(f"/api/attempts/{attempt_id}/answers", json={"position": 1, "selected": [1], "seq": 1})
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    backup = take_backup(uri, tmp_path / "backup")
    client.post(f"/api/attempts/{attempt_id}/answers", json={"position": 1, "selected": [0], "seq": 2})
    db.session.remove()
    db.engine.dispose()
    restore_backup(uri, backup.path)
    stored = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id,
                                                              AttemptQuestion.position == 1))
    assert (stored.selected, stored.seq) == ([1], 1)


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's restore checks the file itself; pg_restore checks a dump")
    bogus = tmp_path / "khong-phai.sqlite3"
    bogus.write_bytes(b"khong phai co so du lieu" * 100)
    with pytest.raises(BackupError, match="không phải bản sao lưu"):
        restore_backup(app.config["SQLALCHEMY_DATABASE_URI"], bogus)
    assert sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"]).is_file()


def test_backup_command_names_the_file_in_vietnamese(app, small_bank, runner, tmp_path):
    result = runner.invoke(args=["backup", "create", str(tmp_path / "sao-luu")])
    assert result.exit_code == 0 and "Đã sao lưu vào" in result.output
