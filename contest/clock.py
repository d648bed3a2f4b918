"""The one source of "now" for rules that depend on time.

Tests replace the clock with :func:`set_clock` instead of sleeping; everything time-dependent asks
:func:`now`.
"""

from __future__ import annotations

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
