"""What each kind of job does: an export to a file, a full rankings recompute of one round, the check (preview
report) of a large question bank file, a large question bank, officials' roster or units import from the console.

Each runner is called as ``runner(job, progress)`` inside an app context, by whichever process runs the job,
and returns an :class:`~contest.jobs.service.Outcome` or raises ``JobFailed`` with a Vietnamese message.
"""

from __future__ import annotations

import math
import secrets
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from contest.accounts.models import User
from contest.accounts.roster_service import ROSTER_TAKEN, codes_json, write_roster_import
from contest.banks.importing import CHECKED_SHARE, BankError, BankNotYours, write_bank_import
from contest.banks.sharing import may_change_bank, new_bank_owner
from contest.banks.staging import check_upload, store_check_report
from contest.contests.models import Round
from contest.exports.registry import ExportParams
from contest.exports.service import FORMATS, ExportError, export_kind, run_export
from contest.extensions import db
from contest.jobs.handover import forget, handed_bytes
from contest.jobs.models import Job
from contest.jobs.progress import JobFailed, Outcome, Progress, jobs_folder
from contest.reports.periods import make_period
from contest.units.scope import scope_root
from contest.units.service import visible_unit_ids, write_units_import


def export_params(kind: str, fmt: str, round_id: int | None = None, start: date | None = None,
                  end: date | None = None, filters: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON-safe parameters of an export job."""
    return {"kind": kind, "fmt": fmt, "round": round_id, "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None, "filters": dict(filters or {})}


class _ProgressFile:
    """The export's output file, reporting progress as bytes arrive. The total is not known in advance, so
    the bar climbs towards 95 % (half-way at 2 MB) and jumps to 100 % when the file is complete."""

    def __init__(self, handle, progress: Progress):
        self.handle, self.progress, self.written = handle, progress, 0

    def write(self, data) -> int:
        self.written += len(data)
        self.progress(5 + 90 * (1 - math.exp(-self.written / 2_900_000)))
        return self.handle.write(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)


def run_export_job(job: Job, progress: Progress) -> Outcome:
    """Write the export of ``job.params`` for its owner (checked again now: a role taken away since the job
    was started stops it) to a file in the jobs folder."""
    p = job.params
    actor = db.session.get(User, job.owner_id) if job.owner_id is not None else None
    if job.owner_id is not None and actor is None:
        raise JobFailed("Tài khoản đã yêu cầu xuất dữ liệu không còn tồn tại.")
    try:
        kind = export_kind(p["kind"])
        round_ = None
        if p.get("round"):
            round_ = db.session.get(Round, int(p["round"]))
            if round_ is None:
                raise ExportError("Không tìm thấy đợt thi đã chọn.")
        period = None
        if p.get("from") or p.get("to"):
            period = make_period(date.fromisoformat(p["from"]) if p.get("from") else None,
                                 date.fromisoformat(p["to"]) if p.get("to") else None)
        params = ExportParams(round=round_, period=period, filters=dict(p.get("filters") or {}))
        fmt = p.get("fmt", "xlsx")
        path = jobs_folder() / f"{job.id}-{secrets.token_hex(8)}.{fmt}"
        progress(5, force=True)
        try:
            with path.open("wb") as handle:
                result = run_export(kind, params, actor, fmt, _ProgressFile(handle, progress))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    except (ExportError, ValueError) as exc:
        raise JobFailed(str(exc)) from exc
    return Outcome(str(path), result.filename, FORMATS[fmt])


def run_recompute_job(job: Job, progress: Progress) -> Outcome:
    """Recompute and store the standings of round ``job.params["round"]`` (a full recompute of a large round
    takes seconds: never inside a page request). One commit."""
    from contest.ranking.refresh import refresh_results

    round_ = db.session.get(Round, int(job.params["round"]))
    if round_ is None:
        raise JobFailed("Không tìm thấy đợt thi cần tính lại xếp hạng.")
    progress(10, force=True)
    refresh_results(round_)
    db.session.commit()
    return Outcome()


IMPORT_ERRORS_SHOWN = 200


def run_bank_check_job(job: Job, progress: Progress) -> Outcome:
    """Check a large bank file handed over by the console's upload (:func:`contest.banks.staging.
    hand_over_for_check`) once, for its owner (checked again now: still an active organiser; a ward organiser
    may not re-import another ward's bank), and store the preview's report in the jobs folder, keyed by the
    upload's token and SHA-256 (the job's result file). The preview page is rendered from it. Writes nothing to
    the database but the job's own row."""
    p = job.params
    try:
        actor = _organiser(job, "ngân hàng câu hỏi")
        data = handed_bytes(p)
        progress(5, force=True)
        try:
            report = check_upload(data, p["filename"], token=p["token"], bank_name=p.get("bank_name"),
                                  skip_unsupported=bool(p.get("skip_unsupported")), topic=p.get("topic"),
                                  user=actor, progress=lambda fraction: progress(5 + 90 * fraction))
            path = store_check_report(report)
        except BankError as exc:
            raise JobFailed(str(exc)) from exc
        errors = f"{len(report['errors'])} lỗi" if report["errors"] else "không có lỗi"
        job.params = {**p, "summary": f"Đã kiểm tra “{p['filename']}”: đọc được {report['read']} câu hỏi, "
                                      f"{errors}."}
    finally:
        forget(p)
    return Outcome(str(path), None, "application/json")


def run_bank_import_job(job: Job, progress: Progress) -> Outcome:
    """Import the bank file handed over by the console's confirm (:func:`contest.banks.staging.hand_over`), all
    or nothing, for its owner, whose rights are checked again now (still an organiser; a ward organiser
    changes only their ward's banks). The one commit of the import is here, with the summary the job page
    shows; any error leaves nothing imported and fails the job with the file's row-numbered errors."""
    p = job.params
    try:
        actor = db.session.get(User, job.owner_id) if job.owner_id is not None else None
        if actor is None or actor.role != "organiser" or not actor.is_active:
            raise JobFailed("Tài khoản đã yêu cầu nhập ngân hàng câu hỏi không còn quyền nhập.")
        progress(3, force=True)
        # SQLite has one writer: once the import has written its first row, the bar's own connection would
        # wait for the import's commit, so there the bar moves only up to the end of the check.
        shown = db.engine.dialect.name != "sqlite"

        def advance(fraction: float) -> None:
            if fraction <= CHECKED_SHARE or shown:
                progress(3 + 94 * fraction, force=fraction == CHECKED_SHARE)

        try:
            report = write_bank_import(
                handed_bytes(p), p["filename"], p.get("bank_name"), skip_unsupported=bool(p.get("skip_unsupported")),
                topic=p.get("topic"), owner_unit_id=new_bank_owner(actor), actor=actor,
                may_change=lambda bank: may_change_bank(actor, bank),
                progress=advance)
        except BankNotYours as exc:
            raise JobFailed(f"{exc} Không có gì được nhập.") from exc
        except BankError as exc:
            raise JobFailed(str(exc)) from exc
        if not report.ok:
            raise JobFailed(bank_import_failure(report.errors))
        job.params = {**p, "bank": report.bank_name, "summary": "Đã nhập. " + report.summary}
        db.session.commit()
    finally:
        forget(p)
    return Outcome()


def bank_import_failure(errors) -> str:
    """The failed bank import's message: nothing imported, then each error on its own line, with its row."""
    return import_failure(errors, "không có câu hỏi nào được nhập")


def import_failure(problems, nothing: str) -> str:
    """A failed import's message: how many problems and that ``nothing`` happened, then each problem (with its
    row) on a line of its own, the first 200 of them."""
    lines = [f"Tệp có {len(problems)} lỗi; {nothing}. Hãy sửa tệp rồi tải lên lại."]
    lines += [str(problem) for problem in problems[:IMPORT_ERRORS_SHOWN]]
    if len(problems) > IMPORT_ERRORS_SHOWN:
        lines.append(f"… và {len(problems) - IMPORT_ERRORS_SHOWN} lỗi khác.")
    return "\n".join(lines)


def _organiser(job: Job, what: str) -> User:
    """The job's owner, if still an active organiser."""
    actor = db.session.get(User, job.owner_id) if job.owner_id is not None else None
    if actor is None or actor.role != "organiser" or not actor.is_active:
        raise JobFailed(f"Tài khoản đã yêu cầu nhập {what} không còn quyền nhập.")
    return actor


def run_roster_import_job(job: Job, progress: Progress) -> Outcome:
    """Import the officials' roster handed over by the console's confirm, all or nothing, within the scope its
    owner has now (still an organiser; a ward organiser: their ward's units). The new people's one-time codes
    go to a file of the jobs folder, read once by the slips page (never downloadable as such). One commit."""
    p = job.params
    codes_path = None
    try:
        actor = _organiser(job, "danh sách cán bộ")
        data = handed_bytes(p)
        progress(3, force=True)
        try:
            report = write_roster_import(data, p["filename"], visible_unit_ids(actor), actor=actor,
                                         progress=lambda fraction: progress(3 + 90 * fraction))
            if not report.ok:
                raise JobFailed(import_failure(report.problems, "không có ai được nhập"))
            codes_path = jobs_folder() / f"{job.id}-{secrets.token_hex(8)}.codes.json"
            codes_path.write_text(codes_json(report.codes), encoding="utf-8")
            codes_path.chmod(0o600)
            job.params = {**p, "summary": (f"Đã nhập “{p['filename']}”: {report.count('create')} người mới, "
                                           f"{report.count('update')} cập nhật, {report.count('same')} không đổi."),
                          "codes": len(report.codes)}
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            raise JobFailed(ROSTER_TAKEN) from exc
    except BaseException:
        if codes_path is not None:
            codes_path.unlink(missing_ok=True)
        raise
    finally:
        forget(p)
    return Outcome(str(codes_path), None, "application/json")


def run_units_import_job(job: Job, progress: Progress) -> Outcome:
    """Import the units file handed over by the console, all or nothing, within the scope its owner has now (a
    ward organiser: inside their ward). One commit, with the summary the job page shows."""
    p = job.params
    try:
        actor = _organiser(job, "danh sách đơn vị")
        data = handed_bytes(p)
        progress(10, force=True)
        try:
            report = write_units_import(data, p["filename"], scope_root(actor), actor=actor)
            if not report.ok:
                raise JobFailed(import_failure(report.problems, "không có đơn vị nào được nhập"))
            job.params = {**p, "summary": f"Đã nhập {p['filename']}: {report.created} đơn vị mới, "
                                          f"{report.updated} đơn vị cập nhật."}
            db.session.commit()
        except IntegrityError as exc:  # the same unit codes created meanwhile (another import)
            db.session.rollback()
            raise JobFailed("Một số mã đơn vị trong tệp vừa được tạo bởi một lần nhập khác. Không có thay đổi "
                            "nào; vui lòng nhập lại tệp.") from exc
    finally:
        forget(p)
    return Outcome()
