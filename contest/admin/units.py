"""Console pages for units: import the list from a file, correct a unit's name and headcount."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from contest.admin import bp
from contest.admin.access import unit_or_404
from contest.inputs import IntegerField
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
    report = import_units(data, upload.filename, root_id=scope.scope_root(current_user))
    if not report.ok:
        return render_template("admin/units_import_errors.html", report=report, filename=upload.filename), 422
    flash(f"Đã nhập {upload.filename}: {report.created} đơn vị mới, {report.updated} đơn vị cập nhật.", "success")
    return redirect(url_for("admin.units"))


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
