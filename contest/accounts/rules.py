"""Registration rules: phone numbers, ages, CCCD numbers, readable codes (pure: no Flask, no database)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import date
from functools import lru_cache
from importlib import resources

# Vietnamese mobile prefixes after the 2018 renumbering: 03x, 05x, 07x, 08x, 09x.
# ASCII digits only: ``\d`` would also take Arabic-Indic or Devanagari digits as a different number.
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_CCCD = re.compile(r"[0-9]{12}")
# One-time codes and temporary passwords are read aloud or copied from paper: no 0/O, 1/l/i.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def readable_code(length: int, rng: secrets.SystemRandom | None = None) -> str:
    """A random code of ``length`` characters of :data:`CODE_ALPHABET`."""
    rng = rng or secrets.SystemRandom()
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(length))


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


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The most common passwords, shipped with the package (``common_passwords.txt``), in lower case."""
    text = resources.files("contest.accounts").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _is_run(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(text) >= 4 and steps in ({1}, {-1})


def weak_password_reason(password: str, personal: tuple[str | None, ...] = ()) -> str | None:
    """Why ``password`` is too easy to guess, in Vietnamese, or None: it is one of the most common passwords,
    a run or repeat of characters (12345678, abcdefgh, aaaaaaaa), or the person's own phone or login."""
    text = unicodedata.normalize("NFKC", password or "").strip().lower()
    if text in common_passwords():
        return ("Mật khẩu này nằm trong danh sách mật khẩu phổ biến nhất nên rất dễ bị đoán. Hãy chọn mật khẩu "
                "khác, ví dụ ghép vài từ dễ nhớ với nhau.")
    if len(set(text)) <= 2 or _is_run(text):
        return "Mật khẩu chỉ gồm các ký tự lặp lại hoặc liên tiếp (như 12345678, aaaaaaaa) nên rất dễ bị đoán."
    mine = {unicodedata.normalize("NFKC", p).strip().lower() for p in personal if p}
    if text in mine or any(len(p) >= 6 and p in text and len(text) - len(p) < 4 for p in mine):
        return "Mật khẩu không được là số điện thoại, email hay tên đăng nhập của bạn."
    return None
