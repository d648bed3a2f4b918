"""Staged uploads: an uploaded bank file held server-side between its preview and its import, so that the
import is exactly the file the organiser previewed.

A large file (more than BANK_CHECK_JOB_BYTES) is checked by a background job (``bank_check``,
:mod:`contest.jobs.kinds`), which stores its report (:func:`check_upload`) in the jobs folder keyed by the upload's
token and SHA-256: the preview is rendered from that report, never by parsing the file in a request. A file of
many questions is imported by a background job too (``bank_import``): on confirm its bytes are handed over to the
jobs folder (JOBS_FOLDER, shared by every app server and job worker; :mod:`contest.jobs.handover`), since the
process that runs the job need not be the one that staged the upload."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from contest.banks.importing import (
    BankError,
    BankImportReport,
    bank_name_problem,
    check_bank_file,
    import_bank,
    plan_import,
    resolve_bank_name,
)
from contest.banks.lint import lint_questions
from contest.banks.models import Bank
from contest.banks.parsing import BankProblem, ParsedBank
from contest.banks.sharing import changeable_bank
from contest.extensions import db
from contest.jobs import handover
from contest.jobs.progress import jobs_folder
from contest.vntext import clean

_TOKEN = re.compile(r"[A-Za-z0-9_\-]{20,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
UPLOAD_LIFETIME_SECONDS = 24 * 3600
PREVIEW_QUESTIONS = 50  # the questions the preview shows
PREVIEW_LINT_MAX = 3000  # larger files are left to `flask bank lint`, so the check stays quick


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
    # Who uploaded it (None: staged before owners were noted), and the background job checking it (None: the
    # file is small and the preview checks it in the request).
    owner_id: int | None = None
    check_job: int | None = None

    @property
    def checked_by_job(self) -> bool:
        """Large: a background job checks it, and the preview shows the job's report."""
        return self.check_job is not None


def _upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "bank-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stage_upload(data: bytes, filename: str, *, bank_name: str | None = None, skip_unsupported: bool = False,
                 topic: str | None = None, owner_id: int | None = None) -> StagedUpload:
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
            "skip_unsupported": skip_unsupported, "topic": clean(topic) or None, "owner": owner_id}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return StagedUpload(token, digest, meta["filename"], data, meta["bank_name"], skip_unsupported, meta["topic"],
                        owner_id=owner_id)


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
                        meta.get("target"), meta.get("owner"), meta.get("check_job"))


def _note(upload: StagedUpload, **values) -> None:
    meta_path = _upload_folder() / f"{upload.token}.json"
    if not meta_path.is_file():
        return
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if all(meta.get(key) == value for key, value in values.items()):
        return
    meta.update(values)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def note_checked(upload: StagedUpload, questions: int, target: str) -> None:
    """Remember what the preview found (how many questions, which bank), so that the confirm knows whether the
    import is large enough for a background job without reading the file again."""
    _note(upload, questions=questions, target=target)
    upload.questions, upload.target = questions, target


def note_check_job(upload: StagedUpload, job_id: int) -> None:
    """Remember the background job that checks this upload: its preview is rendered from the job's report."""
    _note(upload, check_job=job_id)
    upload.check_job = job_id


def hand_over_for_check(upload: StagedUpload) -> dict:
    """The parameters of the ``bank_check`` job of a staged upload: a copy of its bytes in the jobs folder (the
    staged file stays for the preview and the confirm) and how to read it."""
    return handover.hand_over("bank-check", upload.data, upload.filename, token=upload.token,
                              bank_name=upload.bank_name, skip_unsupported=upload.skip_unsupported,
                              topic=upload.topic)


def check_upload(data: bytes, filename: str, *, token: str, bank_name: str | None, skip_unsupported: bool,
                 topic: str | None, user, lint_max: int = PREVIEW_LINT_MAX, shown: int = PREVIEW_QUESTIONS,
                 progress=None) -> dict:
    """Check an uploaded file once and return the preview's report (JSON-safe): its errors (with their row, line
    or question) and warnings, the questions read and found, the counts by topic and by kind, the first ``shown``
    questions, the bank it goes into and what the import would change there, and the item-writing advice when
    the file has at most ``lint_max`` questions; a bank of that name that ``user`` may not change is an error
    (:func:`bank_not_yours`). ``progress(fraction)`` is told how far the check got."""
    progress = progress or (lambda fraction: None)
    parsed = check_bank_file(data, filename, bank_name=bank_name, skip_unsupported=skip_unsupported, topic=topic)
    progress(0.6)
    name = resolve_bank_name(parsed, filename, bank_name)
    problem = bank_name_problem(name) or bank_not_yours(name, user)
    if problem:
        parsed.errors.append(problem)
    plan = None
    if parsed.ok:
        plan = plan_import(parsed, name)[1]
        plan = {"added": len(plan.added), "changed": len(plan.changed), "unchanged": plan.unchanged,
                "retired": len(plan.retired)}
    progress(0.8)
    lint = None
    if len(parsed.questions) <= lint_max:
        lint = [{"severity": finding.severity, "text": str(finding)}
                for finding in lint_questions(parsed.questions).findings]
    return {"token": token, "sha256": hashlib.sha256(data).hexdigest(), "format": parsed.format,
            "bank_name": name, "errors": [str(e) for e in parsed.errors],
            "warnings": [str(w) for w in parsed.warnings], "read": len(parsed.questions),
            "skipped": len(parsed.skipped), "found": questions_in_file(parsed),
            "topics": list(Counter(q.topic for q in parsed.questions).items()),
            "kinds": list(Counter(q.kind for q in parsed.questions).items()), "plan": plan, "lint": lint,
            "preview": [{"text": q.text, "options": list(q.options), "correct": list(q.correct), "code": q.code,
                         "topic": q.topic, "kind": q.kind, "difficulty": q.difficulty, "source": q.source}
                        for q in parsed.questions[:shown]]}


def bank_not_yours(name: str, user) -> BankProblem | None:
    """A file whose bank already exists and that ``user`` may not change cannot be imported (names are unique
    across the deployment)."""
    exists = db.session.scalar(select(Bank.id).where(Bank.name == name)) is not None
    if not exists or changeable_bank(name, user) is not None:
        return None
    return BankProblem(None, None, f"Tên ngân hàng “{name}” đã được dùng cho ngân hàng của đơn vị khác; hãy đặt "
                                   "tên khác.")


def questions_in_file(parsed: ParsedBank) -> int:
    """How many questions the file holds, read or not: the parser's count, else one per question read and one
    per other row, line or question that has an error."""
    if parsed.found is not None:
        return max(parsed.found, len(parsed.questions))
    read = {(q.where, q.number) for q in parsed.questions}
    broken = {(e.where, e.number) for e in parsed.errors if e.where and e.number is not None} - read
    return len(parsed.questions) + len(broken)


def _report_path(token: str, sha256: str) -> Path:
    return jobs_folder() / f"bank-check-{token}-{sha256}.json"


def store_check_report(report: dict) -> Path:
    """Keep a check job's report in the jobs folder (shared by every app server), named by the upload's token and
    SHA-256. Returns its path (the job's result file: the jobs sweep deletes it with the job's other files)."""
    if not _TOKEN.fullmatch(report.get("token") or "") or not _SHA256.fullmatch(report.get("sha256") or ""):
        raise BankError("Đường dẫn tệp tải lên không hợp lệ.")
    path = _report_path(report["token"], report["sha256"])
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return path


def stored_check_report(upload: StagedUpload) -> dict | None:
    """The check job's report on ``upload`` (None: not written yet, or not about exactly this file)."""
    path = _report_path(upload.token, upload.sha256)
    if not path.is_file():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("token") != upload.token or report.get("sha256") != upload.sha256:
        return None
    return report


def hand_over(upload: StagedUpload) -> dict:
    """Copy a staged file into the jobs folder for the background job that imports it
    (:func:`contest.jobs.handover.hand_over`), and forget the staged copy (confirming twice starts one job).
    Returns the job's parameters (JSON-safe)."""
    params = handover.hand_over("bank-import", upload.data, upload.filename, bank_name=upload.bank_name,
                                skip_unsupported=upload.skip_unsupported, topic=upload.topic,
                                questions=upload.questions, target=upload.target)
    discard_upload(upload.token)
    return params


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
    """Delete a staged file, its description and its check report."""
    if not _TOKEN.fullmatch(token or ""):
        return
    for path in _upload_folder().glob(f"{token}*"):
        if path.name.startswith(token + "-") or path.name == f"{token}.json":
            path.unlink(missing_ok=True)
    for path in jobs_folder().glob(f"bank-check-{token}-*.json"):
        path.unlink(missing_ok=True)
