"""Template filters: Vietnam time, Vietnamese numbers, and rules text rendered safely."""

from __future__ import annotations

import re
from datetime import datetime
from itertools import groupby

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


_BULLET = re.compile(r"^[-*•]\s+")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(line: str) -> str:
    """Escape a line, then turn **text** into bold: the only markup allowed inside a line."""
    return _BOLD.sub(r"<strong>\1</strong>", str(escape(line)))


def _line_kind(line: str) -> str:
    return "ul" if _BULLET.match(line) else "ol" if _NUMBERED.match(line) else "p"


def paragraphs(text: str | None) -> Markup:
    """Rules text to HTML with a small, safe subset of formatting; everything else is escaped.

    Blank lines split paragraphs; lines starting with "- " (or "* ", "• ") form a bulleted list and lines
    starting with "1. " a numbered list; **text** is bold; other line breaks are kept.
    """
    if not text:
        return Markup("")
    html: list[str] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        for kind, run in groupby(lines, key=_line_kind):
            if kind == "p":
                html.append("<p>" + "<br>".join(_inline(line) for line in run) + "</p>")
            else:
                marker = _BULLET if kind == "ul" else _NUMBERED
                html.append(f"<{kind}>" + "".join(f"<li>{_inline(marker.sub('', line, count=1))}</li>"
                                                  for line in run) + f"</{kind}>")
    return Markup("".join(html))  # noqa: S704 - built only from escaped text and our own tags


def register(app: Flask) -> None:
    """Install the filters."""
    app.add_template_filter(vn_datetime, "vn_datetime")
    app.add_template_filter(vn_number, "vn_number")
    app.add_template_filter(paragraphs, "paragraphs")
    app.add_template_filter(public_name, "public_name")
