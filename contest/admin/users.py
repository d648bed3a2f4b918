"""Console pages for accounts: search, reset a password (shown once), lock and unlock, grant or revoke a
unit manager's role, correct a birth date, phone or gender (on the person's request or not), and erase a
person's data on request. The service audits each action."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from contest.accounts.management import (
    CorrectionProblems,
    ManagementError,
    anonymise_user,
    correct_person,
    grant_unit_manager,
    reset_password,
    revoke_unit_manager,
    search_users,
    set_locked,
)
from contest.accounts.models import GENDERS, ROLES, User
from contest.admin import bp
from contest.admin.access import person_or_404, unit_or_404, visible_unit_ids
from contest.extensions import db
from contest.units.service import list_units

PER_PAGE = 50


class ActionForm(FlaskForm):
    """A button that changes an account (the form carries only the CSRF token)."""


class UnitManagerForm(FlaskForm):
    """Choose the unit a person will manage."""

    unit_id = SelectField("Đơn vị phụ trách", coerce=int)


class CorrectionForm(FlaskForm):
    """Correct a person's birth date, phone and gender, with the reason (audited)."""

    birth_date = DateField("Ngày sinh", format="%Y-%m-%d", validators=[Optional()])
    phone = StringField("Số điện thoại di động", validators=[Optional(), Length(max=20)])
    gender = SelectField("Giới tính", choices=[("", "Không ghi"), *GENDERS.items()], validators=[Optional()])
    reason = TextAreaField("Lý do sửa", validators=[DataRequired("Vui lòng ghi lý do sửa."), Length(max=500)],
                           description="Ví dụ: theo yêu cầu của người dân ngày …, đã đối chiếu CCCD. Lý do được "
                                       "ghi vào nhật ký thao tác.")


def _correction_form(person: User, data=None) -> CorrectionForm:
    return CorrectionForm(formdata=data, obj=None if data else person,
                          **({} if data else {"gender": person.gender or ""}))


def _user(user_id: int) -> User:
    """The account, if its person is in the organiser's scope (a ward organiser: their ward's people)."""
    return person_or_404(user_id)


def _units():
    """The units the organiser may hand to a unit manager (a ward organiser: their ward's)."""
    return list_units(unit_ids=visible_unit_ids(current_user))


@bp.route("/users")
def users():
    """Find accounts by name, login, phone or e-mail; list pending deletion requests (a ward organiser: the
    people of their ward)."""
    text = request.args.get("q", "")
    role = request.args.get("role", "")
    pending = request.args.get("deletion") == "1"
    corrections = request.args.get("correction") == "1"
    found = search_users(text, role, pending, corrections, unit_ids=visible_unit_ids(current_user))
    page = db.paginate(found, page=request.args.get("page", 1, type=int),
                       per_page=PER_PAGE, error_out=False)
    query = {k: v for k, v in (("q", text), ("role", role), ("deletion", "1" if pending else ""),
                               ("correction", "1" if corrections else "")) if v}
    return render_template("admin/users/index.html", page=page, q=text, role=role, pending=pending, roles=ROLES,
                           query=query, corrections=corrections)


@bp.route("/users/<int:user_id>")
def user(user_id: int):
    """One account with the actions an organiser may take on it."""
    person = _user(user_id)
    form = UnitManagerForm(unit_id=person.managed_unit_id)
    form.unit_id.choices = [(u.id, f"{u.code} – {u.name}") for u in _units()]
    return render_template("admin/users/detail.html", person=person, action=ActionForm(), unit_form=form,
                           roles=ROLES, genders=GENDERS)


@bp.route("/users/<int:user_id>/correct", methods=["GET", "POST"])
def user_correct(user_id: int):
    """Correct a person's birth date, phone or gender, with the reason; settles their correction request."""
    person = _user(user_id)
    form = _correction_form(person, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            changes = correct_person(person, current_user, birth_date=form.birth_date.data, phone=form.phone.data,
                                     gender=form.gender.data or None, reason=form.reason.data)
        except CorrectionProblems as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        except ManagementError as exc:
            flash(str(exc), "error")
            return redirect(url_for("admin.user", user_id=user_id))
        else:
            flash("Đã sửa thông tin cá nhân và ghi vào nhật ký thao tác." if changes
                  else "Thông tin không thay đổi; yêu cầu sửa (nếu có) đã được đánh dấu là đã xử lý.", "success")
            return redirect(url_for("admin.user", user_id=user_id))
    return render_template("admin/users/correct.html", person=person, form=form, genders=GENDERS), \
        (422 if form.errors else 200)


def _act(user_id: int, action) -> object:
    person = _user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        message = action(person)
    except ManagementError as exc:
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def user_reset_password(user_id: int):
    """Give a temporary password, shown once on the answer page; the person must change it at sign-in."""
    person = _user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        password = reset_password(person, current_user)
    except ManagementError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    response = render_template("admin/users/password.html", person=person, password=password)
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/users/<int:user_id>/lock", methods=["POST"])
def user_lock(user_id: int):
    """Lock an account: it cannot sign in and its open sessions end."""
    return _act(user_id, lambda p: set_locked(p, True, current_user) or "Đã khóa tài khoản.")


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
def user_unlock(user_id: int):
    """Unlock an account."""
    return _act(user_id, lambda p: set_locked(p, False, current_user) or "Đã mở khóa tài khoản.")


@bp.route("/users/<int:user_id>/unit-manager", methods=["POST"])
def user_grant_unit_manager(user_id: int):
    """Make the person the manager of a unit (they see that unit and those below it)."""
    person = _user(user_id)
    form = UnitManagerForm()
    form.unit_id.choices = [(u.id, u.name) for u in _units()]
    if not form.validate_on_submit():
        flash("Vui lòng chọn một đơn vị.", "error")
        return redirect(url_for("admin.user", user_id=user_id))
    unit = unit_or_404(form.unit_id.data)
    try:
        grant_unit_manager(person, unit, current_user)
    except ManagementError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Đã giao phụ trách đơn vị {unit.name}.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/unit-manager/revoke", methods=["POST"])
def user_revoke_unit_manager(user_id: int):
    """Take the unit manager's role away."""
    return _act(user_id, lambda p: revoke_unit_manager(p, current_user) or "Đã thu hồi quyền phụ trách đơn vị.")


@bp.route("/users/<int:user_id>/anonymise", methods=["POST"])
def user_anonymise(user_id: int):
    """Erase the person's data as they asked; their results stay, anonymous."""
    return _act(user_id, lambda p: anonymise_user(p, current_user)
                or "Đã xóa dữ liệu cá nhân; kết quả thi được giữ ở dạng ẩn danh.")
