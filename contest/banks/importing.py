"""Importing a bank file: check it (the dry run), plan what it changes, and import it all-or-nothing with
stable question identities."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update

from contest import clock
from contest.audit.service import record
from contest.banks.formats import parse_bank_file
from contest.banks.models import Bank, Question, Topic
from contest.banks.parsing import BankProblem, ParsedBank, ParsedQuestion, identity_hash
from contest.banks.topics import near_topic_warnings
from contest.extensions import db
from contest.vntext import clean, fold

_BANK_NAME = re.compile(r"[a-z0-9][a-z0-9\-]{0,79}")
_RETIRE_CHUNK = 500
_WRITE_CHUNK = 2000  # questions inserted or updated per statement (a background import reports each chunk)
CHECKED_SHARE = 0.4  # the share of an import's time spent reading and checking the file (for progress bars)


class BankError(Exception):
    """A bank use case refused, with a Vietnamese message."""


class BankNotYours(BankError):
    """The bank a file would go into belongs to a unit the importer may not change (the console answers 404)."""


@dataclass
class BankImportReport:
    """What an import did; when ``errors`` is not empty it did nothing."""

    bank_name: str | None = None
    parsed: ParsedBank | None = None
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    errors: list[BankProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        return (f"Ngân hàng “{self.bank_name}”: {self.added} câu mới, {self.updated} câu cập nhật, "
                f"{self.unchanged} câu giữ nguyên, {self.retired} câu ngừng sử dụng.")


def resolve_bank_name(parsed: ParsedBank, filename: str, bank_name: str | None = None) -> str:
    """The bank a file goes into: the name asked for, else the file's own ``bank`` key, else its file name."""
    return clean(bank_name) or parsed.name or _name_from_file(filename)


def check_bank_file(data: bytes, filename: str, *, bank_name: str | None = None, skip_unsupported: bool = False,
                    topic: str | None = None) -> ParsedBank:
    """Parse a bank file without storing anything (the dry run behind ``flask bank check`` and the upload
    preview); questions already in another bank, and topic names that nearly match an existing topic, are
    reported as warnings."""
    parsed = parse_bank_file(data, filename, skip_unsupported=skip_unsupported, topic=topic)
    _warn_duplicates_elsewhere(parsed, resolve_bank_name(parsed, filename, bank_name))
    parsed.warnings.extend(BankProblem(None, None, message) for message in near_topic_warnings(
        {q.topic for q in parsed.questions}, db.session.scalars(select(Topic.name))))
    return parsed


def import_bank(data: bytes, filename: str, bank_name: str | None = None, *, skip_unsupported: bool = False,
                topic: str | None = None, owner_unit_id: int | None = None, may_change=None) -> BankImportReport:
    """Import a bank file: add new questions, update changed ones, retire those no longer in the file.

    Nothing is stored when the file has any error. Questions keep their identity by code, so attempts that
    froze a snapshot of a question are never affected by later edits. Rows are written in bulk, in the one
    transaction of this use case, committed here. A new bank belongs to ``owner_unit_id`` (None: the whole
    deployment); an existing bank keeps its owner and is changed only if ``may_change(bank)`` (when given),
    else :class:`BankNotYours` is raised.
    """
    report = write_bank_import(data, filename, bank_name, skip_unsupported=skip_unsupported, topic=topic,
                               owner_unit_id=owner_unit_id, may_change=may_change)
    if report.ok:
        db.session.commit()
    return report


def write_bank_import(data: bytes, filename: str, bank_name: str | None = None, *, skip_unsupported: bool = False,
                      topic: str | None = None, owner_unit_id: int | None = None, may_change=None,
                      progress=None, actor=None) -> BankImportReport:
    """:func:`import_bank` without its commit (flushed only: the caller, e.g. a background job, commits).
    ``progress(fraction)``, when given, is told how far the work got (0–1): the check, then the rows written.
    ``actor``: who the audit entry names (default: the signed-in user; a job passes the person who started it)."""
    progress = progress or (lambda fraction: None)
    parsed = check_bank_file(data, filename, bank_name=bank_name, skip_unsupported=skip_unsupported, topic=topic)
    progress(CHECKED_SHARE)
    report = BankImportReport(parsed=parsed, errors=list(parsed.errors))
    name = resolve_bank_name(parsed, filename, bank_name)
    report.bank_name = name
    name_problem = bank_name_problem(name)
    if name_problem:
        report.errors.append(name_problem)
    if not report.ok:
        return report

    now = clock.now()
    bank = db.session.scalar(select(Bank).where(Bank.name == name))
    if bank is not None and may_change is not None and not may_change(bank):
        raise BankNotYours(f"Ngân hàng “{name}” thuộc đơn vị khác.")
    if bank is None:
        bank = Bank(name=name, owner_unit_id=owner_unit_id)
        db.session.add(bank)
    bank.title = parsed.title or bank.title or name
    bank.description = parsed.description or bank.description
    bank.source_file = Path(filename).name
    bank.file_hash = hashlib.sha256(data).hexdigest()
    bank.imported_at = now
    db.session.flush()

    topics = topics_by_name({q.topic for q in parsed.questions})
    plan = _plan(parsed, bank.id)
    report.unchanged = plan.unchanged
    added = [{"bank_id": bank.id, "code": item.stable_code, "created_at": now,
              **question_values(item, topics[fold(item.topic)].id, now)} for item in plan.added]
    changed = [{"id": qid, **question_values(item, topics[fold(item.topic)].id, now)} for qid, item in plan.changed]
    retired = plan.retired
    total, written = len(added) + len(changed) + len(retired), 0

    def wrote(rows: int) -> None:
        nonlocal written
        written += rows
        progress(CHECKED_SHARE + (1 - CHECKED_SHARE) * written / total)

    for start in range(0, len(added), _WRITE_CHUNK):
        chunk = added[start:start + _WRITE_CHUNK]
        db.session.execute(insert(Question), chunk)
        wrote(len(chunk))
    for start in range(0, len(changed), _WRITE_CHUNK):
        chunk = changed[start:start + _WRITE_CHUNK]
        db.session.execute(update(Question), chunk)
        wrote(len(chunk))
    for start in range(0, len(retired), _RETIRE_CHUNK):
        chunk = retired[start:start + _RETIRE_CHUNK]
        db.session.execute(update(Question).where(Question.id.in_(chunk)).values(status="retired", updated_at=now))
        wrote(len(chunk))
    report.added, report.updated, report.retired = len(added), len(changed), len(retired)
    record("bank.import", target=bank, actor=actor, summary=f"Nhập {bank.source_file}: {report.summary}",
           changes={"file": bank.source_file, "sha256": bank.file_hash, "format": parsed.format,
                    "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
                    "retired": report.retired, "skipped": len(parsed.skipped), "warnings": len(parsed.warnings)})
    db.session.flush()
    return report


@dataclass
class ImportPlan:
    """What importing a parsed file into a bank would do, worked out before anything is written."""

    added: list[ParsedQuestion] = field(default_factory=list)
    changed: list[tuple[int, ParsedQuestion]] = field(default_factory=list)
    unchanged: int = 0
    retired: list[int] = field(default_factory=list)


def _plan(parsed: ParsedBank, bank_id: int | None) -> ImportPlan:
    """Match the file's questions to the bank's by stable code: new, changed, unchanged, no longer there."""
    plan = ImportPlan()
    existing = {} if bank_id is None else {
        code: (qid, content_hash, status) for qid, code, content_hash, status in db.session.execute(
            select(Question.id, Question.code, Question.content_hash, Question.status)
            .where(Question.bank_id == bank_id))}
    seen: set[str] = set()
    for item in parsed.questions:
        code = item.stable_code
        seen.add(code)
        current = existing.get(code)
        if current is None:
            plan.added.append(item)
        elif current[1] == item.content_hash and current[2] == "active":
            plan.unchanged += 1
        else:
            plan.changed.append((current[0], item))
    plan.retired = [qid for code, (qid, _, status) in existing.items() if code not in seen and status == "active"]
    return plan


def plan_import(parsed: ParsedBank, bank_name: str) -> tuple[Bank | None, ImportPlan]:
    """The bank a file would go into (None: a new one) and what the import would change there."""
    bank = db.session.scalar(select(Bank).where(Bank.name == bank_name))
    return bank, _plan(parsed, bank.id if bank else None)


def bank_name_problem(name: str | None) -> BankProblem | None:
    """Why ``name`` cannot name a bank, if it cannot."""
    if _BANK_NAME.fullmatch(name or ""):
        return None
    return BankProblem(None, None, f"Tên ngân hàng “{name}” chỉ được gồm chữ thường không dấu, chữ số và dấu "
                                   "gạch ngang.")


def question_values(item: ParsedQuestion, topic_id: int, now) -> dict:
    return {"topic_id": topic_id, "kind": item.kind, "text": item.text, "options": list(item.options),
            "correct": list(item.correct), "weights": list(item.weights) if item.weights else None,
            "points": item.points, "explanation": item.explanation, "difficulty": item.difficulty,
            "source": item.source, "content_hash": item.content_hash, "status": "active", "updated_at": now}


def _warn_duplicates_elsewhere(parsed: ParsedBank, bank_name: str) -> None:
    """A warning for each question whose text and options are already in another bank."""
    if not parsed.questions:
        return
    mine: dict[str, ParsedQuestion] = {}
    for question in parsed.questions:
        mine.setdefault(question.identity_hash, question)
    rows = db.session.execute(
        select(Question.code, Question.text, Question.options, Bank.name).join(Bank, Bank.id == Question.bank_id)
        .where(Bank.name != bank_name, Question.status == "active").order_by(Bank.name, Question.id))
    for code, text, options, other in rows:
        question = mine.get(identity_hash(text, options or []))
        if question is not None:
            parsed.warnings.append(BankProblem(question.where, question.number,
                                               f"Câu hỏi trùng nội dung với câu “{code}” của ngân hàng "
                                               f"“{other}”."))


def topics_by_name(names: set[str]) -> dict[str, Topic]:
    """Existing topics matched loosely by name; missing ones created (flushed, not committed)."""
    by_key = {fold(t.name): t for t in db.session.scalars(select(Topic))}
    for name in sorted(names):
        if fold(name) not in by_key:
            topic = Topic(name=name)
            db.session.add(topic)
            by_key[fold(name)] = topic
    db.session.flush()
    return by_key


def _name_from_file(filename: str) -> str:
    stem = fold(Path(filename).stem)
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:80]
