"""Load the demo: units, every bank file in questions/, an organiser, and a contest with an open round.

Every step is idempotent: running it again changes nothing that is already there, and adds an open round
when the last one has closed, so the demo always has something to take.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from contest import clock
from contest.accounts.models import User
from contest.accounts.rules import CODE_ALPHABET
from contest.accounts.service import create_organiser
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question, Topic
from contest.contests.models import Contest
from contest.contests.service import BlueprintLine, save_contest, save_round, set_blueprint
from contest.demo.survey import ensure_survey
from contest.extensions import db
from contest.units.service import import_units

HERE = Path(__file__).resolve().parent
UNITS_FILE = HERE / "don-vi-phuong-mau.csv"
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


def load_demo(questions_dir: Path, credentials_file: Path) -> DemoReport:
    """Load everything the demo needs; write a new organiser's password to ``credentials_file``."""
    report = DemoReport()
    _load_units(report)
    _load_banks(questions_dir, report)
    _ensure_organiser(credentials_file, report)
    _ensure_contest(report)
    ensure_survey(report.lines, lambda groups: _even_blueprint(groups, SURVEY_BANK), _bank_ids(SURVEY_BANK))
    return report


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


def _ensure_organiser(credentials_file: Path, report: DemoReport) -> None:
    if db.session.scalar(select(User.id).where(User.login == ORGANISER_LOGIN)):
        return
    # Read off a terminal and typed by hand: no look-alikes (l/1, o/0, i), never a leading "-", in groups of 4.
    password = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
    create_organiser(ORGANISER_LOGIN, "Ban tổ chức (tài khoản mẫu)", password)
    credentials_file.parent.mkdir(parents=True, exist_ok=True)
    credentials_file.write_text(f"{ORGANISER_LOGIN}\n{password}\n", encoding="utf-8")
    credentials_file.chmod(0o600)
    report.organiser_password = password
    report.lines.append(f"Đã tạo tài khoản Ban tổ chức “{ORGANISER_LOGIN}”.")


def _ensure_contest(report: DemoReport) -> None:
    contest = db.session.scalar(select(Contest).where(Contest.slug == DEMO_SLUG))
    if contest is None:
        contest = save_contest(
            None, title="Cuộc thi trực tuyến tìm hiểu về cải cách hành chính năm 2026",
            kind="contest", audience="both",
            summary="Cuộc thi dành cho Nhân dân và cán bộ, công chức, viên chức trên địa bàn phường "
                    "(dữ liệu mẫu để dùng thử).",
            rules=RULES_FILE.read_text(encoding="utf-8"), requires_cccd=False, is_published=True)
        contest.slug = DEMO_SLUG
        db.session.commit()
        report.lines.append("Đã tạo cuộc thi mẫu.")
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
    report.lines.append(f"Đã mở {round_.title}: {QUESTIONS_PER_ROUND} câu, 20 phút, tối đa 3 lần, tính lần cao "
                        "nhất.")


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
