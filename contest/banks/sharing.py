"""Banks shared downward (issue 19): who may read and who may change a bank, which unit a new bank belongs to,
and copying a city bank into a ward's own bank so the ward can edit it.

A city bank (owned by the city unit, or by nobody in a database made before wards) is drawable by every ward
but changed only by the city's organisers; a ward's bank is its own. Bank names stay unique across the whole
deployment, so a copy gets a new name (the city bank's name and the ward's code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from contest import clock
from contest.audit.service import record
from contest.banks.importing import BankError
from contest.banks.models import Bank, Question
from contest.extensions import db
from contest.units.models import Unit
from contest.units.scope import is_scoped, may_manage, may_read, ward_of
from contest.vntext import fold

_COPIED_COLUMNS = ("topic_id", "kind", "text", "options", "correct", "weights", "points", "explanation",
                   "difficulty", "source", "content_hash", "status")


@dataclass
class BankRow:
    """One line of the bank list: the bank, its question counts and whether the viewer may change it."""

    bank: Bank
    active: int
    retired: int
    editable: bool


def may_change_bank(user, bank: Bank) -> bool:
    """Whether ``user`` may edit, re-import, export for editing or delete ``bank``."""
    return may_manage(user, bank.owner_unit_id)


def may_see_bank(user, bank: Bank) -> bool:
    """Whether ``user`` sees ``bank`` in the console: their own banks and, for a ward, the city's."""
    return may_read(user, bank.owner_unit_id)


def readable_bank(name: str, user) -> Bank | None:
    """The bank called ``name`` if ``user`` may read it, else None (the view answers 404)."""
    bank = db.session.scalar(select(Bank).where(Bank.name == name))
    return bank if bank is not None and may_see_bank(user, bank) else None


def changeable_bank(name: str, user) -> Bank | None:
    """The bank called ``name`` if ``user`` may change it, else None (the view answers 404)."""
    bank = db.session.scalar(select(Bank).where(Bank.name == name))
    return bank if bank is not None and may_change_bank(user, bank) else None


def bank_rows(user) -> list[BankRow]:
    """The banks ``user`` sees, by name, with their active and retired question counts."""
    rows = db.session.execute(
        select(Bank, func.count(Question.id).filter(Question.status == "active"),
               func.count(Question.id).filter(Question.status == "retired"))
        .outerjoin(Question, Question.bank_id == Bank.id).group_by(Bank.id).order_by(Bank.name)).all()
    return [BankRow(bank, active, retired, may_change_bank(user, bank))
            for bank, active, retired in rows if may_see_bank(user, bank)]


def city_unit_id() -> int | None:
    """The deployment's city unit (the top unit of kind ``city``), if there is one."""
    return db.session.scalar(select(Unit.id).where(Unit.kind == "city", Unit.parent_id.is_(None))
                             .order_by(Unit.id).limit(1))


def new_bank_owner(user) -> int | None:
    """The unit a bank created by ``user`` belongs to: a ward organiser's ward; else the city unit, if any."""
    if is_scoped(user):
        return user.managed_unit_id
    return city_unit_id()


def copy_name(bank: Bank, unit: Unit) -> str:
    """A free bank name for a ward's copy of ``bank``: its name, a hyphen and the ward's code (numbered when
    that is taken too)."""
    suffix = re.sub(r"[^a-z0-9]+", "-", fold(unit.code)).strip("-") or str(unit.id)
    taken = set(db.session.scalars(select(Bank.name).where(Bank.name.like(f"{bank.name[:40]}%"))))
    for n in range(1, 1000):
        tail = f"-{suffix}" if n == 1 else f"-{suffix}-{n}"
        name = bank.name[:80 - len(tail)].rstrip("-") + tail
        if name not in taken:
            return name
    raise BankError("Không tìm được tên trống cho bản sao. Vui lòng đổi tên các bản sao cũ.")


def copy_bank(bank: Bank, user) -> Bank:
    """Copy a bank ``user`` may read but not change into a new bank of their ward, with its questions in use
    (same codes, topics and keys), and commit."""
    if not is_scoped(user) or not may_see_bank(user, bank) or may_change_bank(user, bank):
        raise BankError("Chỉ phường, xã mới sao chép ngân hàng của thành phố để chỉnh sửa.")
    owner = db.session.get(Unit, user.managed_unit_id)
    name = copy_name(bank, ward_of(owner.id) or owner)
    now = clock.now()
    copy = Bank(name=name, title=f"{bank.title or bank.name} ({owner.name})", description=bank.description,
                source_file=bank.source_file, file_hash=bank.file_hash, imported_at=now, owner_unit_id=owner.id)
    db.session.add(copy)
    db.session.flush()
    rows = db.session.execute(select(Question.code, *(getattr(Question, c) for c in _COPIED_COLUMNS))
                              .where(Question.bank_id == bank.id, Question.status == "active")
                              .order_by(Question.id)).all()
    if rows:
        db.session.execute(insert(Question), [
            {"bank_id": copy.id, "code": row[0], "created_at": now, "updated_at": now,
             **dict(zip(_COPIED_COLUMNS, row[1:], strict=True))} for row in rows])
    record("bank.copy", target=copy, summary=f"Sao chép ngân hàng “{bank.name}” thành “{copy.name}” "
                                             f"({len(rows)} câu hỏi) để chỉnh sửa.",
           changes={"from": bank.name, "to": copy.name, "questions": len(rows), "owner_unit_id": owner.id})
    db.session.commit()
    return copy
