"""Use cases for accounts: register a resident, sign in, change a password, record consents and CCCDs."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from contest import clock
from contest.accounts.models import Consent, ContestIdentity, User
from contest.accounts.rules import (
    age_on,
    cccd_digest,
    is_cccd,
    is_mobile_phone,
    normalise_cccd,
    normalise_phone,
    weak_password_reason,
)
from contest.accounts.sessions import end_sessions
from contest.audit.service import record
from contest.extensions import db
from contest.vntext import clean

MIN_PASSWORD_LENGTH = 8


class AccountError(Exception):
    """A rule of registration or sign-in was broken; the message is for the user, in Vietnamese."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class RegistrationError(AccountError):
    """Several registration rules broken at once: ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


DUPLICATE_PHONE = "Số điện thoại này đã được đăng ký. Nếu là bạn, hãy đăng nhập."


@dataclass
class Registration:
    """What a resident types on the registration form."""

    full_name: str
    birth_date: date | None
    gender: str | None
    phone: str
    password: str
    unit_id: int | None
    consent_participate: bool
    consent_publish_name: bool
    address: str | None = None
    occupation: str | None = None


def today_in_vietnam() -> date:
    """Today's date on the wall clocks of Vietnam (ages and deadlines are counted there)."""
    return clock.to_vn(clock.now()).date()


def registration_problems(form: Registration) -> dict[str, str]:
    """Every registration rule the details break (field → message), writing nothing.

    Details the form could not read (no birth date, no unit) are left to the form's own messages, so that a
    page shows all of a person's mistakes together, whichever layer finds them.
    """
    errors: dict[str, str] = {}
    if len(clean(form.full_name)) < 2:
        errors["full_name"] = "Vui lòng nhập họ và tên."
    phone = normalise_phone(form.phone or "")
    if not is_mobile_phone(phone):
        errors["phone"] = ("Số điện thoại phải là số di động Việt Nam gồm 10 chữ số, bắt đầu bằng 03, 05, 07, "
                           "08 hoặc 09.")
    elif db.session.scalar(select(User.id).where((User.phone == phone) | (User.login == phone))):
        errors["phone"] = DUPLICATE_PHONE
    min_age = int(current_app.config["MIN_AGE"])
    today = today_in_vietnam()
    if form.birth_date is None:
        pass
    elif form.birth_date > today:
        errors["birth_date"] = "Ngày sinh không được sau ngày hôm nay."
    elif age_on(form.birth_date, today) < min_age:
        errors["birth_date"] = f"Cuộc thi dành cho người từ đủ {min_age} tuổi trở lên."
    if len(form.password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự."
    elif weak := weak_password_reason(form.password, (phone, form.phone)):
        errors["password"] = weak
    if not form.consent_participate:
        errors["consent_participate"] = ("Bạn cần đồng ý với việc tham gia và xử lý dữ liệu cá nhân để đăng ký.")
    return errors


def register_resident(form: Registration) -> User:
    """Create a resident account after checking every registration rule; record both consents.

    Every broken rule is reported at once (field → message), so the form shows all of them together.
    """
    errors = registration_problems(form)
    if errors:
        raise RegistrationError(errors)
    full_name = clean(form.full_name)
    phone = normalise_phone(form.phone)

    user = User(login=phone, phone=phone, role="resident", full_name=full_name, birth_date=form.birth_date,
                gender=form.gender, unit_id=form.unit_id, address=clean(form.address) or None,
                occupation=clean(form.occupation) or None, publish_name=form.consent_publish_name)
    user.set_password(form.password)
    user.consents.append(Consent(kind="participate", granted=True))
    user.consents.append(Consent(kind="publish_name", granted=form.consent_publish_name))
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same phone registered a moment ago by a parallel request
        db.session.rollback()
        raise RegistrationError({"phone": DUPLICATE_PHONE}) from exc
    return user


def _find_account(login: str) -> User | None:
    """The account a typed login names: by login, by phone however written, or by e-mail."""
    key = clean(login)
    phone = normalise_phone(key)
    return db.session.scalar(select(User).where((User.login == key) | (User.login == phone) |
                                                (User.email == key.lower())))


def account_key(login: str) -> str:
    """Rate-limit key for guesses at one account, whichever of its login, phone or e-mail is typed."""
    user = _find_account(login)
    return f"account:{user.id}" if user is not None else "login:" + normalise_phone(clean(login).lower())


_dummy_hash: str | None = None


def _spend_a_password_check(password: str) -> None:
    """Check ``password`` against a throw-away hash of the same cost, so that an unknown login takes as long
    as a known one (no account enumeration by timing)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash(secrets.token_hex(16))
    check_password_hash(_dummy_hash, password)


def authenticate(login: str, password: str) -> User:
    """Return the user whose login (or phone) and password match; raise AccountError otherwise. Takes the
    same time whether or not the account exists."""
    user = _find_account(login)
    if user is None:
        _spend_a_password_check(password)
    if user is None or not user.check_password(password):
        raise AccountError("Số điện thoại (tên đăng nhập) hoặc mật khẩu không đúng.")
    if user.is_locked:
        raise AccountError("Tài khoản đang bị khóa. Vui lòng liên hệ Ban tổ chức.")
    user.last_login_at = clock.now()
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Replace the user's password after checking the current one."""
    if not user.check_password(current):
        raise AccountError("Mật khẩu hiện tại không đúng.", "current_password")
    check_new_password(user, new)
    user.set_password(new)
    user.must_change_password = False
    end_sessions(user)
    db.session.commit()


def check_new_password(user: User, new: str) -> None:
    """Refuse a new password that is too short or too easy to guess (AccountError on ``new_password``)."""
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Mật khẩu mới cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.", "new_password")
    weak = weak_password_reason(new, (user.phone, user.login, user.email))
    if weak:
        raise AccountError(weak, "new_password")


def sign_out(user: User) -> None:
    """End the person's sessions on the server: a copy of the session or remember-me cookie stops working."""
    end_sessions(user)
    db.session.commit()


def set_publish_consent(user: User, granted: bool) -> None:
    """Give or withdraw consent to publishing one's name if one wins; the change is kept in history."""
    user.publish_name = granted
    user.consents.append(Consent(kind="publish_name", granted=granted))
    db.session.commit()


def update_profile(user: User, *, full_name: str, unit_id: int, address: str | None,
                   occupation: str | None) -> None:
    """Let a person correct their own details (names normalised to NFC)."""
    name = clean(full_name)
    if len(name) < 2:
        raise AccountError("Vui lòng nhập họ và tên.", "full_name")
    user.full_name = name
    user.unit_id = unit_id
    user.address = clean(address) or None
    user.occupation = clean(occupation) or None
    db.session.commit()


def request_deletion(user: User) -> None:
    """Record the person's request to delete their data, for the organisers to act on."""
    if user.deletion_requested_at is None:
        user.deletion_requested_at = clock.now()
        db.session.commit()


def request_correction(user: User, text: str) -> None:
    """Record what the person asks the organisers to correct (birth date, phone, gender): they verify it
    and correct it from the console (accounts.management.correct_person), which settles the request."""
    text = clean(text)
    if not text:
        raise AccountError("Vui lòng ghi thông tin cần sửa và thông tin đúng.", "text")
    user.correction_request = text[:1000]
    user.correction_requested_at = clock.now()
    record("user.correction_request", target=user, actor=user, summary=f"{user.full_name} yêu cầu sửa thông tin",
           changes={"request": user.correction_request})
    db.session.commit()


def cancel_deletion(user: User) -> bool:
    """Withdraw one's deletion request while the organisers have not acted on it; False when there is none
    to withdraw (never asked, or the data is already erased)."""
    if user.deletion_requested_at is None or user.anonymised_at is not None:
        return False
    user.deletion_requested_at = None
    db.session.commit()
    return True


def create_organiser(login: str, full_name: str, password: str) -> User:
    """Create an organiser account (from the CLI)."""
    login = clean(login)
    if not login:
        raise AccountError("Tên đăng nhập không được để trống.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    weak = weak_password_reason(password, (login,))
    if weak:
        raise AccountError(weak)
    if db.session.scalar(select(User.id).where(User.login == login)):
        raise AccountError(f"Tên đăng nhập “{login}” đã tồn tại.")
    user = User(login=login, role="organiser", full_name=clean(full_name) or login)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def cccd_key() -> bytes:
    """The key of the CCCD hash: CCCD_HASH_KEY, or one derived from SECRET_KEY."""
    configured = current_app.config.get("CCCD_HASH_KEY")
    if configured:
        return configured.encode()
    return hashlib.sha256(b"hoithi-cccd:" + current_app.config["SECRET_KEY"].encode()).digest()


def register_cccd(user: User, contest_id: int, raw_number: str) -> ContestIdentity:
    """Record a CCCD for one contest as a keyed hash plus its last 4 digits; one person per number."""
    number = normalise_cccd(raw_number)
    if not is_cccd(number):
        raise AccountError("Số CCCD (căn cước) gồm đúng 12 chữ số.", "cccd")
    digest = cccd_digest(number, cccd_key())
    existing = db.session.scalar(select(ContestIdentity).where(ContestIdentity.contest_id == contest_id,
                                                               ContestIdentity.user_id == user.id))
    if existing is not None:
        if existing.cccd_hash == digest:
            return existing
        raise AccountError("Bạn đã khai báo một số CCCD khác cho cuộc thi này. Liên hệ Ban tổ chức nếu cần sửa.",
                           "cccd")
    if db.session.scalar(select(ContestIdentity.id).where(ContestIdentity.contest_id == contest_id,
                                                          ContestIdentity.cccd_hash == digest)):
        raise AccountError("Số CCCD này đã được một tài khoản khác dùng để tham gia cuộc thi.", "cccd")
    identity = ContestIdentity(contest_id=contest_id, user_id=user.id, cccd_hash=digest, cccd_last4=number[-4:])
    db.session.add(identity)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise AccountError("Số CCCD này đã được một tài khoản khác dùng để tham gia cuộc thi.", "cccd") from exc
    return identity


def has_cccd(user: User, contest_id: int) -> bool:
    """Whether the user has given a CCCD for the contest."""
    return db.session.scalar(select(ContestIdentity.id).where(ContestIdentity.contest_id == contest_id,
                                                              ContestIdentity.user_id == user.id)) is not None


_PEOPLE_CHUNK = 5_000  # ids per query: well under the bound-parameter limits of SQLite and PostgreSQL


def people_by_id(user_ids) -> dict[int, User]:
    """The accounts of ``user_ids`` (None and repeats ignored), by id, loaded in a few queries; pages and
    exports name people through this one place."""
    ids = sorted({i for i in user_ids if i is not None})
    found: dict[int, User] = {}
    for start in range(0, len(ids), _PEOPLE_CHUNK):
        found.update((u.id, u) for u in db.session.scalars(select(User).where(
            User.id.in_(ids[start:start + _PEOPLE_CHUNK]))))
    return found
