"""Vietnamese text helpers shared by every importer and form (pure: no Flask, no database)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean(value: object) -> str:
    """Return ``value`` as NFC text, trimmed, with inner runs of white space collapsed to one space."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def fold(value: object) -> str:
    """Return a key for loose matching: lower case, no diacritics, đ as d, single spaces.

    "Mã đơn vị", "MA DON VI" and "  mã  đơn vị " all fold to "ma don vi".
    """
    text = unicodedata.normalize("NFD", clean(value).lower().replace("đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
