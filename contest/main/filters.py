"""Template filters: Vietnam time, Vietnamese numbers and order, names as published, rules text rendered safely."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import Flask

from contest.clock import to_vn
from contest.collation import sort_key
from contest.contests.rules_text import rules_html
from contest.names import display_name
from contest.ranking.standings import public_name


def vn_datetime(moment: datetime | None, pattern: str = "%H:%M ngày %d/%m/%Y") -> str:
    """A timestamp as Vietnamese readers write it, in Vietnam time."""
    return to_vn(moment).strftime(pattern) if moment else ""


def vn_number(value: float | int | None, digits: int = 0) -> str:
    """1234567.5 → "1.234.567,5" (dot for thousands, comma for decimals)."""
    if value is None:
        return ""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def vn_score(value: float | int | None) -> str:
    """A score with two decimals only when it has them: 18 → "18", 17.5 → "17,50", 1234 → "1.234"."""
    return vn_number(value, 2).replace(",00", "")


def vn_clock(seconds: float | int) -> str:
    """A duration as minutes:seconds, whole seconds: 125.7 → "2:05"."""
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def vn_duration(seconds: float | int, digits: int = 0) -> str:
    """A duration in words: 125.25 → "2 phút 5 giây"; with ``digits=1``, "2 phút 5,3 giây" (no ",0")."""
    rest = round(seconds % 60, digits)
    text = vn_number(rest, digits).replace(",0", "") if digits else str(int(rest))
    return f"{int(seconds // 60)} phút {text} giây"


def published_name(full_name: str, consented: bool) -> str:
    """A name on a public page: in title case (as typed in the database), as initials without consent."""
    return public_name(display_name(full_name), consented)


def vn_sorted(items: Iterable[Any], attribute: str | None = None) -> list[Any]:
    """Items in Vietnamese alphabetical order (numbers by value), by an attribute if one is named."""
    if attribute is None:
        return sorted(items, key=sort_key)
    return sorted(items, key=lambda item: sort_key(getattr(item, attribute)))


def register(app: Flask) -> None:
    """Install the filters."""
    app.add_template_filter(vn_datetime, "vn_datetime")
    app.add_template_filter(vn_number, "vn_number")
    app.add_template_filter(vn_score, "vn_score")
    app.add_template_filter(vn_clock, "vn_clock")
    app.add_template_filter(vn_duration, "vn_duration")
    app.add_template_filter(rules_html, "paragraphs")
    app.add_template_filter(published_name, "public_name")
    app.add_template_filter(display_name, "display_name")
    app.add_template_filter(vn_sorted, "vn_sorted")
