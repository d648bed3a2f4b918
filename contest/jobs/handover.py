"""Uploads handed to a background job: the request that starts an import (or a bank check) writes the file into
the jobs folder (JOBS_FOLDER, shared by every app server and job worker: the process that runs the job need not be
the one that received the upload), and the job reads it back, checked, and deletes it.

One name pattern for every kind, ``<what>-<random token>.bin`` (``what``: e.g. ``bank-import``, ``bank-check``,
``roster-import``, ``units-import``); the job's parameters carry the name and the file's SHA-256, so a job reads
only a file of that pattern inside the jobs folder, and only the bytes it was given. ``flask jobs sweep`` deletes
the handed files that no job ever read (their process died): :func:`sweep_handed`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path
from typing import Any

from contest.jobs.progress import JobFailed, jobs_folder

_WHAT = re.compile(r"[a-z]+-[a-z]+")
# (130: the bank imports' files of before this module were named by the upload's token and SHA-256.)
HANDED = re.compile(r"[a-z]+-[a-z]+-[A-Za-z0-9_\-]{20,130}\.bin")


def hand_over(what: str, data: bytes, filename: str, **extra: Any) -> dict[str, Any]:
    """Write ``data`` (an uploaded ``filename``) into the jobs folder for the job of kind ``what``. Returns the
    job's parameters (JSON-safe): the stored name, the SHA-256, the file name and ``extra``."""
    if not _WHAT.fullmatch(what):
        raise ValueError(f"hand_over: {what!r} is not a name like 'bank-import'")
    stored = f"{what}-{secrets.token_urlsafe(24)}.bin"
    (jobs_folder() / stored).write_bytes(data)
    return {**extra, "file": stored, "sha256": hashlib.sha256(data).hexdigest(), "filename": filename}


def _handed_path(params: dict[str, Any]) -> Path | None:
    stored = params.get("file") or ""
    return jobs_folder() / stored if HANDED.fullmatch(stored) else None


def handed_bytes(params: dict[str, Any]) -> bytes:
    """The bytes a job was handed (see :func:`hand_over`), checked against their SHA-256; a bad name, a missing
    file or changed bytes fail the job with a Vietnamese message."""
    path = _handed_path(params)
    if path is None:
        raise JobFailed("Đường dẫn tệp tải lên không hợp lệ.")
    if not path.is_file():
        raise JobFailed("Không còn tệp đã tải lên (máy chủ đã dọn tệp). Vui lòng tải tệp lên lại.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != params.get("sha256"):
        raise JobFailed("Tệp đã tải lên bị thay đổi sau khi được giao cho công việc. Vui lòng tải tệp lên lại.")
    return data


def forget(params: dict[str, Any]) -> None:
    """Delete the file a job was handed (nothing happens for a name outside the pattern)."""
    path = _handed_path(params)
    if path is not None:
        path.unlink(missing_ok=True)


def sweep_handed(before: float, folder: Path | None = None) -> int:
    """Delete the handed files last written before ``before`` (a timestamp) that no job read. Returns how many."""
    deleted = 0
    for path in (folder or jobs_folder()).glob("*.bin"):
        if HANDED.fullmatch(path.name) and path.stat().st_mtime < before:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
