"""Share codes (pure): the short, stable and hard-to-guess part of a contest's share link ``/c/<code>``.

Eight characters from an alphabet without the look-alikes 0/o, 1/l/i, so that a code copied by hand from a
poster on a notice board is read back right: 31⁸ ≈ 8.5 × 10¹¹ codes, drawn with ``secrets``. A code is
case-insensitive when typed (:func:`normalise_share_code`).
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 8


def new_share_code() -> str:
    """A fresh random share code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_share_code(typed: str) -> str | None:
    """The share code as stored, from a code typed or pasted in any case; None if it cannot be one."""
    code = (typed or "").strip().lower()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
