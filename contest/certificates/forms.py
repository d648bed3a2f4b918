"""The organiser's form for the signature block of a contest's certificates."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional


class SignatureForm(FlaskForm):
    """Who issues the certificates, the place of the date line, and who signs."""

    certificate_issuer = StringField(
        "Cơ quan, đơn vị cấp giấy chứng nhận", validators=[Optional(), Length(max=200)],
        description="Ví dụ: Ủy ban nhân dân phường Tây Mỗ. In ở góc trên bên trái, cũng hiện trên áp phích.")
    certificate_place = StringField(
        "Địa danh ghi trước ngày tháng", validators=[Optional(), Length(max=80)],
        description="Ví dụ: Tây Mỗ → “Tây Mỗ, ngày 05 tháng 12 năm 2026”.")
    certificate_signer_title = TextAreaField(
        "Chức danh người ký", validators=[Optional(), Length(max=200)],
        description="Mỗi dòng một dòng in, ví dụ: “TM. Ban Tổ chức” rồi xuống dòng “Trưởng ban”.")
    certificate_signer_name = StringField("Họ và tên người ký", validators=[Optional(), Length(max=120)])
