"""The first password: an account signed in with a one-time code (or a reset password) must choose its own
password before anything else. The check runs before every request of the app, so no page, link or API call
gets round it.

The accounts blueprint (``contest.accounts.routes``) attaches the page and the check; this module does not
import it back, so there is no import cycle between the two view modules.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from contest.accounts.forms import REQUIRED
from contest.accounts.roster_service import set_first_password
from contest.accounts.service import AccountError
from contest.accounts.sessions import keep_signed_in
from contest.errors.handlers import error_response, wants_json

# What an account that must change its password may still reach: the page to change it, signing out,
# static files, the privacy notice and the health check.
ALLOWED_ENDPOINTS = {"accounts.first_password", "accounts.logout", "static", "main.privacy", "main.healthz",
                     # The autosave hot path never loads the user; an attempt can only have been started
                     # with a password of one's own, and a reset in mid-attempt must not lose answers.
                     "attempts.api_save_answer", "attempts.api_save_prediction", "attempts.api_state",
                     # A start reads the account in its own statement and sends it here itself.
                     "attempts.start"}


class FirstPasswordForm(FlaskForm):
    """Choose one's own password after signing in with a one-time code."""

    current_password = PasswordField("Mã đăng nhập một lần hoặc mật khẩu tạm thời",
                                     validators=[DataRequired(REQUIRED), Length(max=128)],
                                     description="Mã hoặc mật khẩu bạn vừa dùng để đăng nhập.")
    new_password = PasswordField("Mật khẩu mới", validators=[DataRequired(REQUIRED), Length(max=128)],
                                 description="Ít nhất 8 ký tự. Mã đăng nhập một lần hoặc mật khẩu tạm thời sẽ hết hiệu lực.")
    new_password_confirm = PasswordField("Nhập lại mật khẩu mới",
                                         validators=[DataRequired(REQUIRED),
                                                     EqualTo("new_password", "Hai lần nhập mật khẩu không khớp.")])


def password_change_first():
    """Send an account that must change its password to the page that does it, from wherever it goes."""
    if request.endpoint in ALLOWED_ENDPOINTS or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    if wants_json():
        return error_response(403, "Vui lòng đặt mật khẩu mới trước khi tiếp tục.")
    return redirect(url_for("accounts.first_password"))


@login_required
def first_password():
    """Choose one's own password after signing in with a one-time code."""
    if not current_user.must_change_password:
        return redirect(url_for("contests.home"))
    form = FirstPasswordForm()
    if form.validate_on_submit():
        try:
            set_first_password(current_user, form.current_password.data, form.new_password.data)
        except AccountError as exc:
            getattr(form, exc.field or "new_password").errors.append(str(exc))
        else:
            keep_signed_in(current_user._get_current_object())
            flash("Đã đặt mật khẩu. Từ nay bạn đăng nhập bằng mật khẩu này.", "success")
            return redirect(url_for("contests.home"))
    return render_template("accounts/first_password.html", form=form), (422 if form.errors else 200)
