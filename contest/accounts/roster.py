"""Reading a staff roster file into official records and row-numbered problems (pure: no Flask, no database).

The organiser's roster has one official per row: full name, unit (its code or its name), position, phone
and/or e-mail, date of birth. Headers are matched loosely, as in the units and bank importers. Units are
resolved against a plain mapping the caller builds from the database, so this module stays pure.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from contest.accounts.rules import is_mobile_phone, normalise_phone, readable_code
from contest.clock import day_parts
from contest.sheets import Problem, Sheet, cell, cell_text, match_columns
from contest.vntext import clean, fold

COLUMNS: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên cán bộ", "Tên cán bộ", "Full name", "Name"),
    "unit": ("Đơn vị", "Mã đơn vị", "Tên đơn vị", "Đơn vị công tác", "Cơ quan", "Cơ quan, đơn vị", "Unit"),
    "position": ("Chức vụ", "Chức danh", "Chức vụ, chức danh", "Vị trí việc làm", "Vị trí", "Position"),
    "phone": ("Số điện thoại", "Điện thoại", "SĐT", "Số ĐT", "Điện thoại di động", "Di động", "Phone"),
    "email": ("Email", "E-mail", "Thư điện tử", "Địa chỉ email", "Địa chỉ thư điện tử"),
    "birth_date": ("Ngày sinh", "Ngày tháng năm sinh", "Sinh ngày", "Ngày, tháng, năm sinh", "Date of birth",
                   "Birth date"),
}
REQUIRED = ("full_name", "unit")
HEADER_LABELS = {"full_name": "Họ và tên", "unit": "Đơn vị (mã hoặc tên)"}
TEMPLATE_HEADERS = ("STT", "Họ và tên", "Đơn vị", "Chức vụ", "Số điện thoại", "Email", "Ngày sinh")

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NO_LEADING_ZERO = re.compile(r"[35789][0-9]{8}")
AMBIGUOUS = -1  # a unit name shared by two units: the row must give the code

# One-time sign-in codes: lower-case letters and digits without look-alikes (0/o, 1/l/i), 10 characters
# (about 49 bits), easy to read off a paper slip and to type on a phone.
CODE_LENGTH = 10


@dataclass(frozen=True)
class OfficialRecord:
    """One official as read from the roster."""

    row: int
    full_name: str
    unit_id: int
    position: str | None
    phone: str | None
    email: str | None
    birth_date: date | None


def unit_keys(units: list[tuple[int, str, str]]) -> dict[str, int]:
    """Map folded unit codes and names to unit ids; a name two units share maps to AMBIGUOUS."""
    keys: dict[str, int] = {}
    for unit_id, _code, name in units:
        key = fold(name)
        keys[key] = AMBIGUOUS if key in keys and keys[key] != unit_id else unit_id
    for unit_id, code, _name in units:  # a code always wins over a name that happens to look like it
        keys[fold(code)] = unit_id
    return keys


def parse_date(value: object) -> date:
    """A birth date from an Excel date cell or text such as 08/03/1975; ValueError when it is neither."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parts = day_parts(str(value))
    if parts is None:
        raise ValueError(value)
    return date(*parts)


def header_first(sheet: Sheet, look: int = 10) -> Sheet:
    """The sheet re-read from its real header row: a roster often starts with a title (“DANH SÁCH CÁN BỘ...”)
    above the table, so the first of the top rows that names the full name and the unit is the header."""
    if "full_name" in match_columns(sheet.header, COLUMNS):
        return sheet
    for index, (row_number, row) in enumerate(sheet.rows[:look]):
        header = [clean(c) for c in row]
        found = match_columns(header, COLUMNS)
        if "full_name" in found and "unit" in found:
            return Sheet(sheet.name, row_number, header, sheet.rows[index + 1:])
    return sheet


def parse_roster(sheet: Sheet, units: dict[str, int], today: date) -> tuple[list[OfficialRecord], list[Problem]]:
    """Read the officials of a sheet; every problem names its Excel row. ``units`` comes from :func:`unit_keys`."""
    problems: list[Problem] = []
    sheet = header_first(sheet)
    columns = match_columns(sheet.header, COLUMNS)
    missing = [HEADER_LABELS[k] for k in REQUIRED if k not in columns]
    if "phone" not in columns and "email" not in columns:
        missing.append("Số điện thoại hoặc Email")
    if missing:
        problems.append(Problem(sheet.header_row, "Thiếu cột bắt buộc: " + ", ".join(missing) + "."))
        return [], problems

    records: list[OfficialRecord] = []
    phones: dict[str, int] = {}
    emails: dict[str, int] = {}
    for row_number, row in sheet.rows:
        messages: list[str] = []
        full_name = cell_text(row, columns.get("full_name"))
        if len(full_name) < 2:
            messages.append("thiếu họ và tên.")
        elif len(full_name) > 120:
            messages.append("họ và tên dài quá 120 ký tự.")

        unit_text = cell_text(row, columns.get("unit"))
        unit_id = units.get(fold(unit_text)) if unit_text else None
        if not unit_text:
            messages.append("thiếu đơn vị.")
        elif unit_id is None:
            messages.append(f"không tìm thấy đơn vị “{unit_text}” (ghi mã hoặc đúng tên đơn vị trong danh sách "
                            "đơn vị).")
        elif unit_id == AMBIGUOUS:
            messages.append(f"có nhiều đơn vị cùng tên “{unit_text}”; hãy ghi mã đơn vị.")

        position = cell_text(row, columns.get("position")) or None
        if position and len(position) > 120:
            messages.append("chức vụ dài quá 120 ký tự.")

        phone_text = cell_text(row, columns.get("phone"))
        phone = normalise_phone(phone_text) if phone_text else None
        if phone and _NO_LEADING_ZERO.fullmatch(phone):  # Excel stored the number as a number and ate the 0
            phone = "0" + phone
        if phone and not is_mobile_phone(phone):
            messages.append(f"số điện thoại “{phone_text}” không phải số di động Việt Nam 10 chữ số.")
        elif phone and phone in phones:
            messages.append(f"số điện thoại {phone} trùng với dòng {phones[phone]}.")
        elif phone:
            phones[phone] = row_number

        email = cell_text(row, columns.get("email")).lower() or None
        if email and (not _EMAIL.fullmatch(email) or len(email) > 254):
            messages.append(f"email “{email}” không hợp lệ.")
        elif email and email in emails:
            messages.append(f"email {email} trùng với dòng {emails[email]}.")
        elif email:
            emails[email] = row_number
        if not phone_text and not email:
            messages.append("cần ít nhất số điện thoại hoặc email để đăng nhập.")

        birth_date = None
        raw_birth = cell(row, columns.get("birth_date"))
        if raw_birth is not None:
            try:
                birth_date = parse_date(raw_birth)
            except ValueError:
                messages.append(f"ngày sinh “{cell_text(row, columns.get('birth_date'))}” không đúng dạng "
                                "ngày/tháng/năm (ví dụ 08/03/1975).")
            else:
                if not date(1900, 1, 1) <= birth_date <= today:
                    messages.append("ngày sinh không hợp lý.")
                    birth_date = None

        if messages:
            problems.extend(Problem(row_number, m[0].upper() + m[1:]) for m in messages)
            continue
        records.append(OfficialRecord(row_number, full_name, unit_id, position, phone, email, birth_date))
    if not sheet.rows:
        problems.append(Problem(None, "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return records, problems


def new_code(rng: secrets.SystemRandom | None = None) -> str:
    """A fresh one-time sign-in code."""
    return readable_code(CODE_LENGTH, rng)
