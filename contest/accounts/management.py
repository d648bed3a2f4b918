"""Organisers' management of accounts: find, reset a password, lock and unlock, grant or revoke a unit
manager's role, and act on a person's request to delete their data. Every action is audited.
"""

from __future__ import annotations

import secrets
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, or_, select

from contest import clock
from contest.accounts.models import GENDERS, ROLES, ContestIdentity, User
from contest.accounts.rules import age_on, is_mobile_phone, normalise_phone, readable_code
from contest.accounts.sessions import end_sessions
from contest.audit.service import record
from contest.extensions import db
from contest.units.models import Unit
from contest.vntext import clean

TEMPORARY_PASSWORD_LENGTH = 10


class ManagementError(Exception):
    """The action is not allowed on this account; the message is for the organiser, in Vietnamese."""


def people_of_units(unit_ids: set[int] | None):
    """A condition on ``User``: the people of ``unit_ids`` (by their unit or the unit they manage, so a ward
    organiser and the ward's unit managers count as the ward's), or None for no restriction."""
    if unit_ids is None:
        return None
    ids = sorted(unit_ids) or [-1]
    return or_(User.unit_id.in_(ids), User.managed_unit_id.in_(ids))


def search_users(text: str = "", role: str = "", deletion_requested: bool = False,
                 correction_requested: bool = False, unit_ids: set[int] | None = None):
    """A select of users whose name, login, phone or e-mail contains ``text`` (newest first); only those
    with a pending deletion or correction request when asked; only the people of ``unit_ids`` when given (a
    ward organiser's scope)."""
    query = select(User).order_by(User.id.desc())
    if unit_ids is not None:
        query = query.where(people_of_units(unit_ids))
    text = clean(text)
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(or_(func.lower(User.full_name).like(pattern), func.lower(User.login).like(pattern),
                                User.phone.like(pattern), func.lower(User.email).like(pattern)))
    if role in ROLES:
        query = query.where(User.role == role)
    if deletion_requested:
        query = query.where(User.deletion_requested_at.is_not(None), User.anonymised_at.is_(None))
    if correction_requested:
        query = query.where(User.correction_requested_at.is_not(None), User.anonymised_at.is_(None))
    return query


def _refuse_organisers(user: User, actor: User | None) -> None:
    if user.role == "organiser":
        raise ManagementError("Không thể thực hiện thao tác này trên tài khoản Ban tổ chức tại đây.")
    if user.anonymised_at is not None:
        raise ManagementError("Tài khoản này đã được xóa dữ liệu cá nhân.")
    if actor is not None and actor.id == user.id:
        raise ManagementError("Bạn không thể thực hiện thao tác này trên chính tài khoản của mình.")


def temporary_password() -> str:
    """A random password to hand over once (the person must change it at the next sign-in)."""
    return readable_code(TEMPORARY_PASSWORD_LENGTH)


def reset_password(user: User, actor: User | None = None) -> str:
    """Give the account a temporary password, returned to be shown once; force a change at next sign-in."""
    _refuse_organisers(user, actor)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    end_sessions(user)
    record("user.reset_password", target=user, actor=actor,
           summary=f"Đặt lại mật khẩu tạm thời cho {user.login}; phải đổi khi đăng nhập")
    db.session.commit()
    return password


def set_locked(user: User, locked: bool, actor: User | None = None) -> None:
    """Lock an account (it is signed out everywhere at its next request) or unlock it."""
    _refuse_organisers(user, actor)
    if user.is_locked == locked:
        return
    user.is_locked = locked
    end_sessions(user)  # a lock ends every session; an unlock starts afresh (no cached lock survives it)
    record("user.lock" if locked else "user.unlock", target=user, actor=actor,
           summary=f"{'Khóa' if locked else 'Mở khóa'} tài khoản {user.login}", changes={"is_locked": [not locked,
                                                                                                     locked]})
    db.session.commit()


def grant_unit_manager(user: User, unit: Unit, actor: User | None = None) -> None:
    """Make the user the manager of ``unit`` (they then see that unit and the units below it)."""
    _refuse_organisers(user, actor)
    before = {"role": user.role, "managed_unit": user.managed_unit.code if user.managed_unit else None}
    user.role = "unit_manager"
    user.managed_unit_id = unit.id
    record("user.role", target=user, actor=actor, summary=f"Giao {user.login} phụ trách đơn vị {unit.code}",
           changes={"role": [before["role"], "unit_manager"], "managed_unit": [before["managed_unit"], unit.code]})
    db.session.commit()


def revoke_unit_manager(user: User, actor: User | None = None) -> None:
    """Take the unit manager's role away: back to resident if their own unit is a residential group,
    otherwise to official."""
    _refuse_organisers(user, actor)
    if user.role != "unit_manager":
        raise ManagementError("Tài khoản này không phụ trách đơn vị nào.")
    previous = user.managed_unit.code if user.managed_unit else None
    user.role = "resident" if user.unit is not None and user.unit.kind == "residential" else "official"
    user.managed_unit_id = None
    record("user.role", target=user, actor=actor, summary=f"Thu hồi quyền phụ trách đơn vị của {user.login}",
           changes={"role": ["unit_manager", user.role], "managed_unit": [previous, None]})
    db.session.commit()


PERSONAL_FIELDS = ("phone", "email", "birth_date", "gender", "address", "occupation", "position")


def anonymise_user(user: User, actor: User | None = None) -> None:
    """Act on a deletion request: erase the person's data (name, login, phone, e-mail, birth date, CCCD...),
    lock the account, and keep their attempts only as anonymous results (as the contest's rules allow)."""
    _refuse_organisers(user, actor)
    cleared = [f for f in PERSONAL_FIELDS if getattr(user, f) is not None]
    for name in PERSONAL_FIELDS:
        setattr(user, name, None)
    user.full_name = f"Người dùng đã xóa #{user.id}"
    user.login = f"da-xoa-{user.id}"
    user.publish_name = False
    user.is_locked = True
    user.must_change_password = False
    user.set_password(secrets.token_urlsafe(32))
    user.anonymised_at = clock.now()
    end_sessions(user)
    removed = db.session.execute(delete(ContestIdentity).where(ContestIdentity.user_id == user.id)).rowcount
    # The entry says what was erased, never the erased values.
    record("user.delete", target=user, actor=actor,
           summary=f"Xóa dữ liệu cá nhân của tài khoản #{user.id}; kết quả thi giữ ở dạng ẩn danh",
           changes={"cleared": ["full_name", "login", *cleared] + (["cccd"] if removed else []),
                    "requested_at": user.deletion_requested_at})
    db.session.commit()


class CorrectionProblems(ManagementError):
    """Corrections that break the registration rules: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def correct_person(user: User, actor: User | None, *, birth_date: date | None, phone: str, gender: str | None,
                   reason: str) -> dict[str, list]:
    """Correct a person's birth date, phone and gender as the organiser verified them, by the registration's
    rules (a mobile number, typed with any digits, used by nobody else; a birth date not in the future and,
    for a resident, of the minimum age); audited with the reason. A resident signs in with their phone, so
    their login follows it. The person's pending correction request, if any, is settled. Returns the changes.
    """
    _refuse_organisers(user, actor)
    errors: dict[str, str] = {}
    reason = clean(reason)
    if not reason:
        errors["reason"] = "Vui lòng ghi lý do sửa (ví dụ: theo yêu cầu của người dân, đã đối chiếu CCCD)."
    phone = normalise_phone(phone or "")
    if not phone:
        phone = None
        if user.role == "resident":
            errors["phone"] = "Người dân đăng nhập bằng số điện thoại nên không thể để trống số điện thoại."
    elif not is_mobile_phone(phone):
        errors["phone"] = ("Số điện thoại phải là số di động Việt Nam gồm 10 chữ số, bắt đầu bằng 03, 05, 07, "
                           "08 hoặc 09.")
    elif db.session.scalar(select(User.id).where((User.phone == phone) | (User.login == phone), User.id != user.id)):
        errors["phone"] = "Số điện thoại này đã được dùng cho một tài khoản khác."
    today = clock.to_vn(clock.now()).date()
    min_age = int(current_app.config["MIN_AGE"])
    if birth_date is not None and birth_date.year < 1900:
        errors["birth_date"] = "Năm sinh không hợp lệ."
    elif birth_date is not None and birth_date > today:
        errors["birth_date"] = "Ngày sinh không được sau ngày hôm nay."
    elif birth_date is not None and user.role == "resident" and age_on(birth_date, today) < min_age:
        errors["birth_date"] = f"Cuộc thi dành cho người từ đủ {min_age} tuổi trở lên."
    if gender and gender not in GENDERS:
        errors["gender"] = "Vui lòng chọn giới tính trong danh sách."
    if errors:
        raise CorrectionProblems(errors)
    after = {"birth_date": birth_date, "phone": phone, "gender": gender or None}
    changes = {name: [getattr(user, name), value] for name, value in after.items() if getattr(user, name) != value}
    if user.role == "resident" and "phone" in changes and user.login == changes["phone"][0]:
        user.login = phone
    for name, (_, value) in changes.items():
        setattr(user, name, value)
    request = user.correction_request
    user.correction_request = None
    user.correction_requested_at = None
    record("user.correct", target=user, actor=actor, summary=f"Sửa thông tin cá nhân của {user.full_name}: {reason}",
           changes={**changes, "reason": reason, **({"request": request} if request else {})})
    db.session.commit()
    return changes


def create_ward_organiser(login: str, full_name: str, password: str, unit_code: str) -> User:
    """Create an organiser confined to the unit ``unit_code`` and the units below it (a ward's organiser; from
    the CLI, the server operator's). The same checks as any organiser account; one commit, audited."""
    from contest.accounts.rules import weak_password_reason
    from contest.accounts.service import MIN_PASSWORD_LENGTH

    code = clean(unit_code).upper()
    unit = db.session.scalar(select(Unit).where(Unit.code == code)) if code else None
    if unit is None:
        raise ManagementError(f"Không có đơn vị mã “{code}”. Hãy nhập danh sách đơn vị trước (flask units import).")
    login = clean(login)
    if not login:
        raise ManagementError("Tên đăng nhập không được để trống.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ManagementError(f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    weak = weak_password_reason(password, (login,))
    if weak:
        raise ManagementError(weak)
    if db.session.scalar(select(User.id).where(User.login == login)):
        raise ManagementError(f"Tên đăng nhập “{login}” đã tồn tại.")
    user = User(login=login, role="organiser", full_name=clean(full_name) or login, managed_unit_id=unit.id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user.create", target=user, actor=None,
           summary=f"Tạo tài khoản Ban tổ chức {login} của {unit.name}", changes={"managed_unit": unit.code})
    db.session.commit()
    return user
