"""Forms of the attempt pages (CSRF protected by Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import NumberRange, Optional

from contest.inputs import IntegerField


class StartForm(FlaskForm):
    """The "start" button."""


class SubmitForm(FlaskForm):
    """The confirmation of a submit, with the prediction."""

    prediction = IntegerField("Câu trả lời dự đoán", validators=[Optional(), NumberRange(0, 10_000_000,
                                                                 "Số dự đoán phải là số nguyên không âm.")])
    auto = HiddenField()
