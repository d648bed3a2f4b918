"""Console pages for units: import the list from a file, correct a unit's name and headcount.

A file of more than UNITS_IMPORT_JOB_ROWS rows (20,000 rows held a request for 2.4–4 s) is imported by a
background job: the upload goes to the job's progress page at once.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from contest.admin import bp
from contest.admin.access import unit_or_404
from contest.inputs import IntegerField
from contest.jobs.handover import hand_over
from contest.jobs.service import submit_job
from contest.sheets import SheetError, read_table
from contest.units import scope
from contest.units.service import UnitError, edit_unit, import_units

MAX_UPLOAD = 5 * 1024 * 1024


class UnitForm(FlaskForm):
    """A unit's name and headcount."""

    name = StringField("Tên đơn vị", validators=[DataRequired("Vui lòng nhập tên đơn vị."), Length(max=200)])
    headcount = IntegerField("Số người (dân số hoặc số cán bộ)", validators=[
        Optional(), NumberRange(0, 10_000_000, "Số người phải là số nguyên không âm.")],
        description="Dùng để tính tỷ lệ tham gia; để trống nếu không có.")


class UploadForm(FlaskForm):
    """The units file (the file itself is read from request.files)."""


@bp.route("/units/import", methods=["POST"])
def units_import():
    """Import or update units from an uploaded Excel/CSV file, all or nothing (a ward organiser: inside their
    ward only; units without a parent go under it)."""
    if not UploadForm().validate_on_submit():
        flash("Phiên làm việc đã hết hạn; vui lòng thử lại.", "error")
        return redirect(url_for("admin.units"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("Vui lòng chọn tệp danh sách đơn vị (.xlsx hoặc .csv).", "error")
        return redirect(url_for("admin.units"))
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        flash("Tệp quá lớn (tối đa 5 MB).", "error")
        return redirect(url_for("admin.units"))
    if _rows(data, upload.filename) > int(current_app.config["UNITS_IMPORT_JOB_ROWS"]):
        job = submit_job("units_import", hand_over("units-import", data, upload.filename), current_user,
                         f"Nhập danh sách đơn vị “{upload.filename}”")
        return redirect(url_for("admin.job", job_id=job.id))
    report = import_units(data, upload.filename, root_id=scope.scope_root(current_user))
    if not report.ok:
        return render_template("admin/units_import_errors.html", report=report, filename=upload.filename), 422
    flash(f"Đã nhập {upload.filename}: {report.created} đơn vị mới, {report.updated} đơn vị cập nhật.", "success")
    return redirect(url_for("admin.units"))


def _rows(data: bytes, filename: str) -> int:
    """The file's data rows (reading is quick; importing 20,000 rows is not); 0 if it cannot be read (the
    import in the request then says why)."""
    try:
        return len(read_table(data, filename)[0].rows)
    except SheetError:
        return 0


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    """Correct a unit's name or headcount."""
    unit = unit_or_404(unit_id)
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        try:
            edit_unit(unit, name=form.name.data, headcount=form.headcount.data)
        except UnitError as exc:
            form.name.errors.append(str(exc))
        else:
            flash("Đã lưu đơn vị.", "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit), (422 if form.errors else 200)
