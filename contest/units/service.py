"""Use cases for units: import a file all-or-nothing, edit a headcount."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import select

from contest.audit.service import diff
from contest.audit.service import record as audit
from contest.collation import sort_key
from contest.extensions import db
from contest.sheets import Problem, SheetError, read_table
from contest.units.models import UNIT_KINDS, Unit
from contest.units.parsing import UnitRecord, find_cycles, parse_units
from contest.units.scope import subtree_ids
from contest.vntext import clean


@dataclass
class ImportReport:
    """What an import did, or every reason it did nothing."""

    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def import_units(data: bytes, filename: str, root_id: int | None = None) -> ImportReport:
    """Create or update units from an xlsx/csv file; on any problem, change nothing and list them all.

    ``root_id`` confines the import to that unit's subtree (a ward organiser's): it may create units and update
    the units below it, a unit without a parent goes under it, and every other unit is out of reach (the root
    itself keeps its kind and parent; only its name and headcount follow the file). Commits.
    """
    report = write_units_import(data, filename, root_id)
    if report.ok:
        db.session.commit()
    return report


def write_units_import(data: bytes, filename: str, root_id: int | None = None, actor=None) -> ImportReport:
    """:func:`import_units` without its commit (flushed only; a background job commits). ``actor``: who the
    audit entry names (default: the signed-in user)."""
    report = ImportReport()
    try:
        sheets = read_table(data, filename)
    except SheetError as exc:
        report.problems.append(Problem(None, str(exc)))
        return report
    records, problems = parse_units(sheets[0])
    report.problems.extend(problems)
    if not records:
        return report

    existing = {u.code: u for u in db.session.scalars(select(Unit))}
    if root_id is not None:
        records = _confined(records, existing, root_id, report)
    in_file = {r.code for r in records}
    for record in records:
        if record.parent_code and record.parent_code not in in_file and record.parent_code not in existing:
            report.problems.append(Problem(record.row, f"Mã đơn vị cấp trên “{record.parent_code}” không có trong "
                                                       "tệp cũng như trong danh sách đơn vị."))
    parents = {code: (u.parent.code if u.parent else None) for code, u in existing.items()}
    parents.update({r.code: r.parent_code for r in records})
    cycles = find_cycles(parents)
    for record in records:
        if record.code in cycles:
            report.problems.append(Problem(record.row, f"Đơn vị “{record.code}” nằm trong một vòng trực thuộc "
                                                       "(đơn vị cấp trên lại trực thuộc chính nó)."))
    report.problems.sort(key=lambda p: p.row or 0)
    if report.problems:
        return report

    by_code = dict(existing)
    for record in records:
        unit = by_code.get(record.code)
        if unit is None:
            unit = Unit(code=record.code)
            db.session.add(unit)
            by_code[record.code] = unit
            report.created += 1
        else:
            report.updated += 1
        unit.name = record.name
        unit.headcount = record.headcount
        if root_id is None or unit.id != root_id:  # the root of a confined import keeps its kind and place
            unit.kind = record.kind
    for record in records:
        if root_id is None or by_code[record.code].id != root_id:
            by_code[record.code].parent = by_code[record.parent_code] if record.parent_code else None
    audit("units.import", target_type="units", actor=actor, summary=f"{filename}: {report.created} đơn vị mới, "
          f"{report.updated} đơn vị cập nhật", changes={"file": filename, "created": report.created,
                                                      "updated": report.updated})
    db.session.flush()
    return report


def _confined(records: list[UnitRecord], existing: dict[str, Unit], root_id: int,
              report: ImportReport) -> list[UnitRecord]:
    """The records of an import confined to ``root_id``'s subtree, with a problem for each row that reaches
    outside it; a unit without a parent goes under the root."""
    inside = subtree_ids(root_id)
    root = next(u for u in existing.values() if u.id == root_id)
    outside = {code for code, u in existing.items() if u.id not in inside}
    confined = []
    for record in records:
        if record.code == root.code:  # the root keeps its place above the subtree
            confined.append(replace(record, parent_code=root.parent.code if root.parent else None))
            continue
        if record.code in outside:
            report.problems.append(Problem(record.row, f"Mã đơn vị “{record.code}” đã dùng cho một đơn vị ngoài "
                                                       f"{root.name}; hãy dùng mã khác."))
        elif record.parent_code in outside:
            report.problems.append(Problem(record.row, f"Đơn vị cấp trên “{record.parent_code}” không thuộc "
                                                       f"{root.name}."))
        elif record.kind in ("city", "ward"):
            report.problems.append(Problem(record.row, f"Không tạo được đơn vị loại “{UNIT_KINDS[record.kind]}” "
                                                       f"bên trong {root.name}."))
        if not record.parent_code:
            record = replace(record, parent_code=root.code)
        confined.append(record)
    return confined


class UnitError(Exception):
    """A unit edit broke a rule; the message is for the organiser, in Vietnamese."""


def edit_unit(unit: Unit, *, name: str, headcount: int | None) -> None:
    """Correct a unit's name or headcount (the denominator of its participation rate)."""
    name = clean(name)
    if not name:
        raise UnitError("Tên đơn vị không được để trống.")
    if headcount is not None and headcount < 0:
        raise UnitError("Số người không được âm.")
    before = {"name": unit.name, "headcount": unit.headcount}
    unit.name, unit.headcount = name, headcount
    changes = diff(before, {"name": name, "headcount": headcount})
    if changes:
        audit("unit.edit", target=unit, summary=f"{unit.code} – {unit.name}", changes=changes)
    db.session.commit()


def list_units(residential_first: bool = False, unit_ids: set[int] | None = None) -> list[Unit]:
    """All units (only ``unit_ids`` when given: a ward organiser's scope) grouped by kind (offices, centres, …
    residential groups; those first for residents' forms), each group in Vietnamese alphabetical order with
    numbers by value ("Tổ dân phố số 2" before "số 10")."""
    kinds = list(UNIT_KINDS)
    if residential_first:
        kinds.remove("residential")
        kinds.insert(0, "residential")

    def order(unit: Unit) -> tuple:
        return (kinds.index(unit.kind) if unit.kind in kinds else len(kinds), sort_key(unit.name), unit.id)

    query = select(Unit) if unit_ids is None else select(Unit).where(Unit.id.in_(sorted(unit_ids) or [-1]))
    return sorted(db.session.scalars(query).all(), key=order)



def unit_subtree_ids(unit_id: int) -> set[int]:
    """The unit and every unit below it (a unit manager sees all of these)."""
    return subtree_ids(unit_id)


def visible_unit_ids(user) -> set[int] | None:
    """The units whose people and figures ``user`` may see: None means all (the city's organisers).

    A ward organiser sees their ward's units; a unit manager their managed unit and the units below it;
    anyone else sees none.
    """
    if user.role == "organiser":
        return None if user.managed_unit_id is None else subtree_ids(user.managed_unit_id)
    if user.role == "unit_manager" and user.managed_unit_id:
        return subtree_ids(user.managed_unit_id)
    return set()
