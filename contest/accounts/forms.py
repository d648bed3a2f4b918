"""Forms of the accounts pages (CSRF protected by Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import PasswordInput

from contest.accounts.models import GENDERS

REQUIRED = "Vui lòng điền mục này."


class RegistrationForm(FlaskForm):
    """A resident's registration."""

    full_name = StringField("Họ và tên", validators=[DataRequired(REQUIRED), Length(max=120)])
    birth_date = DateField("Ngày sinh", validators=[InputRequired("Vui lòng chọn ngày sinh.")],
                           format="%Y-%m-%d")
    gender = RadioField("Giới tính", choices=list(GENDERS.items()),
                        validators=[InputRequired("Vui lòng chọn giới tính.")])
    phone = StringField("Số điện thoại di động", validators=[DataRequired(REQUIRED), Length(max=20)],
                        description="Dùng số này để đăng nhập.")
    # A page sent back with mistakes keeps a good password (the view empties one that must be typed again).
    password = PasswordField("Mật khẩu", validators=[DataRequired(REQUIRED), Length(max=128)],
                             description="Ít nhất 8 ký tự.", widget=PasswordInput(hide_value=False))
    password_confirm = PasswordField("Nhập lại mật khẩu",
                                     validators=[DataRequired(REQUIRED),
                                                 EqualTo("password", "Hai lần nhập mật khẩu không khớp.")],
                                     widget=PasswordInput(hide_value=False))
    unit_id = SelectField("Tổ dân phố / đơn vị", coerce=int,
                          validators=[InputRequired("Vui lòng chọn tổ dân phố hoặc đơn vị.")])
    address = StringField("Địa chỉ (không bắt buộc)", validators=[Optional(), Length(max=255)])
    occupation = StringField("Nghề nghiệp (không bắt buộc)", validators=[Optional(), Length(max=120)])
    consent_participate = BooleanField(
        "Tôi đồng ý tham gia cuộc thi và cho phép Ban tổ chức xử lý các thông tin trên để tổ chức cuộc thi.")
    consent_publish_name = BooleanField(
        "Tôi đồng ý để Ban tổ chức công bố họ tên và đơn vị của tôi nếu tôi đạt giải.")


class LoginForm(FlaskForm):
    """Sign in with a phone number (or a login given by the organiser) and a password."""

    login = StringField("Số điện thoại hoặc tên đăng nhập", validators=[DataRequired(REQUIRED), Length(max=120)])
    password = PasswordField("Mật khẩu", validators=[DataRequired(REQUIRED), Length(max=128)])
    remember = BooleanField("Ghi nhớ đăng nhập trên máy này")


class ChangePasswordForm(FlaskForm):
    """Change one's password."""

    current_password = PasswordField("Mật khẩu hiện tại", validators=[DataRequired(REQUIRED)])
    new_password = PasswordField("Mật khẩu mới", validators=[DataRequired(REQUIRED), Length(max=128)],
                                 description="Ít nhất 8 ký tự.")
    new_password_confirm = PasswordField("Nhập lại mật khẩu mới",
                                         validators=[DataRequired(REQUIRED),
                                                     EqualTo("new_password", "Hai lần nhập mật khẩu không khớp.")])


class PublishConsentForm(FlaskForm):
    """Give or withdraw the consent to publish one's name."""

    consent_publish_name = BooleanField("Đồng ý công bố họ tên và đơn vị nếu tôi đạt giải")


class CccdForm(FlaskForm):
    """The CCCD a contest asks for."""

    cccd = StringField("Số CCCD (căn cước)", validators=[DataRequired(REQUIRED), Length(max=20)],
                       description="12 chữ số. Hệ thống chỉ lưu mã băm và 4 số cuối để chống trùng.")


class ProfileForm(FlaskForm):
    """Correct one's own details (the phone number is the login and stays)."""

    full_name = StringField("Họ và tên", validators=[DataRequired(REQUIRED), Length(min=2, max=120)])
    unit_id = SelectField("Tổ dân phố / đơn vị", coerce=int,
                          validators=[InputRequired("Vui lòng chọn tổ dân phố hoặc đơn vị.")])
    address = StringField("Địa chỉ (không bắt buộc)", validators=[Optional(), Length(max=255)])
    occupation = StringField("Nghề nghiệp (không bắt buộc)", validators=[Optional(), Length(max=120)])


class CorrectionRequestForm(FlaskForm):
    """Ask the organisers to correct one's birth date, phone or gender."""

    text = TextAreaField("Thông tin cần sửa và thông tin đúng",
                         validators=[DataRequired("Vui lòng ghi thông tin cần sửa và thông tin đúng."),
                                     Length(max=1000)],
                         description="Ví dụ: “Ngày sinh đúng là 12/03/1968” hoặc “Tôi đã đổi số điện thoại sang "
                                     "0912 345 678”.")


class DeletionRequestForm(FlaskForm):
    """Ask for one's data to be deleted."""
