"""Staged uploads: an uploaded bank file held server-side between its preview and its import, so that the
import is exactly the file the organiser previewed.

A large file is imported by a background job (``bank_import``, :mod:`contest.jobs.kinds`): on confirm its bytes
are handed over to the jobs folder (JOBS_FOLDER, shared by every app server and job worker), since the process
that runs the job need not be the one that staged the upload."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from contest.banks.importing import BankError, BankImportReport, import_bank
from contest.jobs.progress import jobs_folder
from contest.vntext import clean

_TOKEN = re.compile(r"[A-Za-z0-9_\-]{20,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_HANDED = re.compile(r"bank-import-[A-Za-z0-9_\-]{20,64}-[0-9a-f]{64}\.bin")
UPLOAD_LIFETIME_SECONDS = 24 * 3600


@dataclass
class StagedUpload:
    """An uploaded bank file kept server-side so the import is exactly the file previewed."""

    token: str
    sha256: str
    filename: str
    data: bytes
    bank_name: str | None
    skip_unsupported: bool
    topic: str | None
    # Noted by the preview: how many questions the check read, and the bank they go into (None: not previewed).
    questions: int | None = None
    target: str | None = None


def _upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "bank-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stage_upload(data: bytes, filename: str, *, bank_name: str | None = None, skip_unsupported: bool = False,
                 topic: str | None = None) -> StagedUpload:
    """Keep an uploaded file under the instance folder, keyed by a random token and its SHA-256."""
    folder = _upload_folder()
    cutoff = time.time() - UPLOAD_LIFETIME_SECONDS
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256(data).hexdigest()
    (folder / f"{token}-{digest}.bin").write_bytes(data)
    meta = {"filename": Path(filename).name, "bank_name": clean(bank_name) or None,
            "skip_unsupported": skip_unsupported, "topic": clean(topic) or None}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return StagedUpload(token, digest, meta["filename"], data, meta["bank_name"], skip_unsupported, meta["topic"])


def staged_upload(token: str, sha256: str) -> StagedUpload:
    """The staged file for ``token``, checked against the SHA-256 the organiser saw."""
    if not _TOKEN.fullmatch(token or "") or not _SHA256.fullmatch(sha256 or ""):
        raise BankError("Đường dẫn tệp tải lên không hợp lệ.")
    folder = _upload_folder()
    path, meta_path = folder / f"{token}-{sha256}.bin", folder / f"{token}.json"
    if not path.is_file() or not meta_path.is_file():
        raise BankError("Không còn tệp đã tải lên (đã nhập hoặc quá 24 giờ). Vui lòng tải tệp lên lại.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise BankError("Tệp đã tải lên bị thay đổi sau khi kiểm tra. Vui lòng tải tệp lên lại.")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return StagedUpload(token, sha256, meta["filename"], data, meta.get("bank_name"),
                        bool(meta.get("skip_unsupported")), meta.get("topic"), meta.get("questions"),
                        meta.get("target"))


def note_checked(upload: StagedUpload, questions: int, target: str) -> None:
    """Remember what the preview found (how many questions, which bank), so that the confirm knows whether the
    import is large enough for a background job without reading the file again."""
    meta_path = _upload_folder() / f"{upload.token}.json"
    if not meta_path.is_file():
        return
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("questions") == questions and meta.get("target") == target:
        return
    meta.update(questions=questions, target=target)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    upload.questions, upload.target = questions, target


def hand_over(upload: StagedUpload) -> dict:
    """Copy a staged file into the jobs folder for the background job that imports it, and forget the staged
    copy (confirming twice starts one job). Returns the job's parameters (JSON-safe)."""
    stored = f"bank-import-{upload.token}-{upload.sha256}.bin"
    (jobs_folder() / stored).write_bytes(upload.data)
    discard_upload(upload.token)
    return {"file": stored, "sha256": upload.sha256, "filename": upload.filename, "bank_name": upload.bank_name,
            "skip_unsupported": upload.skip_unsupported, "topic": upload.topic, "questions": upload.questions,
            "target": upload.target}


def handed_over(params: dict) -> bytes:
    """The bytes a background import job was handed (see :func:`hand_over`), checked against their SHA-256."""
    stored = params.get("file") or ""
    if not _HANDED.fullmatch(stored):
        raise BankError("Đường dẫn tệp tải lên không hợp lệ.")
    path = jobs_folder() / stored
    if not path.is_file():
        raise BankError("Không còn tệp đã tải lên (máy chủ đã dọn tệp). Vui lòng tải tệp lên lại.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != params.get("sha256"):
        raise BankError("Tệp đã tải lên bị thay đổi sau khi kiểm tra. Vui lòng tải tệp lên lại.")
    return data


def forget_handed_over(params: dict) -> None:
    """Delete the file a background import job was handed."""
    stored = params.get("file") or ""
    if _HANDED.fullmatch(stored):
        (jobs_folder() / stored).unlink(missing_ok=True)


def import_staged(token: str, sha256: str, owner_unit_id: int | None = None, may_change=None) -> BankImportReport:
    """Import the staged file exactly as previewed (a new bank belongs to ``owner_unit_id``; an existing one
    only if ``may_change(bank)``), then forget it."""
    upload = staged_upload(token, sha256)
    report = import_bank(upload.data, upload.filename, upload.bank_name, skip_unsupported=upload.skip_unsupported,
                         topic=upload.topic, owner_unit_id=owner_unit_id, may_change=may_change)
    if report.ok:
        discard_upload(token)
    return report


def discard_upload(token: str) -> None:
    """Delete a staged file and its description."""
    if not _TOKEN.fullmatch(token or ""):
        return
    for path in _upload_folder().glob(f"{token}*"):
        if path.name.startswith(token + "-") or path.name == f"{token}.json":
            path.unlink(missing_ok=True)
