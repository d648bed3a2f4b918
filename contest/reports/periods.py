"""Reporting periods (pure: no Flask, no database).

The ward plans ask units to report on CCHC every month — Tây Mỗ at its meeting on the 20th — and every
quarter. A period is a pair of Vietnam calendar dates, both included; :func:`utc_bounds` turns it into the
half-open UTC interval that queries use.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from contest.clock import VN_TZ, day_parts

ROMAN = ("I", "II", "III", "IV")
REPORT_DAY = 20  # the monthly CCHC report is due on the 20th (Tây Mỗ's plan)
MIN_YEAR, MAX_YEAR = 2000, 2100  # reports are about this platform's years; year 1 or 9999 is a typing slip


class PeriodError(ValueError):
    """A date or period the organiser typed cannot be used; the message is in Vietnamese."""


@dataclass(frozen=True)
class Period:
    """Two Vietnam calendar dates, both included, with a label for titles and menus."""

    start: date
    end: date
    label: str = ""

    @property
    def text(self) -> str:
        """"từ ngày 21/10/2026 đến ngày 20/11/2026"."""
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def parse_day(text: str | None) -> date | None:
    """A date typed as 2026-11-20 (the browser's date field) or 20/11/2026; None when empty."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    parts = day_parts(text)
    if parts is None:
        raise PeriodError(f"Ngày “{text}” không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 20/11/2026.")
    year, month, day = parts
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"Ngày “{text}”: năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise PeriodError(f"Ngày “{text}” không có trên lịch.") from exc


def make_period(start: date | None, end: date | None) -> Period:
    """A period from two typed dates; both are needed and the end may not precede the start."""
    if start is None or end is None:
        raise PeriodError("Vui lòng chọn cả ngày bắt đầu và ngày kết thúc của kỳ báo cáo.")
    if end < start:
        raise PeriodError("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
    return Period(start, end)


def period_from_args(args) -> Period | None:
    """The period of a request's arguments: the typed from/to dates, else a preset ("2026-10-21_2026-11-20");
    None when neither is given."""
    start, end = parse_day(args.get("from")), parse_day(args.get("to"))
    if start is not None or end is not None:
        return make_period(start, end)
    preset = (args.get("preset") or "").strip()
    if preset:
        start, _, end = preset.partition("_")
        return make_period(parse_day(start), parse_day(end))
    return None


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """The half-open UTC interval [start 00:00, day after end 00:00) of a period in Vietnam time."""
    start = datetime(period.start.year, period.start.month, period.start.day, tzinfo=VN_TZ)
    after = period.end + timedelta(days=1)
    end = datetime(after.year, after.month, after.day, tzinfo=VN_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def _shift_month(day: date, months: int, new_day: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, new_day)


def monthly_report_period(today: date) -> Period:
    """The reporting month that ends on the next report day (the 20th) on or after ``today``:
    21/10 – 20/11 for any day from 21/10 to 20/11."""
    end = today.replace(day=REPORT_DAY) if today.day <= REPORT_DAY else _shift_month(today, 1, REPORT_DAY)
    start = _shift_month(end, -1, REPORT_DAY + 1)
    return Period(start, end, f"Kỳ báo cáo tháng {end:%m/%Y} (đến ngày {REPORT_DAY})")


def calendar_month(today: date) -> Period:
    """The calendar month of ``today``."""
    start = today.replace(day=1)
    end = _shift_month(start, 1, 1) - timedelta(days=1)
    return Period(start, end, f"Tháng {today:%m/%Y}")


def quarter(today: date, back: int = 0) -> Period:
    """The calendar quarter of ``today`` (``back`` quarters earlier)."""
    index = (today.year * 4 + (today.month - 1) // 3) - back
    year, q = divmod(index, 4)
    start = date(year, q * 3 + 1, 1)
    end = _shift_month(start, 3, 1) - timedelta(days=1)
    return Period(start, end, f"Quý {ROMAN[q]} năm {year}")


def presets(today: date) -> list[Period]:
    """The periods an organiser usually reports on, for one-click choice."""
    monthly = monthly_report_period(today)
    previous = monthly_report_period(monthly.start - timedelta(days=1))
    previous = Period(previous.start, previous.end, previous.label.replace("Kỳ báo cáo", "Kỳ trước:"))
    return [monthly, previous, calendar_month(today), quarter(today), quarter(today, 1)]
