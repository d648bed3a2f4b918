"""Use cases for banks: import a file all-or-nothing with stable question identities."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from contest import clock
from contest.banks.formats import parse_bank_file
from contest.banks.models import Bank, Question, Topic
from contest.banks.parsing import BankProblem, ParsedBank
from contest.extensions import db
from contest.vntext import fold

_BANK_NAME = re.compile(r"[a-z0-9][a-z0-9\-]{0,79}")


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


def check_bank_file(data: bytes, filename: str) -> ParsedBank:
    """Parse a bank file without storing anything (the dry run behind ``flask bank check``)."""
    return parse_bank_file(data, filename)


def import_bank(data: bytes, filename: str, bank_name: str | None = None) -> BankImportReport:
    """Import a bank file: add new questions, update changed ones, retire those no longer in the file.

    Nothing is stored when the file has any error. Questions keep their identity by code, so attempts that
    froze a snapshot of a question are never affected by later edits.
    """
    parsed = parse_bank_file(data, filename)
    report = BankImportReport(parsed=parsed, errors=list(parsed.errors))
    name = bank_name or parsed.name or _name_from_file(filename)
    report.bank_name = name
    if not _BANK_NAME.fullmatch(name or ""):
        report.errors.append(BankProblem(None, None, f"Tên ngân hàng “{name}” chỉ được gồm chữ thường không dấu, "
                                                     "chữ số và dấu gạch ngang."))
    if not report.ok:
        return report

    bank = db.session.scalar(select(Bank).where(Bank.name == name))
    if bank is None:
        bank = Bank(name=name)
        db.session.add(bank)
    bank.title = parsed.title or bank.title or name
    bank.description = parsed.description or bank.description
    bank.source_file = Path(filename).name
    bank.file_hash = hashlib.sha256(data).hexdigest()
    bank.imported_at = clock.now()
    db.session.flush()

    topics = _topics_by_name({q.topic for q in parsed.questions})
    existing = {q.code: q for q in db.session.scalars(select(Question).where(Question.bank_id == bank.id))}
    seen: set[str] = set()
    for item in parsed.questions:
        code = item.stable_code
        seen.add(code)
        question = existing.get(code)
        if question is None:
            question = Question(bank_id=bank.id, code=code)
            db.session.add(question)
            report.added += 1
        elif question.content_hash == item.content_hash and question.status == "active":
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        question.topic_id = topics[fold(item.topic)].id
        question.kind = item.kind
        question.text = item.text
        question.options = list(item.options)
        question.correct = list(item.correct)
        question.weights = list(item.weights) if item.weights else None
        question.points = item.points
        question.explanation = item.explanation
        question.difficulty = item.difficulty
        question.source = item.source
        question.content_hash = item.content_hash
        question.status = "active"
    for code, question in existing.items():
        if code not in seen and question.status == "active":
            question.status = "retired"
            report.retired += 1
    db.session.commit()
    return report


def _topics_by_name(names: set[str]) -> dict[str, Topic]:
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
