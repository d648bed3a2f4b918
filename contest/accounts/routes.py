"""Registration, sign-in, sign-out and the personal page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from contest.accounts.first_password import first_password, password_change_first
from contest.accounts.forms import (
    ChangePasswordForm,
    CorrectionRequestForm,
    DeletionRequestForm,
    LoginForm,
    ProfileForm,
    PublishConsentForm,
    RegistrationForm,
)
from contest.accounts.models import CONSENT_KINDS, GENDERS, User
from contest.accounts.service import (
    AccountError,
    Registration,
    RegistrationError,
    account_key,
    authenticate,
    cancel_deletion,
    change_password,
    register_resident,
    registration_problems,
    request_correction,
    request_deletion,
    set_publish_consent,
    sign_out,
    update_profile,
)
from contest.accounts.sessions import keep_signed_in
from contest.contests.public import ward_by_code
from contest.extensions import limiter
from contest.units import scope
from contest.units.service import list_units

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _login_key() -> str:
    """Rate-limit key for guessing one account's password, from whatever address it comes and by whichever
    of its phone, login or e-mail it is named."""
    return account_key(request.form.get("login", "")[:200])


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("contests.home")


def _landing(user: User, target: str | None) -> str:
    """Where a sign-in leads: where the person was going; an organiser going nowhere in particular (or to the
    home page) lands on the console."""
    landing = _safe_next(target)
    if user.role == "organiser" and landing in (url_for("contests.home"), "/"):
        return url_for("admin.index")
    return landing


def _units_of(ward) -> list:
    """The units a person chooses from: those below their ward (residential groups first), or every unit when
    there is no ward to go by."""
    units = list_units(residential_first=True)
    if ward is None:
        return units
    below = scope.subtree_ids(ward.id) - {ward.id}
    return [u for u in units if u.id in below]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    """Show and handle the resident registration form."""
    if current_user.is_authenticated:
        return redirect(url_for("contests.home"))
    # In a city of wards the person first chooses their ward (links, no script needed), then their unit in it.
    wards = scope.wards()
    ward = None
    if request.args.get("ward"):
        ward = ward_by_code(request.args["ward"])
        if ward is None:
            abort(404)
    elif len(wards) > 1:
        return render_template("accounts/register_ward.html", wards=wards)
    elif wards:
        ward = wards[0]
    form = RegistrationForm()
    form.unit_id.choices = [(0, "— Chọn tổ dân phố hoặc đơn vị —")] + [(u.id, u.name) for u in _units_of(ward)]
    if form.is_submitted():
        # Every mistake at once: the form's own checks and the registration rules, each field's first message.
        form.validate()
        details = Registration(
            full_name=form.full_name.data or "", birth_date=form.birth_date.data, gender=form.gender.data,
            phone=form.phone.data or "", password=form.password.data or "", unit_id=form.unit_id.data or None,
            consent_participate=bool(form.consent_participate.data),
            consent_publish_name=bool(form.consent_publish_name.data),
            address=form.address.data, occupation=form.occupation.data)
        problems = registration_problems(details)
        if not details.unit_id:
            problems["unit_id"] = "Vui lòng chọn tổ dân phố hoặc đơn vị."
        for name, message in problems.items():
            field = getattr(form, name)
            if not field.errors:
                field.errors = [*field.errors, message]
        if not any(field.errors for field in form):
            try:
                user = register_resident(details)
            except RegistrationError as exc:
                for name, message in exc.errors.items():
                    getattr(form, name).errors.append(message)
            else:
                login_user(user)
                flash("Đăng ký thành công. Chào mừng bạn tham gia!", "success")
                return redirect(url_for("contests.home"))
    errors = [field for field in form if field.errors and field.name != "csrf_token"]
    if form.password.errors or form.password_confirm.errors:
        form.password_confirm.data = ""  # retype the confirmation; the password itself stays unless it is wrong
    if form.password.errors:
        form.password.data = ""
    status = 422 if any(field.errors for field in form) else 200
    return render_template("accounts/register.html", form=form, errors=errors, ward=ward,
                           other_wards=len(wards) > 1), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_account_limit, methods=["POST"], key_func=_login_key)
def login():
    """Show and handle the sign-in form."""
    if current_user.is_authenticated:
        return redirect(url_for("contests.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.login.data, form.password.data)
        except AccountError as exc:
            flash(str(exc), "error")
            status = 401
        else:
            login_user(user, remember=form.remember.data)
            if user.must_change_password:
                return redirect(url_for("accounts.first_password"))
            return redirect(_landing(user, request.args.get("next")))
    return render_template("accounts/login.html", form=form), status


@bp.route("/forgot-password")
def forgot_password():
    """"Quên mật khẩu?": the path that works in a ward — the organisers verify the person and give a temporary
    password, used once (HoiThi sends no e-mail or SMS)."""
    return render_template("accounts/forgot_password.html")


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (POST only, so that a link cannot sign anybody out)."""
    if current_user.is_authenticated:
        sign_out(current_user)
    logout_user()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("contests.home"))


@bp.route("/account")
@login_required
def profile():
    """Show the signed-in person the data the platform holds about them."""
    return render_template("accounts/profile.html", genders=GENDERS, consent_kinds=CONSENT_KINDS,
                           consent_form=PublishConsentForm(consent_publish_name=current_user.publish_name),
                           deletion_form=DeletionRequestForm())


@bp.route("/account/edit", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Correct one's own name, unit, address and occupation."""
    form = ProfileForm(obj=current_user)
    # A person moves within their ward here; another ward's contests are not theirs to reach by a profile edit
    # (moving to another ward goes through the organisers).
    ward = scope.ward_of(current_user.unit_id) if current_user.unit_id else None
    units = _units_of(ward)
    if current_user.unit is not None and current_user.unit not in units:  # kept, wherever it is
        units.insert(0, current_user.unit)
    form.unit_id.choices = [(u.id, u.name) for u in units]
    if form.validate_on_submit():
        try:
            update_profile(current_user, full_name=form.full_name.data, unit_id=form.unit_id.data,
                           address=form.address.data, occupation=form.occupation.data)
        except AccountError as exc:
            form.full_name.errors.append(str(exc))
        else:
            flash("Đã lưu thông tin.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/edit.html", form=form, ward=ward), (422 if form.errors else 200)


@bp.route("/account/delete-request", methods=["GET", "POST"])
@login_required
def delete_request():
    """Ask the organisers to delete one's data, after a page that says what it means and asks to confirm."""
    form = DeletionRequestForm()
    if form.validate_on_submit():
        request_deletion(current_user)
        flash("Đã ghi nhận yêu cầu xóa dữ liệu. Ban tổ chức sẽ xử lý và thông báo cho bạn. "
              "Bạn có thể hủy yêu cầu trong trang Tài khoản khi Ban tổ chức chưa xử lý.", "info")
        return redirect(url_for("accounts.profile"))
    if current_user.deletion_requested_at is not None:
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/delete_request.html", form=form)


@bp.route("/account/correction-request", methods=["GET", "POST"])
@login_required
def correction_request():
    """Ask the organisers to correct one's birth date, phone or gender (they verify it and correct it)."""
    form = CorrectionRequestForm()
    if form.validate_on_submit():
        try:
            request_correction(current_user, form.text.data)
        except AccountError as exc:
            form.text.errors.append(str(exc))
        else:
            flash("Đã gửi yêu cầu sửa thông tin. Ban tổ chức sẽ đối chiếu và sửa giúp bạn.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/correction_request.html", form=form), (422 if form.errors else 200)


@bp.route("/account/delete-request/cancel", methods=["POST"])
@login_required
def cancel_delete_request():
    """Withdraw one's deletion request before the organisers act on it."""
    if DeletionRequestForm().validate_on_submit() and cancel_deletion(current_user):
        flash("Đã hủy yêu cầu xóa dữ liệu. Tài khoản và kết quả của bạn vẫn giữ nguyên.", "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/account/consent", methods=["POST"])
@login_required
def consent():
    """Give or withdraw the consent to publish one's name."""
    form = PublishConsentForm()
    if form.validate_on_submit():
        set_publish_consent(current_user, bool(form.consent_publish_name.data))
        flash("Đã lưu lựa chọn của bạn.", "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except AccountError as exc:
            getattr(form, exc.field or "new_password").errors.append(str(exc))
        else:
            keep_signed_in(current_user._get_current_object())
            flash("Đã đổi mật khẩu.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form), (422 if form.errors else 200)

# The first-password page and the check that sends there before every request of the app.
bp.add_url_rule("/account/first-password", view_func=first_password, methods=["GET", "POST"])
bp.before_app_request(password_change_first)
