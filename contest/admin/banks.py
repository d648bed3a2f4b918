"""Organiser pages for question banks: the list, upload a file, read its report and preview, confirm the
import; download the Excel template and any bank as Excel, GIFT or YAML; copy a city bank into a ward's own.

Banks are shared downward (issue 19): a ward organiser sees the city's banks read-only and may copy one to edit
it; every change to a bank they do not own answers 404 (:mod:`contest.banks.sharing`).

The uploaded bytes stay on the server between the preview and the import (keyed by a random token and the
file's SHA-256), so what is imported is exactly what the organiser looked at. A file of more than
BANK_CHECK_JOB_BYTES bytes is checked by a background job (``bank_check``): the upload request only stages it and
starts the job, and the preview is rendered from the job's stored report (until it is written, the preview says
the file is being checked and shows the job's progress); no request parses a large file. A file of more than
BANK_IMPORT_JOB_QUESTIONS questions (as the check counted them) is imported by a background job: the confirm
hands the file over and goes to the job's progress page at once.
"""

from __future__ import annotations

import io
from contextlib import suppress

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from contest.admin import bp
from contest.admin.jobs import status_of
from contest.banks.exporting import KIND_LABELS
from contest.banks.exports import EXPORT_FORMATS, export_bank, template_xlsx
from contest.banks.formats import FORMAT_NAMES, PARSERS
from contest.banks.importing import BankError, BankNotYours, bank_name_problem
from contest.banks.models import Bank
from contest.banks.parsing import BankProblem
from contest.banks.sharing import (
    bank_rows,
    changeable_bank,
    copy_bank,
    may_change_bank,
    new_bank_owner,
    readable_bank,
)
from contest.banks.staging import (
    PREVIEW_LINT_MAX,
    PREVIEW_QUESTIONS,
    StagedUpload,
    bank_not_yours,
    check_upload,
    discard_upload,
    hand_over,
    hand_over_for_check,
    import_staged,
    note_check_job,
    note_checked,
    stage_upload,
    staged_upload,
    stored_check_report,
)
from contest.extensions import db
from contest.jobs.service import job_of, submit_job
from contest.vntext import code_from_title

DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024
PAGE_FORMATS = ("xlsx", "gift", "yaml")


class BankUploadForm(FlaskForm):
    """A bank file and how to read it."""

    file = FileField("Tệp câu hỏi", validators=[FileRequired("Chọn tệp câu hỏi để tải lên.")],
                     description="Excel (.xlsx), CSV, Word (.docx), Aiken hoặc GIFT (.txt, .gift), YAML, JSON.")
    bank_name = StringField("Tên ngân hàng (không bắt buộc)", validators=[Optional(), Length(max=80)],
                            description="Gõ tên tùy ý, ví dụ “Ngân hàng CCHC 2026”: mã ngân hàng (ngan-hang-cchc-2026) "
                                        "được tạo tự động. Trùng mã ngân hàng đã có thì cập nhật ngân hàng đó; bỏ "
                                        "trống thì lấy theo tên tệp.")
    topic = StringField("Chủ đề mặc định (không bắt buộc)", validators=[Optional(), Length(max=200)],
                        description="Cho câu hỏi trong tệp không ghi chủ đề (Aiken, Word không có đề mục).")
    skip_unsupported = BooleanField("Bỏ qua câu hỏi dạng không hỗ trợ (GIFT: trả lời ngắn, số, ghép cặp, tự "
                                    "luận…; Word: câu có hình ảnh) và nhập các câu còn lại")


class ConfirmForm(FlaskForm):
    """An empty form: only its CSRF token matters."""


@bp.route("/banks")
def banks():
    """The banks the organiser sees, with their active and retired question counts: a ward's own banks and,
    read-only, the city's."""
    return render_template("admin/banks.html", rows=bank_rows(current_user))


@bp.route("/banks/<name>/copy", methods=["POST"])
def bank_copy(name: str):
    """Copy a city bank into a new bank of the ward, to edit it ("Sao chép để chỉnh sửa")."""
    bank = readable_bank(name, current_user)
    if bank is None or changeable_bank(name, current_user) is not None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        flash("Phiên làm việc đã hết hạn. Vui lòng tải lại trang rồi thử lại.", "error")
        return redirect(url_for("admin.banks"))
    try:
        copy = copy_bank(bank, current_user)
    except BankError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.banks"))
    flash(f"Đã sao chép “{bank.title or bank.name}” thành ngân hàng “{copy.name}” của đơn vị; hãy chỉnh sửa bản "
          "sao này.", "success")
    return redirect(url_for("admin.bank_questions", name=copy.name))


@bp.route("/banks/upload", methods=["GET", "POST"])
def bank_upload():
    """Upload a bank file to check it before importing."""
    form = BankUploadForm()
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or ""
        data = upload.read()
        limit = current_app.config.get("BANK_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_LIMIT)
        suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if suffix not in PARSERS:
            form.file.errors.append(f"Không nhận tệp “{filename}”. Các loại tệp được nhận: "
                                    f"{', '.join(FORMAT_NAMES.values())}.")
        elif not data:
            form.file.errors.append("Tệp trống.")
        elif len(data) > limit:
            form.file.errors.append(f"Tệp nặng {len(data) / 1048576:.1f} MB, vượt giới hạn "
                                    f"{limit / 1048576:.0f} MB. Hãy chia thành nhiều tệp nhỏ hơn.")
        else:
            # Organisers type a title; the bank's code is derived from it (lower case, no accents, hyphens).
            bank_name = code_from_title(form.bank_name.data) or None if form.bank_name.data else None
            staged = stage_upload(data, filename, bank_name=bank_name, topic=form.topic.data,
                                  skip_unsupported=form.skip_unsupported.data, owner_id=current_user.id)
            if len(data) > int(current_app.config["BANK_CHECK_JOB_BYTES"]):
                _check_as_job(staged)
            return redirect(url_for("admin.bank_preview", token=staged.token, sha256=staged.sha256))
        status = 422
    elif form.errors:
        status = 422
    return render_template("admin/banks/upload.html", form=form, formats=FORMAT_NAMES), status


def _check_as_job(upload: StagedUpload) -> None:
    """Hand a large upload to a background job that checks it once and stores the preview's report (decided by
    its size alone: nothing is parsed in this request)."""
    size = f"{len(upload.data) / 1048576:.1f}".replace(".", ",")
    job = submit_job("bank_check", hand_over_for_check(upload), current_user,
                     f"Kiểm tra tệp câu hỏi “{upload.filename}” ({size} MB)")
    note_check_job(upload, job.id)


def _own_upload(token: str, sha256: str) -> StagedUpload:
    """The staged upload, if the signed-in organiser uploaded it (anyone else: 404)."""
    upload = staged_upload(token, sha256)
    if upload.owner_id is not None and upload.owner_id != current_user.id:
        abort(404)
    return upload


@bp.route("/banks/upload/<token>/<sha256>")
def bank_preview(token: str, sha256: str):
    """The report on an uploaded file: errors with their row, line or question, warnings and a preview."""
    try:
        upload = _own_upload(token, sha256)
    except BankError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.bank_upload"))
    if upload.checked_by_job:
        return _render_checked(upload)
    return _render_preview(upload)


def _render_preview(upload: StagedUpload, status: int = 200, import_errors=None):
    """Check a small upload in the request and show its report."""
    report = check_upload(upload.data, upload.filename, token=upload.token, bank_name=upload.bank_name,
                          skip_unsupported=upload.skip_unsupported, topic=upload.topic, user=current_user,
                          lint_max=PREVIEW_LINT_MAX, shown=PREVIEW_QUESTIONS)
    return _render_report(upload, report, status, import_errors)


def _render_checked(upload: StagedUpload, status: int = 200, import_errors=None):
    """Show the report the check job stored on a large upload, or, until it is written, the job's progress."""
    report = stored_check_report(upload)
    if report is not None:
        return _render_report(upload, report, status, import_errors)
    job = job_of(upload.check_job, current_user)
    if job is None:
        abort(404)
    return render_template("admin/banks/checking.html", upload=upload, job=job, status=status_of(job),
                           autodownload=False)


def _render_report(upload: StagedUpload, report: dict, status: int = 200, import_errors=None):
    """The preview page of a check report. What depends on the database is checked again here, cheaply: the
    bank's name, whether the bank exists, whether it is the organiser's."""
    name = report["bank_name"]
    errors = list(report["errors"])
    for problem in [bank_name_problem(name) or _not_yours(name), *(import_errors or [])]:
        if problem is not None and str(problem) not in errors:
            errors.append(str(problem))
    bank = db.session.scalar(select(Bank.id).where(Bank.name == name)) is not None
    # The confirm reads the size noted here: a large file (even one with errors, confirmed from a stale page)
    # goes to a background job, so no confirm parses a large file inside its request.
    note_checked(upload, report["found"], name)
    return render_template("admin/banks/preview.html", upload=upload, report=report, errors=errors,
                           plan=None if errors else report["plan"], bank_name=name, bank=bank,
                           kind_labels=KIND_LABELS, form=ConfirmForm(), letters="ABCDEF"), 422 if errors else status


def _not_yours(name: str) -> BankProblem | None:
    """A file whose bank already exists and is not the organiser's cannot be imported (names are unique across
    the deployment)."""
    return bank_not_yours(name, current_user)


@bp.route("/banks/upload/<token>/<sha256>/import", methods=["POST"])
def bank_import(token: str, sha256: str):
    """Import the previewed file, all or nothing."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("Phiên làm việc đã hết hạn. Vui lòng tải lại trang rồi thử lại.", "error")
        return redirect(url_for("admin.bank_preview", token=token, sha256=sha256))
    try:
        upload = _own_upload(token, sha256)
        if upload.checked_by_job:
            # A large file is never parsed here: refused from its stored report, or imported by a job.
            report = stored_check_report(upload)
            if report is None:
                job = job_of(upload.check_job, current_user)
                if job is not None and job.status == "failed":
                    raise BankError(f"Không kiểm tra được tệp: {job.error}")
                flash("Tệp vẫn đang được kiểm tra; hãy đợi kiểm tra xong rồi xác nhận.", "info")
                return redirect(url_for("admin.bank_preview", token=token, sha256=sha256))
            if report["errors"]:
                return _render_report(upload, report)
            upload.questions, upload.target = report["found"], report["bank_name"]
        if (upload.questions or 0) > int(current_app.config["BANK_IMPORT_JOB_QUESTIONS"]):
            return _import_as_job(upload)
        report = import_staged(token, sha256, owner_unit_id=new_bank_owner(current_user),
                               may_change=lambda bank: may_change_bank(current_user, bank))
    except BankNotYours:
        abort(404)  # re-importing a bank of the city or of another ward
    except BankError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.bank_upload"))
    if not report.ok:
        again = staged_upload(token, sha256)
        if again.checked_by_job:
            return _render_checked(again, import_errors=report.errors)
        return _render_preview(again, import_errors=report.errors)
    flash("Đã nhập. " + report.summary, "success")
    return redirect(url_for("admin.banks"))


def _import_as_job(upload):
    """Hand a large previewed file to a background import job and go to its progress page (the job checks the
    organiser's rights again when it runs)."""
    if upload.target and _not_yours(upload.target) is not None:
        abort(404)  # re-importing a bank of the city or of another ward
    count = f"{upload.questions:,}".replace(",", ".")
    job = submit_job("bank_import", hand_over(upload), current_user,
                     f"Nhập ngân hàng câu hỏi “{upload.target or upload.filename}” ({count} câu)")
    return redirect(url_for("admin.job", job_id=job.id))


@bp.route("/banks/upload/<token>/<sha256>/discard", methods=["POST"])
def bank_discard(token: str, sha256: str):
    """Forget an uploaded file without importing it."""
    if ConfirmForm().validate_on_submit():
        with suppress(BankError):  # (already gone: nothing to check)
            _own_upload(token, sha256)  # another organiser's upload: 404
        discard_upload(token)
        flash("Đã hủy tệp tải lên; không có gì được nhập.", "info")
    return redirect(url_for("admin.bank_upload"))


@bp.route("/banks/mau-ngan-hang-cau-hoi.xlsx")
def bank_template():
    """The empty Excel template with its instructions sheet."""
    return send_file(io.BytesIO(template_xlsx()), as_attachment=True, download_name="mau-ngan-hang-cau-hoi.xlsx",
                     mimetype=EXPORT_FORMATS["xlsx"][1])


@bp.route("/banks/<name>/export/<fmt>")
def bank_export(name: str, fmt: str):
    """Download a bank's active questions as Excel, GIFT or YAML."""
    if fmt not in PAGE_FORMATS or changeable_bank(name, current_user) is None:
        abort(404)
    exported = export_bank(name, fmt)
    return send_file(io.BytesIO(exported.data), as_attachment=True, download_name=exported.filename,
                     mimetype=exported.mimetype)
