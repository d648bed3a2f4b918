"""Use cases of the staff roster: preview and import a roster file, issue one-time sign-in codes, set the
first password.

A new official's one-time code is stored only as a password hash with ``must_change_password`` set: signing
in with it leads straight to choosing a password (enforced on every page), after which the code is gone.
Issuing a new code replaces the hash, so the old code stops working. The codes themselves are returned once,
to be shown on the slips page or written to a file, and never stored in the database (a large import run as a
background job keeps them in a file of the jobs folder until its slips page is shown once, or the jobs sweep
deletes it).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from contest import clock
from contest.accounts.models import User
from contest.accounts.roster import OfficialRecord, new_code, parse_roster, unit_keys
from contest.accounts.service import AccountError, check_new_password
from contest.accounts.sessions import end_sessions
from contest.audit.service import record
from contest.collation import name_sort_key, sort_key
from contest.extensions import db
from contest.sheets import Problem, SheetError, read_table
from contest.units.models import Unit

OFFICIAL_ROLES = ("official", "unit_manager")
_KEY_CHUNK = 2_000
# Codes are random (about 49 bits), so a quick salted hash is enough; the slow default would make
# importing a few hundred officials take minutes.
CODE_HASH_METHOD = "pbkdf2:sha256:20000"
ROSTER_TAKEN = ("Một số điện thoại hoặc email trong tệp vừa được một tài khoản khác sử dụng. Không có thay đổi "
                "nào; vui lòng nhập lại tệp.")
FIELD_LABELS = {"full_name": "Họ và tên", "unit_id": "Đơn vị", "position": "Chức vụ", "phone": "Số điện thoại",
                "email": "Email", "birth_date": "Ngày sinh"}


@dataclass
class RosterLine:
    """What importing one row does: create a person, update one (with the changed fields), or nothing."""

    record: OfficialRecord
    action: str  # "create", "update" or "same"
    user_id: int | None = None
    changed: list[str] = field(default_factory=list)


@dataclass
class RosterReport:
    """A roster import's plan (or result), or every reason it does nothing."""

    lines: list[RosterLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    codes: list[IssuedCode] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        """How many rows do ``action``."""
        return sum(1 for line in self.lines if line.action == action)


@dataclass(frozen=True)
class IssuedCode:
    """A one-time code just issued, with what a slip shows. The code exists only in this object."""

    user_id: int
    full_name: str
    unit_code: str
    unit_name: str
    position: str | None
    login: str
    code: str


def codes_json(codes: list[IssuedCode]) -> str:
    """Codes issued by a background import, for the one page that will show them (then the file is deleted)."""
    return json.dumps([asdict(c) for c in codes], ensure_ascii=False)


def codes_from_json(text: str) -> list[IssuedCode]:
    """The codes written by :func:`codes_json`."""
    return [IssuedCode(**item) for item in json.loads(text)]


def plan_roster(data: bytes, filename: str, unit_ids: set[int] | None = None) -> RosterReport:
    """Read a roster file and say what importing it would do, changing nothing (the preview). With
    ``unit_ids`` (a ward organiser's scope) only those units are known and only their people are updated."""
    report = RosterReport()
    try:
        sheets = read_table(data, filename)
    except SheetError as exc:
        report.problems.append(Problem(None, str(exc)))
        return report
    cap = int(current_app.config["ROSTER_MAX_ROWS"])
    if len(sheets[0].rows) > cap:
        report.problems.append(Problem(None, f"Tệp có {len(sheets[0].rows)} dòng; mỗi lần nhập tối đa {cap} người "
                                             "(mỗi người được cấp một mã đăng nhập). Hãy chia theo đơn vị thành "
                                             "nhiều tệp."))
        return report
    units = [(u.id, u.code, u.name) for u in db.session.scalars(select(Unit)) if unit_ids is None or u.id in unit_ids]
    if not units:
        report.problems.append(Problem(None, "Chưa có danh sách đơn vị. Hãy nhập đơn vị trước khi nhập danh sách "
                                             "cán bộ."))
        return report
    records, problems = parse_roster(sheets[0], unit_keys(units), clock.to_vn(clock.now()).date())
    report.problems.extend(problems)

    keys = sorted({r.phone for r in records if r.phone} | {r.email for r in records if r.email})
    existing = []
    for start in range(0, len(keys), _KEY_CHUNK):  # SQLite takes at most 32,766 values in one statement
        chunk = keys[start:start + _KEY_CHUNK]
        existing.extend(db.session.scalars(select(User).where(or_(User.phone.in_(chunk), User.email.in_(chunk),
                                                                  User.login.in_(chunk)))))
    by_key: dict[str, User] = {}
    for user in existing:
        for key in (user.phone, user.email, user.login):
            if key:
                by_key[key] = user
    claimed: dict[int, int] = {}
    for rec in records:
        by_phone = by_key.get(rec.phone) if rec.phone else None
        by_email = by_key.get(rec.email) if rec.email else None
        if by_phone is not None and by_email is not None and by_phone.id != by_email.id:
            report.problems.append(Problem(rec.row, f"Số điện thoại {rec.phone} và email {rec.email} thuộc hai tài "
                                                    "khoản khác nhau."))
            continue
        user = by_phone or by_email
        if user is None:
            report.lines.append(RosterLine(rec, "create"))
            continue
        if unit_ids is not None and user.unit_id not in unit_ids and user.managed_unit_id not in unit_ids:
            what = "số điện thoại" if by_phone is not None else "email"
            report.problems.append(Problem(rec.row, f"{what.capitalize()} này đã được dùng cho một tài khoản "
                                                    f"ngoài phạm vi bạn quản lý; hãy dùng {what} khác."))
            continue
        if user.role not in OFFICIAL_ROLES:
            what = "số điện thoại" if by_phone is not None else "email"
            report.problems.append(Problem(rec.row, f"{what.capitalize()} này đã được dùng cho một tài khoản "
                                                    f"{user.role_label.lower()}; hãy dùng {what} khác."))
            continue
        if user.id in claimed:
            report.problems.append(Problem(rec.row, f"Dòng này và dòng {claimed[user.id]} cùng chỉ một người "
                                                    "(trùng số điện thoại hoặc email)."))
            continue
        claimed[user.id] = rec.row
        changed = _changed_fields(user, rec)
        report.lines.append(RosterLine(rec, "update" if changed else "same", user.id, changed))
    report.problems.sort(key=lambda p: p.row or 0)
    return report


def _changed_fields(user: User, rec: OfficialRecord) -> list[str]:
    wanted = _wanted(rec)
    return [name for name, value in wanted.items() if getattr(user, name) != value]


def _wanted(rec: OfficialRecord) -> dict[str, object]:
    """The fields a row sets; an empty phone, e-mail or birth date leaves what is stored."""
    values: dict[str, object] = {"full_name": rec.full_name, "unit_id": rec.unit_id, "position": rec.position}
    if rec.phone:
        values["phone"] = rec.phone
    if rec.email:
        values["email"] = rec.email
    if rec.birth_date:
        values["birth_date"] = rec.birth_date
    return values


def import_roster(data: bytes, filename: str, unit_ids: set[int] | None = None) -> RosterReport:
    """Create and update officials from a roster file, all or nothing; new officials get one-time codes.

    People are matched by phone or e-mail, so importing the same file again updates rather than duplicates.
    The one commit of the use case is here.
    """
    try:
        report = write_roster_import(data, filename, unit_ids)
        if report.ok:
            db.session.commit()
    except IntegrityError:  # a phone or e-mail taken a moment ago (a registration, another import)
        db.session.rollback()
        return RosterReport(problems=[Problem(None, ROSTER_TAKEN)])
    return report


def write_roster_import(data: bytes, filename: str, unit_ids: set[int] | None = None, actor=None,
                        progress=None) -> RosterReport:
    """:func:`import_roster` without its commit (flushed only; the caller commits, and on ``IntegrityError``
    rolls back and reports :data:`ROSTER_TAKEN`). ``actor``: who the audit entries name (default: the
    signed-in user; a background job passes the person who started it). The new people's codes are hashed
    (the slow part) before anything is written, telling ``progress(fraction)`` how far it got."""
    report = plan_roster(data, filename, unit_ids)
    if not report.ok:
        return report
    prepared = hashed_codes(report.count("create"), progress)
    created: list[User] = []
    for line in report.lines:
        if line.action == "create":
            rec = line.record
            user = User(login=rec.phone or rec.email, role="official", password_hash="!", **_wanted(rec))
            db.session.add(user)
            created.append(user)
        elif line.action == "update":
            user = db.session.get(User, line.user_id)
            before = {"phone": user.phone, "email": user.email}
            for name, value in _wanted(line.record).items():
                setattr(user, name, value)
            # The login follows the phone (or e-mail) it was made from.
            for key in ("phone", "email"):
                if before[key] and user.login == before[key] and getattr(user, key) != before[key]:
                    user.login = getattr(user, key)
    db.session.flush()
    report.codes = _issue(created, prepared)
    record("roster.import", target_type="users", actor=actor,
           summary=f"{filename}: {report.count('create')} người mới, {report.count('update')} cập nhật, "
                   f"{report.count('same')} không đổi",
           changes={"created": [u.id for u in created],
                    "updated": {str(ln.user_id): ln.changed for ln in report.lines if ln.action == "update"}})
    if report.codes:
        record("codes.export", target_type="users", actor=actor,
               summary=f"Cấp mã đăng nhập một lần cho {len(report.codes)} người mới trong danh sách vừa nhập",
               changes={"users": [c.user_id for c in report.codes]})
    db.session.flush()
    return report


def hashed_codes(count: int, progress=None) -> list[tuple[str, str]]:
    """``count`` fresh one-time codes with their password hashes, made before any row is written (hashing
    is most of an import's time; ``progress(fraction)`` hears of every 25)."""
    prepared = []
    for n in range(count):
        code = new_code()
        prepared.append((code, generate_password_hash(code, method=CODE_HASH_METHOD)))
        if progress is not None and (n + 1) % 25 == 0:
            progress((n + 1) / count)
    return prepared


def _issue(users: list[User], prepared: list[tuple[str, str]] | None = None) -> list[IssuedCode]:
    """Give each user a fresh one-time code (replacing any earlier code or password), from ``prepared``
    (codes and hashes, see :func:`hashed_codes`) when given; only flushes."""
    issued = []
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({u.unit_id for u in users})))}
    fresh = iter(prepared or hashed_codes(len(users)))
    for user in users:
        code, user.password_hash = next(fresh)
        user.must_change_password = True
        end_sessions(user)
        unit = units.get(user.unit_id)
        issued.append(IssuedCode(user.id, user.full_name, unit.code if unit else "", unit.name if unit else "",
                                 user.position, user.login, code))
    db.session.flush()
    return sorted(issued, key=lambda c: (sort_key(c.unit_name), c.unit_code, name_sort_key(c.full_name), c.user_id))


def issue_codes(*, unit_id: int | None = None, user_id: int | None = None,
                unit_ids: set[int] | None = None) -> list[IssuedCode]:
    """Issue new one-time codes: to one official (any), or to every official of a unit (or of the ward)
    who has not yet chosen a password. Each earlier code of theirs stops working. With ``unit_ids`` (a ward
    organiser's scope) only the officials of those units are reached."""
    query = select(User).where(User.role.in_(OFFICIAL_ROLES))
    if unit_ids is not None:
        query = query.where(User.unit_id.in_(sorted(unit_ids) or [-1]))
    if user_id is not None:
        query = query.where(User.id == user_id)
    else:
        query = query.where(User.must_change_password.is_(True))
        if unit_id is not None:
            query = query.where(User.unit_id == unit_id)
    users = db.session.scalars(query).all()
    if not users:
        raise AccountError("Không có ai cần cấp mã: mọi người trong phạm vi này đã đặt mật khẩu.")
    issued = _issue(users)
    scope = ("một người" if user_id is not None else
             (f"đơn vị {issued[0].unit_code}" if unit_id is not None else "toàn phường"))
    record("codes.export", target_type="users",
           summary=f"Cấp lại mã đăng nhập một lần cho {len(issued)} người ({scope}); mã cũ hết hiệu lực",
           changes={"users": [c.user_id for c in issued]})
    db.session.commit()
    return issued


def set_first_password(user: User, current: str, new: str) -> None:
    """Replace a one-time code (or a reset password) with the person's own password; the code must be typed
    again, so that a session left open elsewhere cannot take over the account after a reset."""
    if not user.check_password(current):
        raise AccountError("Mã đăng nhập một lần (hoặc mật khẩu tạm thời) không đúng.", "current_password")
    check_new_password(user, new)
    if user.check_password(new):
        raise AccountError("Mật khẩu mới phải khác mã đăng nhập một lần (hoặc mật khẩu tạm thời).", "new_password")
    user.set_password(new)
    user.must_change_password = False
    end_sessions(user)
    db.session.commit()


def list_officials(unit_ids: set[int] | None = None) -> list[User]:
    """Officials (and unit managers) with their units, by unit name then person (Vietnamese order); only
    ``unit_ids`` if given."""
    query = select(User).where(User.role.in_(OFFICIAL_ROLES)).outerjoin(Unit, Unit.id == User.unit_id)
    if unit_ids is not None:
        query = query.where(User.unit_id.in_(unit_ids))
    people = db.session.execute(query.add_columns(Unit.name)).all()
    return [user for user, _ in sorted(people, key=lambda row: (row[1] is None, sort_key(row[1]),
                                                                   name_sort_key(row[0].full_name), row[0].id))]

