"""The one source of "now" for rules that depend on time.

Tests replace the clock with :func:`set_clock` instead of sleeping; everything time-dependent asks
:func:`now`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_source: Callable[[], datetime] | None = None


def now() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return _source() if _source is not None else datetime.now(UTC)


def set_clock(source: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests); ``None`` restores the real one."""
    global _source
    _source = source


def to_vn(moment: datetime) -> datetime:
    """Return ``moment`` in Vietnam time (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ)


def from_vn_local(moment: datetime) -> datetime:
    """Read a naive wall-clock time typed in Vietnam and return it in UTC."""
    return moment.replace(tzinfo=VN_TZ).astimezone(UTC)


_ISO_DAY = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_VN_DAY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")


def day_parts(text: str | None) -> tuple[int, int, int] | None:
    """The (year, month, day) of a date typed as 2026-11-20 (a browser's date field) or as Vietnamese write it,
    20/11/2026 (also 20.11.2026, 20-11-2026); None when the text is neither. The one parser of typed dates:
    whether the day is on the calendar, and which years make sense, is for the caller to say."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    match = _ISO_DAY.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return year, month, day
    match = _VN_DAY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return year, month, day
    return None
