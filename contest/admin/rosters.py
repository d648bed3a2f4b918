"""Organiser pages for the officials' roster: upload with preview and confirm, and one-time sign-in codes
shown once on a printable page (one A4 sheet of slips per unit) with the same codes as an Excel download.

A roster with more than ROSTER_IMPORT_JOB_PEOPLE new people (each new code is hashed, ~6 ms) is imported by a
background job: the confirm goes to the job's progress page, which then links to the slips page, shown once.
"""

from __future__ import annotations

import base64
import binascii
import io

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from contest.accounts.roster import TEMPLATE_HEADERS
from contest.accounts.roster_service import (
    FIELD_LABELS,
    AccountError,
    IssuedCode,
    codes_from_json,
    import_roster,
    issue_codes,
    list_officials,
    plan_roster,
)
from contest.accounts.slips import XLSX_DATA_PREFIX, codes_xlsx_base64, slips_by_unit
from contest.admin import bp
from contest.admin.access import person_or_404, visible_unit_ids
from contest.exports.tables import Column, Table
from contest.exports.writers import XLSX_MIMETYPE, write_xlsx
from contest.extensions import db
from contest.inputs import parse_int
from contest.jobs.handover import hand_over
from contest.jobs.service import job_of, result_file, submit_job
from contest.sheets import Problem
from contest.units.models import Unit
from contest.units.service import list_units

MAX_ROSTER_BYTES = 5 * 1024 * 1024


class RosterUploadForm(FlaskForm):
    """The roster file to preview."""

    file = FileField("Tệp danh sách (.xlsx hoặc .csv)", validators=[FileRequired("Vui lòng chọn tệp danh sách.")])


class RosterConfirmForm(FlaskForm):
    """The previewed file, carried back unchanged to be imported."""

    payload = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired()])
    people = HiddenField()  # how many new people the preview found (a large import runs as a background job)


class CodesForm(FlaskForm):
    """Issue new one-time codes to a unit's (or the ward's) people without a password, or to one person."""

    unit_id = HiddenField()
    user_id = HiddenField()


def _scope() -> set[int] | None:
    """The units whose officials the organiser manages (a ward organiser: their ward's); None for all."""
    return visible_unit_ids(current_user)


@bp.route("/roster")
def roster():
    """The officials by unit, whether each has chosen a password, and the roster upload (a ward organiser:
    their ward's)."""
    scope = _scope()
    unit_id = request.args.get("unit", type=int)
    if unit_id and scope is not None and unit_id not in scope:
        abort(404)
    people = list_officials({unit_id} if unit_id else scope)
    return render_template("admin/rosters/index.html", people=people, units=list_units(unit_ids=scope),
                           unit_id=unit_id,
                           upload_form=RosterUploadForm(), codes_form=CodesForm())


@bp.route("/roster/template.xlsx")
def roster_template():
    """An empty roster file with the expected headers and one example row."""
    out = io.BytesIO()
    example = [1, "Nguyễn Văn An", "VP", "Chuyên viên", "0912345678", "an.nv@example.vn", "08/03/1985"]
    write_xlsx([Table("Danh sách cán bộ", [Column(h, width=24) for h in TEMPLATE_HEADERS], [example])], out)
    out.seek(0)
    return send_file(out, mimetype=XLSX_MIMETYPE,
                     as_attachment=True, download_name="mau-danh-sach-can-bo.xlsx")


@bp.route("/roster/preview", methods=["POST"])
def roster_preview():
    """Read the uploaded roster and show what importing it would do, or every problem with its row."""
    form = RosterUploadForm()
    if not form.validate_on_submit():
        return _index_with_problems([Problem(None, e) for e in form.file.errors] or
                                    [Problem(None, "Biểu mẫu không hợp lệ; vui lòng tải lại trang.")])
    upload = form.file.data
    data = upload.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        return _index_with_problems([Problem(None, "Tệp danh sách lớn quá 5 MB.")])
    filename = upload.filename or "danh-sach.xlsx"
    report = plan_roster(data, filename, _scope())
    if not report.ok:
        return _index_with_problems(report.problems, filename)
    confirm = RosterConfirmForm(payload=base64.b64encode(data).decode("ascii"), filename=filename,
                                people=str(report.count("create")))
    units = {u.id: u for u in db.session.scalars(db.select(Unit))}
    return render_template("admin/rosters/preview.html", report=report, filename=filename, form=confirm,
                           units=units, labels=FIELD_LABELS)


@bp.route("/roster/import", methods=["POST"])
def roster_import():
    """Import the previewed roster, all or nothing, and show the new officials' codes once."""
    form = RosterConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = base64.b64decode(form.payload.data, validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    if _new_people(form) > int(current_app.config["ROSTER_IMPORT_JOB_PEOPLE"]):
        job = submit_job("roster_import", hand_over("roster-import", data, form.filename.data), current_user,
                         f"Nhập danh sách cán bộ “{form.filename.data}” ({_new_people(form)} người mới)")
        return redirect(url_for("admin.job", job_id=job.id))
    report = import_roster(data, form.filename.data, _scope())
    if not report.ok:  # something changed since the preview (another organiser, a unit edited)
        return _index_with_problems(report.problems, form.filename.data)
    message = (f"Đã nhập “{form.filename.data}”: {report.count('create')} người mới, {report.count('update')} "
               f"cập nhật, {report.count('same')} không đổi.")
    return _slips(report.codes, message)


def _new_people(form: RosterConfirmForm) -> int:
    try:
        return parse_int(form.people.data or "0", 0)
    except ValueError:
        return 0


@bp.route("/roster/jobs/<int:job_id>/slips", methods=["POST"])
def roster_job_slips(job_id: int):
    """The slips of a roster import run as a background job: shown once (the codes' file is deleted as it is
    read), to the organiser who started it."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    job = job_of(job_id, current_user)
    if job is None or job.kind != "roster_import":
        abort(404)
    path = result_file(job)
    if path is None:
        flash("Phiếu mã đăng nhập của lần nhập này đã được xem (chỉ hiện một lần) hoặc đã bị xoá. Nếu cần, hãy "
              "cấp mã mới cho những người chưa đặt mật khẩu.", "error")
        return redirect(url_for("admin.job", job_id=job.id))
    codes = codes_from_json(path.read_text(encoding="utf-8"))
    path.unlink(missing_ok=True)
    return _slips(codes, job.params.get("summary") or "")


@bp.route("/roster/codes", methods=["POST"])
def roster_codes():
    """Issue new one-time codes (the old ones stop working) and show them once."""
    form = CodesForm()
    if not form.validate_on_submit():
        abort(400)
    # A bad id is refused, never read as "everyone": only an empty field widens to the whole ward.
    try:
        unit_id, user_id = (parse_int(v, 1) if (v or "").strip() else None
                            for v in (form.unit_id.data, form.user_id.data))
    except ValueError:
        return _index_with_problems([Problem(None, "Đơn vị hoặc người được chọn không hợp lệ; không cấp mã nào.")])
    scope = _scope()
    if scope is not None and unit_id is not None and unit_id not in scope:
        abort(404)
    if user_id is not None:
        person_or_404(user_id)  # another ward's official: as if they did not exist
    try:
        issued = issue_codes(unit_id=unit_id, user_id=user_id, unit_ids=scope)
    except AccountError as exc:
        return _index_with_problems([Problem(None, str(exc))], status=409)
    return _slips(issued, f"Đã cấp mã mới cho {len(issued)} người; mã cấp trước đó của họ không dùng được nữa.")


def _index_with_problems(problems: list[Problem], filename: str | None = None, status: int = 422):
    scope = _scope()
    return render_template("admin/rosters/index.html", people=list_officials(scope), units=list_units(unit_ids=scope),
                           unit_id=None,
                           upload_form=RosterUploadForm(), codes_form=CodesForm(), problems=problems,
                           filename=filename), status


def _slips(codes: list[IssuedCode], message: str):
    """The one page that ever shows these codes: slips to print and the same codes as an Excel file."""
    xlsx = XLSX_DATA_PREFIX + codes_xlsx_base64(codes) if codes else None
    response = make_response(render_template("admin/rosters/slips.html", groups=slips_by_unit(codes),
                                             count=len(codes), message=message, xlsx=xlsx,
                                             site=request.host_url.rstrip("/")))
    response.headers["Cache-Control"] = "no-store"
    return response
