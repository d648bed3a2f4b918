"""Registration rules: phone numbers, ages, CCCD numbers (pure: no Flask, no database)."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

# Vietnamese mobile prefixes after the 2018 renumbering: 03x, 05x, 07x, 08x, 09x.
# ASCII digits only: ``\d`` would also take Arabic-Indic or Devanagari digits as a different number.
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_CCCD = re.compile(r"[0-9]{12}")


def normalise_phone(raw: str) -> str:
    """Return the phone as 10 digits starting with 0: full-width digits made ASCII (NFKC), spaces, dots and
    dashes dropped, +84/84 turned to 0."""
    digits = re.sub(r"[\s.\-()]", "", unicodedata.normalize("NFKC", raw or ""))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def is_mobile_phone(phone: str) -> bool:
    """Whether ``phone`` (normalised) is a Vietnamese 10-digit mobile number."""
    return bool(_MOBILE.fullmatch(phone))


def age_on(birth_date: date, today: date) -> int:
    """Age in whole years on ``today`` (a birthday on 29 February counts from 1 March in other years)."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def normalise_cccd(raw: str) -> str:
    """Return the CCCD with full-width digits made ASCII (NFKC) and spaces and dots removed."""
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", raw or ""))


def is_cccd(number: str) -> bool:
    """Whether ``number`` has the 12 digits of a Căn cước / CCCD number."""
    return bool(_CCCD.fullmatch(number))


def cccd_digest(number: str, key: bytes) -> str:
    """Keyed hash (HMAC-SHA256) of a CCCD number: enough to spot a duplicate, useless to recover it."""
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()


def parse_session_id(raw) -> tuple[int, int] | None:
    """Read the ``"<user id>:<session version>"`` a session or remember-me cookie holds; None if malformed
    (an id from before session versions, or anything else, is no session at all)."""
    user_id, _, version = str(raw or "").partition(":")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    if len(user_id) > 18 or len(version) > 18:  # beyond a database integer: nobody's
        return None
    return int(user_id), int(version)
