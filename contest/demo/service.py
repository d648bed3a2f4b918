"""Load the demo: a small city, every bank file in questions/, one account per role, and contests with open rounds.

The city (``don-vi-thanh-pho-mau.csv``) has three wards, each with offices, centres and residential groups. The
city runs a contest open to everyone and the officials' knowledge survey across the wards; each ward runs its
own contest, open only to its people. One account per role shows the scoping at once: the city's organiser
(every ward), an organiser per ward (``managed_unit_id`` = the ward), a unit manager, a resident and an official.

Every step is idempotent: running it again changes nothing that is already there, and adds an open round
when the last one has closed, so the demo always has something to take.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from contest import clock
from contest.accounts.models import Consent, User
from contest.accounts.rules import CODE_ALPHABET
from contest.accounts.service import create_organiser
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question, Topic
from contest.contests.models import Contest
from contest.contests.service import BlueprintLine, save_contest, save_round, set_blueprint, slugify
from contest.demo.survey import ensure_survey
from contest.extensions import db
from contest.units.models import Unit
from contest.units.service import import_units

HERE = Path(__file__).resolve().parent
UNITS_FILE = HERE / "don-vi-thanh-pho-mau.csv"  # the city, its three wards and their units
WARD_UNITS_FILE = HERE / "don-vi-phuong-mau.csv"  # one ward's units alone: the sample for a single-ward deployment
CITY_CODE = "TP-MAU"
WARD_CODES = ("P-ANBINH", "P-TANPHU", "P-PHULOI")
RULES_FILE = HERE / "rules.txt"
DEMO_SLUG = "cuoc-thi-tim-hieu-cchc-2026"
CONTEST_BANK = "cchc-mac-dinh"  # the default bank (questions/cchc-mac-dinh.yaml): the demo contest draws from it
SURVEY_BANK = "cchc-khao-sat-can-bo"  # the officials' knowledge survey draws from its own bank
ORGANISER_LOGIN = "bantochuc"
QUESTIONS_PER_ROUND = 20
ROUND_DAYS = 14


@dataclass
class DemoReport:
    """What the load did, line by line, for the console."""

    lines: list[str] = field(default_factory=list)
    organiser_password: str | None = None
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role shown, login, password) made now


def load_demo(questions_dir: Path, credentials_file: Path, logins_file: Path | None = None) -> DemoReport:
    """Load everything the demo needs; write a new city organiser's password to ``credentials_file`` and the
    other demo accounts' to ``logins_file`` (one "role<TAB>login<TAB>password" line each)."""
    report = DemoReport()
    _load_units(report)
    _load_banks(questions_dir, report)
    _ensure_organiser(credentials_file, report)
    city = _unit(CITY_CODE)
    _ensure_contest(report, DEMO_SLUG, "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính năm 2026",
                    "Cuộc thi của thành phố dành cho Nhân dân và cán bộ, công chức, viên chức của mọi phường "
                    "(dữ liệu mẫu để dùng thử).", city)
    for code in WARD_CODES:
        ward = _unit(code)
        _ensure_contest(report, f"cuoc-thi-cchc-2026-{slugify(ward.name)}",
                        f"Cuộc thi tìm hiểu về cải cách hành chính năm 2026 – {ward.name}",
                        f"Cuộc thi của {ward.name} dành cho Nhân dân và cán bộ, công chức, viên chức của phường "
                        "(dữ liệu mẫu để dùng thử).", ward)
    ensure_survey(report.lines, lambda groups: _even_blueprint(groups, SURVEY_BANK), _bank_ids(SURVEY_BANK),
                  owner_unit_id=city.id)
    _ensure_people(report, logins_file)
    return report


def _unit(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise RuntimeError(f"Thiếu đơn vị mẫu “{code}” ({UNITS_FILE.name}).")
    return unit


def _load_units(report: DemoReport) -> None:
    result = import_units(UNITS_FILE.read_bytes(), UNITS_FILE.name)
    if not result.ok:
        raise RuntimeError("; ".join(str(p) for p in result.problems))
    report.lines.append(f"Đơn vị: {result.created} mới, {result.updated} đã có.")


def _load_banks(questions_dir: Path, report: DemoReport) -> None:
    for path in sorted(questions_dir.glob("*.y*ml")) + sorted(questions_dir.glob("*.json")):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if db.session.scalar(select(Bank.id).where(Bank.file_hash == digest)):
            report.lines.append(f"Ngân hàng {path.name}: không đổi.")
            continue
        result = import_bank(data, path.name)
        if not result.ok:
            raise RuntimeError(f"{path.name}: " + "; ".join(str(p) for p in result.errors))
        report.lines.append(f"Ngân hàng {path.name}: {result.added} câu mới, {result.updated} cập nhật, "
                            f"{result.retired} ngừng dùng.")


def _demo_password() -> str:
    """Read off a terminal and typed by hand: no look-alikes (l/1, o/0, i), never a leading "-", in groups of 4."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))


def _ensure_organiser(credentials_file: Path, report: DemoReport) -> None:
    """The city's organiser (no managed unit: every ward)."""
    if db.session.scalar(select(User.id).where(User.login == ORGANISER_LOGIN)):
        return
    password = _demo_password()
    create_organiser(ORGANISER_LOGIN, "Ban tổ chức (tài khoản mẫu)", password)
    credentials_file.parent.mkdir(parents=True, exist_ok=True)
    credentials_file.write_text(f"{ORGANISER_LOGIN}\n{password}\n", encoding="utf-8")
    credentials_file.chmod(0o600)
    report.organiser_password = password
    report.lines.append(f"Đã tạo tài khoản Ban tổ chức “{ORGANISER_LOGIN}”.")


@dataclass(frozen=True)
class DemoPerson:
    """One demo account beside the city's organiser: what it shows of the scoping."""

    shown: str  # the role as the console prints it
    login: str
    full_name: str
    role: str
    unit: str | None = None  # the code of the person's unit
    managed: str | None = None  # the code of the unit they manage (a ward organiser's ward)
    phone: str | None = None


PEOPLE = (
    DemoPerson("Ban tổ chức Phường An Bình", "btc-anbinh", "Ban tổ chức phường An Bình (tài khoản mẫu)",
               "organiser", managed="P-ANBINH"),
    DemoPerson("Ban tổ chức Phường Tân Phú", "btc-tanphu", "Ban tổ chức phường Tân Phú (tài khoản mẫu)",
               "organiser", managed="P-TANPHU"),
    DemoPerson("Ban tổ chức Phường Phú Lợi", "btc-phuloi", "Ban tổ chức phường Phú Lợi (tài khoản mẫu)",
               "organiser", managed="P-PHULOI"),
    DemoPerson("Người phụ trách Tổ dân phố số 1, Phường An Bình", "totruong-anbinh-01",
               "Trần Văn Tâm (tài khoản mẫu)", "unit_manager", unit="TDP-01", managed="TDP-01"),
    DemoPerson("Người dân Tổ dân phố số 2, Phường An Bình", "0390000001", "Lê Thị Mai (tài khoản mẫu)", "resident",
               unit="TDP-02", phone="0390000001"),
    DemoPerson("Cán bộ Phòng Văn hóa – Xã hội, Phường Tân Phú", "canbo-tanphu", "Phạm Văn Bình (tài khoản mẫu)",
               "official", unit="TANPHU-P-VH-XH"),
)


def _ensure_people(report: DemoReport, logins_file: Path | None) -> None:
    """One account per role (see PEOPLE); a new account's password goes to ``logins_file``."""
    made = []
    for person in PEOPLE:
        if db.session.scalar(select(User.id).where(User.login == person.login)):
            continue
        password = _demo_password()
        user = User(login=person.login, role=person.role, full_name=person.full_name, phone=person.phone,
                    unit_id=_unit(person.unit).id if person.unit else None,
                    managed_unit_id=_unit(person.managed).id if person.managed else None,
                    birth_date=date(1975, 3, 8) if person.role in ("resident", "official") else None,
                    gender="nu" if person.role == "resident" else None, publish_name=False)
        user.set_password(password)
        if person.role == "resident":  # as registration records them
            user.consents.append(Consent(kind="participate", granted=True))
            user.consents.append(Consent(kind="publish_name", granted=False))
        db.session.add(user)
        made.append((person.shown, person.login, password))
    if not made:
        return
    db.session.commit()
    report.logins.extend(made)
    report.lines.append(f"Đã tạo {len(made)} tài khoản mẫu theo vai trò.")
    if logins_file is not None:
        _write_logins(logins_file, made)


def _write_logins(logins_file: Path, made: list[tuple[str, str, str]]) -> None:
    """Keep one line per demo account in ``logins_file``: the accounts just made with their new passwords, the
    others as the file had them (a file left from an earlier database never shows a stale password for a new
    account)."""
    kept: dict[str, str] = {}
    if logins_file.exists():
        for line in logins_file.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 3:
                kept[parts[1]] = line
    kept.update({login: f"{shown}\t{login}\t{password}" for shown, login, password in made})
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text("".join(kept[p.login] + "\n" for p in PEOPLE if p.login in kept), encoding="utf-8")
    logins_file.chmod(0o600)


def _ensure_contest(report: DemoReport, slug: str, title: str, summary: str, owner: Unit) -> None:
    """A demo contest owned by ``owner`` (the city: open to everyone; a ward: to its people), with a round open."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None:
        contest = save_contest(None, title=title, kind="contest", audience="both", summary=summary,
                               rules=RULES_FILE.read_text(encoding="utf-8"), requires_cccd=False, is_published=True)
        contest.slug = slug
        contest.owner_unit_id = owner.id
        db.session.commit()
        report.lines.append(f"Đã tạo cuộc thi mẫu “{title}”.")
    now = clock.now()
    if any(r.state(now) == "open" for r in contest.rounds):
        return
    start = clock.from_vn_local(clock.to_vn(now).replace(hour=0, minute=0, second=0, microsecond=0,
                                                         tzinfo=None))
    number = len(contest.rounds) + 1
    round_ = save_round(
        contest, None, title=f"Đợt {number}", opens_at=start, closes_at=start + timedelta(days=ROUND_DAYS),
        time_limit_minutes=20, attempts_allowed=3, counting="best", all_required=False,
        review_policy="after_close", prediction_kind="full_score_count",
        prediction_prompt="Theo bạn, đợt thi này sẽ có bao nhiêu người đạt điểm tuyệt đối?",
        prizes_first=1, prizes_second=2, prizes_third=3, prizes_consolation=5)
    set_blueprint(round_, _even_blueprint(contest.groups, CONTEST_BANK), _bank_ids(CONTEST_BANK))
    report.lines.append(f"{contest.title}: đã mở {round_.title.lower()} ({QUESTIONS_PER_ROUND} câu, 20 phút, "
                        "tối đa 3 lần, tính lần cao nhất).")


def _bank_ids(bank: str) -> list[int]:
    """A demo round's one bank, by its name."""
    bank_id = db.session.scalar(select(Bank.id).where(Bank.name == bank))
    if bank_id is None:
        raise RuntimeError(f"Chưa có ngân hàng câu hỏi “{bank}” (questions/{bank}.yaml).")
    return [bank_id]


def _even_blueprint(groups: list[str], bank: str) -> list[BlueprintLine]:
    """Spread the round's questions over the topics of ``bank`` as evenly as it allows."""
    topics = db.session.scalars(
        select(Topic).join(Question, Question.topic_id == Topic.id).join(Bank, Bank.id == Question.bank_id)
        .where(Bank.name == bank, Question.status == "active").distinct().order_by(Topic.id)).all()
    if not topics:
        raise RuntimeError("Chưa có câu hỏi nào trong ngân hàng.")
    base, extra = divmod(QUESTIONS_PER_ROUND, len(topics))
    counts = {t.id: base + (1 if i < extra else 0) for i, t in enumerate(topics)}
    return [BlueprintLine(group, topic_id, None, n) for group in groups for topic_id, n in counts.items() if n]
