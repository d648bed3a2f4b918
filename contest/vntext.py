"""Vietnamese text helpers shared by every importer and form (pure: no Flask, no database)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_COMBINING = re.compile("[\u0300-\u036f]+")


def clean(value: object) -> str:
    """Return ``value`` as NFC text, trimmed, with inner runs of white space collapsed to one space."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def code_from_title(value: object, max_length: int = 60) -> str:
    """A code typed by nobody: a title folded to lower case ASCII words joined by hyphens.

    "Ngân hàng CCHC 2026" → "ngan-hang-cchc-2026"; a code already in that form is returned unchanged.
    """
    words = re.findall(r"[a-z0-9]+", fold(value))
    return "-".join(words)[:max_length].strip("-")


def fold(value: object) -> str:
    """Return a key for loose matching: lower case, no diacritics, đ as d, single spaces.

    "Mã đơn vị", "MA DON VI" and "  mã  đơn vị " all fold to "ma don vi".
    """
    text = unicodedata.normalize("NFD", clean(value).lower().replace("đ", "d"))
    # Vietnamese marks all lie in the Combining Diacritical Marks block (every one of them category Mn):
    # dropping that block first leaves plain ASCII for Vietnamese text, skipping the slow per-character pass
    # that imports of thousands of questions would otherwise spend most of their time in.
    text = _COMBINING.sub("", text)
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
