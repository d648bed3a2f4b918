"""Take and restore a backup of the database that the app is configured with."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from contest import clock


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the organiser, in Vietnamese."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int


def default_backup_path(database_uri: str, folder: Path) -> Path:
    """Name a new backup after the moment it is taken (Vietnam time), in ``folder``."""
    stamp = clock.to_vn(clock.now()).strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3" if database_uri.startswith("sqlite") else ".dump"
    return folder / f"hoithi-{stamp}{suffix}"


def sqlite_file(database_uri: str) -> Path:
    """The file of a SQLite database URI."""
    database = make_url(database_uri).database
    if not database or database == ":memory:":
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return Path(database)


def libpq_url(database_uri: str) -> str:
    """The URI as ``pg_dump`` and ``pg_restore`` read it (no SQLAlchemy driver name)."""
    return make_url(database_uri).set(drivername="postgresql").render_as_string(hide_password=False)


def take_backup(database_uri: str, target: Path) -> Backup:
    """Write a consistent copy of the database to ``target`` (created readable by its owner only)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"Tệp {target} đã có; chọn tên khác để không ghi đè bản sao lưu cũ.")
    if database_uri.startswith("sqlite"):
        _sqlite_backup(sqlite_file(database_uri), target)
    elif database_uri.startswith("postgresql"):
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), libpq_url(database_uri)],
             "pg_dump")
    else:
        raise BackupError("Chỉ sao lưu được SQLite và PostgreSQL.")
    target.chmod(0o600)
    return Backup(path=target, size=target.stat().st_size)


def restore_backup(database_uri: str, source: Path) -> None:
    """Replace the database's content with the backup in ``source`` (the app servers must be stopped)."""
    if not source.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {source}.")
    if database_uri.startswith("sqlite"):
        _check_sqlite_backup(source)
        destination = sqlite_file(database_uri)
        with sqlite3.connect(source) as src, sqlite3.connect(destination) as dst:
            src.backup(dst)
        src.close()
        dst.close()
    elif database_uri.startswith("postgresql"):
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", libpq_url(database_uri), str(source)], "pg_restore")
    else:
        raise BackupError("Chỉ khôi phục được SQLite và PostgreSQL.")


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupError(f"Không tìm thấy tệp cơ sở dữ liệu {database}.")
    partial = target.with_name(target.name + ".dang-ghi")
    try:
        # The online backup API copies the committed state of one moment, WAL included; readers and the
        # app's writers go on (a write during a step makes SQLite restart that step).
        with sqlite3.connect(database) as src, sqlite3.connect(partial) as dst:
            src.backup(dst, pages=4096)
            dst.execute("PRAGMA journal_mode=DELETE")
        src.close()
        dst.close()
        _check_sqlite_backup(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _check_sqlite_backup(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
        conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Tệp {path} không phải bản sao lưu SQLite dùng được.") from error
    if not result or result[0] != "ok":
        raise BackupError(f"Tệp {path} bị hỏng (kiểm tra toàn vẹn không đạt).")


def _run(command: list[str], tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"Không tìm thấy lệnh {tool}: cài gói postgresql-client cùng phiên bản với máy chủ.")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        raise BackupError(f"{tool} không chạy được (mã {done.returncode}): {detail[0]}")
