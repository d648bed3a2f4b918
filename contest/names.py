"""People's names as pages show them (pure: no Flask, no database).

The database keeps a name exactly as the person typed it; pages show it in Vietnamese title case, so that
"nguyễn văn an" or "NGUYỄN VĂN AN" reads "Nguyễn Văn An" in the public standings.
"""

from __future__ import annotations

from contest.vntext import clean


def _title_word(word: str) -> str:
    """One word in title case; a word typed in mixed case ("H'Hen", "McLeod") is the person's own spelling."""
    if not (word.islower() or word.isupper()):
        return word
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def display_name(name: object) -> str:
    """A person's name in Vietnamese title case, NFC, with single spaces: "nguyễn  văn an" → "Nguyễn Văn An"."""
    text = clean(name)
    return " ".join(_title_word(word) for word in text.split(" ")) if text else ""
