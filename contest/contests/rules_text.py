"""A contest's rules text as HTML: a small, safe subset of formatting (pure: no Flask, no database).

Organisers type rules as they would in a letter: sections numbered "1.", "2.", … each followed by its text,
separated by blank lines. Each section must keep the number typed (an ordered list per block would restart at
"1." every time), and everything that is not our own markup is escaped.
"""

from __future__ import annotations

import re
from itertools import groupby

from markupsafe import Markup, escape

_BULLET = re.compile(r"^[-*•]\s+")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(line: str) -> str:
    """Escape a line, then turn **text** into bold: the only markup allowed inside a line."""
    return _BOLD.sub(r"<strong>\1</strong>", str(escape(line)))


def _numbered_items(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Group a block that starts with a numbered line into (number, lines): unnumbered lines continue an item."""
    items: list[tuple[int, list[str]]] = []
    for line in lines:
        match = _NUMBERED.match(line)
        if match:
            items.append((int(match.group(1)), [line[match.end():]]))
        else:
            items[-1][1].append(line)
    return items


def _flow(lines: list[str], paragraph: bool) -> str:
    """Text lines and bulleted runs in order; text runs are paragraphs, or line-broken text inside a list item."""
    html: list[str] = []
    for is_bullet, run in groupby(lines, key=lambda line: bool(_BULLET.match(line))):
        if is_bullet:
            html.append("<ul>" + "".join(f"<li>{_inline(_BULLET.sub('', line, count=1))}</li>" for line in run)
                        + "</ul>")
        else:
            text = "<br>".join(_inline(line) for line in run)
            html.append(f"<p>{text}</p>" if paragraph else text)
    return "".join(html)


def _ordered_list(items: list[tuple[int, list[str]]]) -> str:
    """An <ol> that shows the numbers as typed: start= for the first, value= where the count jumps."""
    first = items[0][0]
    html = [f'<ol start="{first}">' if first != 1 else "<ol>"]
    expected = first
    for number, lines in items:
        value = f' value="{number}"' if number != expected else ""
        html.append(f"<li{value}>{_inline(lines[0])}{'<br>' if len(lines) > 1 and not _BULLET.match(lines[1]) else ''}"
                    f"{_flow(lines[1:], paragraph=False)}</li>")
        expected = number + 1
    html.append("</ol>")
    return "".join(html)


def _block(lines: list[str]) -> str:
    """One block (text between blank lines): paragraphs and bulleted runs, then numbered items if any."""
    start = next((i for i, line in enumerate(lines) if _NUMBERED.match(line)), len(lines))
    html = _flow(lines[:start], paragraph=True)
    if start < len(lines):
        html += _ordered_list(_numbered_items(lines[start:]))
    return html


def rules_html(text: str | None) -> Markup:
    """Rules text to HTML; everything but our own tags is escaped.

    Blank lines split blocks. In a block, lines starting with "- " (or "* ", "• ") form a bulleted list;
    a line starting with a number ("1. ", "2) ") starts a numbered item that keeps that number, and the
    lines after it belong to it until the next numbered line; **text** is bold; other line breaks are kept.
    """
    if not text:
        return Markup("")
    blocks = text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n")
    html = [_block(lines) for block in blocks if (lines := [ln.strip() for ln in block.split("\n") if ln.strip()])]
    return Markup("".join(html))  # noqa: S704 - built only from escaped text and our own tags
