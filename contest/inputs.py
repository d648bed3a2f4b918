"""Canonical input: what a browser, a phone keyboard or an attacker types becomes a value the database holds,
or a calm refusal; never a 500.

- digits are ASCII after NFKC normalisation (full-width ``０１`` is ``01``; other scripts' digits are refused);
- an id in a URL beyond the database's integers matches no route (404);
- ``request.args.get(..., type=int)`` and form numbers out of range read as missing, or a Vietnamese error;
- JSON bodies nested too deep or holding integers beyond the database's range are not JSON (the route's 422);
- dates and times typed into forms lie between ``MIN_YEAR`` and ``MAX_YEAR``.
"""

from __future__ import annotations

import json
import re
import unicodedata

from flask.json.provider import DefaultJSONProvider
from flask.wrappers import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter
from wtforms import DateTimeLocalField as _DateTimeLocalField
from wtforms import IntegerField as _IntegerField
from wtforms.validators import ValidationError

# The columns are 32-bit INTEGER on PostgreSQL: every id and number the app stores fits in this.
MAX_INT = 2**31 - 1
MIN_YEAR, MAX_YEAR = 2000, 2100
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,12}")


def ascii_digits(text: str | None) -> str:
    """The text after NFKC normalisation: full-width and other compatibility digits become ASCII."""
    return unicodedata.normalize("NFKC", text or "")


def parse_int(text, low: int = -MAX_INT, high: int = MAX_INT) -> int:
    """An integer typed as text (full-width digits allowed) within [low, high]; ValueError otherwise."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        cleaned = ascii_digits(str(text)).strip()
        if not _ASCII_INT.fullmatch(cleaned):
            raise ValueError(f"not an integer: {text!r}")
        value = int(cleaned)
    if not low <= value <= high:
        raise ValueError(f"out of range: {value}")
    return value


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` in routes: an id beyond the database's integers matches nothing, so it is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, MAX_INT if max is None else max, signed)


class BoundedArgs(ImmutableMultiDict):
    """Query and form arguments whose ``get(..., type=int)`` reads only integers the database can hold."""

    def get(self, key, default=None, type=None):  # noqa: A002
        if type is int:
            type = parse_int  # noqa: A001
        return super().get(key, default, type)


class HoiThiRequest(Request):
    """The request class: bounded integer arguments."""

    parameter_storage_class = BoundedArgs


def _bounded_json_int(text: str) -> int:
    value = int(text)
    if not -MAX_INT <= value <= MAX_INT:
        raise ValueError("integer out of range")
    return value


class BoundedJSONProvider(DefaultJSONProvider):
    """JSON bodies: integers beyond the database's range and nesting past Python's stack are invalid JSON
    (``request.get_json(silent=True)`` then gives None and the route refuses in Vietnamese)."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_int", _bounded_json_int)
        try:
            return json.loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deep") from exc


class IntegerField(_IntegerField):
    """A whole number field: full-width digits accepted, values beyond the database's range refused, the
    message in Vietnamese."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_int(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError("Vui lòng nhập một số nguyên hợp lệ.") from exc


class DateTimeLocalField(_DateTimeLocalField):
    """A date and time (the browser's datetime-local) in a sane year, the message in Vietnamese."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            super().process_formdata([ascii_digits(v) for v in valuelist])
        except ValueError as exc:
            self.data = None
            raise ValueError("Ngày giờ không hợp lệ.") from exc
        if self.data is not None and not MIN_YEAR <= self.data.year <= MAX_YEAR:
            self.data = None
            raise ValueError(f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.")


def sane_year(form, field) -> None:
    """WTForms validator: a date in a year between MIN_YEAR and MAX_YEAR."""
    if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        raise ValidationError(f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.")


# WTForms' own messages, for fields and validators given no message of ours: never English on a page.
_VIETNAMESE = {
    "This field is required.": "Vui lòng điền mục này.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Invalid value, must be one of: %(values)s.": "Giá trị phải là một trong: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Giá trị không được là: %(values)s.",
    "Not a valid integer value.": "Vui lòng nhập một số nguyên hợp lệ.",
    "Not a valid decimal value.": "Vui lòng nhập một số hợp lệ.",
    "Not a valid float value.": "Vui lòng nhập một số hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ.",
    "Not a valid datetime value.": "Ngày giờ không hợp lệ.",
    "Not a valid time value.": "Giờ không hợp lệ.",
    "Not a valid week value.": "Tuần không hợp lệ.",
    "Number must be at least %(min)s.": "Số phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Số không được lớn hơn %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải từ %(min)s đến %(max)s.",
    "Field must be equal to %(other_name)s.": "Hai ô phải giống nhau.",
    "Invalid email address.": "Địa chỉ email không hợp lệ.",
    "Invalid input.": "Dữ liệu không hợp lệ.",
    "Invalid URL.": "Địa chỉ không hợp lệ.",
    "This field cannot be edited.": "Mục này không sửa được.",
    "This field is disabled and cannot have a value.": "Mục này không sửa được.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Không được dài quá %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Không được dài quá %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Cần đúng %(max)d ký tự.",
    "Field must be exactly %(max)d characters long.": "Cần đúng %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": "Cần từ %(min)d đến %(max)d ký tự.",
}


class VietnameseMessages:
    """WTForms translations object: its built-in messages in Vietnamese (anything unknown stays as is)."""

    def gettext(self, string):
        return _VIETNAMESE.get(string, string)

    def ngettext(self, singular, plural, n):
        return _VIETNAMESE.get(singular if n == 1 else plural, singular if n == 1 else plural)


def use_vietnamese_form_messages() -> None:
    """Give every Flask-WTF form WTForms' messages in Vietnamese (forms set no translations of their own)."""
    from flask_wtf import FlaskForm

    messages = VietnameseMessages()
    FlaskForm.Meta.get_translations = lambda self, form: messages


def refuse_nul_characters():
    """A NUL character in the path, the query or a form field is no text anyone typed (and PostgreSQL cannot
    store it): a 400 before any view runs. JSON bodies (the autosave path) are not read here."""
    from flask import abort, request

    if "\x00" in request.path or b"%00" in request.query_string or "\x00" in request.query_string.decode(
            "latin-1"):
        abort(400)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and any(
            "\x00" in value for value in request.form.values()):
        abort(400)
