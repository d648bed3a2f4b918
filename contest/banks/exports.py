"""Exporting a bank: its active questions written as an xlsx, GIFT, Aiken or YAML file (the writers
themselves are the pure :mod:`contest.banks.exporting`), and the empty organiser template."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from sqlalchemy import select

from contest.audit.service import record
from contest.banks.exporting import bank_aiken, bank_gift, bank_yaml, write_bank_xlsx
from contest.banks.importing import BankError
from contest.banks.models import Bank, Question, Topic
from contest.banks.parsing import ParsedQuestion
from contest.exports.writers import XLSX_MIMETYPE
from contest.extensions import db

EXPORT_FORMATS = {
    "xlsx": ("xlsx", XLSX_MIMETYPE),
    "gift": ("gift.txt", "text/plain; charset=utf-8"),
    "aiken": ("aiken.txt", "text/plain; charset=utf-8"),
    "yaml": ("yaml", "application/yaml; charset=utf-8"),
}


@dataclass
class BankExport:
    """An exported bank: the file's bytes and name, and what the format could not carry."""

    data: bytes
    filename: str
    mimetype: str
    count: int
    notes: list[str] = field(default_factory=list)


def bank_questions(bank: Bank) -> list[ParsedQuestion]:
    """The bank's active questions, in the order they were loaded, as the writers take them."""
    rows = db.session.execute(
        select(Question, Topic.name).join(Topic, Topic.id == Question.topic_id)
        .where(Question.bank_id == bank.id, Question.status == "active").order_by(Question.id))
    return [ParsedQuestion(code=q.code, topic=topic, kind=q.kind, text=q.text, options=tuple(q.options),
                           correct=tuple(q.correct), weights=tuple(q.weights) if q.weights else None,
                           points=q.points, explanation=q.explanation, difficulty=q.difficulty, source=q.source)
            for q, topic in rows]


def export_bank(name: str, fmt: str) -> BankExport:
    """Write a bank's active questions as xlsx, GIFT, Aiken or YAML (the export is recorded in the audit log)."""
    if fmt not in EXPORT_FORMATS:
        raise BankError(f"Không có định dạng xuất “{fmt}”; chọn một trong: {', '.join(EXPORT_FORMATS)}.")
    bank = db.session.scalar(select(Bank).where(Bank.name == name))
    if bank is None:
        raise BankError(f"Không có ngân hàng “{name}”.")
    questions = bank_questions(bank)
    notes: list[str] = []
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_bank_xlsx(questions, buffer)
        data = buffer.getvalue()
    elif fmt == "gift":
        data = bank_gift(questions, bank.title).encode()
    elif fmt == "aiken":
        text, notes = bank_aiken(questions)
        data = text.encode()
    else:
        data = bank_yaml(questions, name=bank.name, title=bank.title, description=bank.description).encode()
    ending, mimetype = EXPORT_FORMATS[fmt]
    record("bank.export", target=bank, summary=f"Xuất {len(questions)} câu của “{bank.name}” dạng {fmt}",
           changes={"format": fmt, "questions": len(questions)})
    db.session.commit()
    return BankExport(data=data, filename=f"{bank.name}.{ending}", mimetype=mimetype, count=len(questions),
                      notes=notes)


def template_xlsx() -> bytes:
    """The empty organiser template with its instructions sheet."""
    buffer = io.BytesIO()
    write_bank_xlsx([], buffer)
    return buffer.getvalue()
