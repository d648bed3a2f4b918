"""Template filters: Vietnam time, Vietnamese numbers, and rules text rendered safely."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from markupsafe import Markup, escape

from contest.clock import to_vn
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


def paragraphs(text: str | None) -> Markup:
    """Plain text to HTML paragraphs; every character escaped, blank lines split paragraphs."""
    if not text:
        return Markup("")
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    html = "".join("<p>" + str(escape(b)).replace("\n", "<br>") + "</p>" for b in blocks)
    return Markup(html)  # noqa: S704 - built only from escaped text


def register(app: Flask) -> None:
    """Install the filters."""
    app.add_template_filter(vn_datetime, "vn_datetime")
    app.add_template_filter(vn_number, "vn_number")
    app.add_template_filter(paragraphs, "paragraphs")
    app.add_template_filter(public_name, "public_name")
