"""Running an export: check who asks and what they may see, stream the tables to Excel or CSV, log it.

Unit managers get only their unit subtree (``visible_unit_ids``) and never personal columns; a ward organiser
gets their ward's contests whole and their ward's slice of everything else (another ward's round is refused);
the city's organisers and the command line (the server's operator) get everything. Every export, from the web or the CLI, leaves an audit entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO, Any

from contest import clock
from contest.audit.service import record
from contest.exports import builders
from contest.exports.registry import KINDS, PARAMETERS, ExportKind, ExportParams
from contest.exports.tables import Table, without_personal
from contest.exports.writers import XLSX_MIMETYPE, write_csv, write_xlsx
from contest.extensions import db
from contest.units import scope
from contest.units.service import visible_unit_ids
from contest.vntext import fold

FORMATS = {"xlsx": XLSX_MIMETYPE,
           "csv": "text/csv; charset=utf-8"}


class ExportError(Exception):
    """The export cannot run as asked; the message is for the organiser, in Vietnamese."""


class ExportDenied(ExportError):
    """The user may not run this export."""


@dataclass
class ExportResult:
    """What was written."""

    kind: ExportKind
    fmt: str
    rows: int
    personal: bool
    filename: str


def export_kind(code: str) -> ExportKind:
    """The registered kind ``code``."""
    try:
        return KINDS[code]
    except KeyError:
        raise ExportError(f"Không có loại dữ liệu xuất “{code}”. Các loại có: {', '.join(KINDS)}.") from None


def build_tables(kind: ExportKind, params: ExportParams) -> list[Table]:
    """The tables of one export: the kind's builder of :mod:`contest.exports.builders` called with ``params``."""
    return list(getattr(builders, kind.builder)(params))


def _slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:limit].strip("-")


def filename_for(kind: ExportKind, fmt: str, params: ExportParams | None = None) -> str:
    """A plain-ASCII file name saying what is in it: the kind, the contest and round (or the period) and the
    day of the export in Vietnam, e.g. ``xep-hang_cuoc-thi-2026_dot-1_20261129.xlsx``."""
    parts = [kind.file_stem or kind.code]
    if params is not None and params.round is not None:
        parts += [_slug(params.round.contest.title) or "cuoc-thi", _slug(params.round.title) or "dot"]
    if params is not None and params.period is not None:
        parts.append(f"{params.period.start:%Y%m%d}-{params.period.end:%Y%m%d}")
    parts.append(f"{clock.to_vn(clock.now()):%Y%m%d}")
    return "_".join(parts) + f".{fmt}"


class _Counted:
    """Rows passed through while counting them (the count goes to the audit entry)."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def organiser_units(actor: Any, round_: Any) -> set[int] | None:
    """The units an organiser's export keeps: every unit for the city's organisers and for a round of a contest
    the organiser runs; a ward organiser's ward otherwise (their slice of a city-wide contest, or of every
    contest when no round is chosen). A round of another ward's contest is refused."""
    if not scope.is_scoped(actor):
        return None
    if round_ is not None:
        owner = round_.contest.owner_unit_id
        if scope.may_manage(actor, owner):
            return None
        if not scope.may_read(actor, owner):
            raise ExportDenied("Không tìm thấy đợt thi đã chọn.")
    return visible_unit_ids(actor)


def run_export(kind: str | ExportKind, params: ExportParams, actor: Any, fmt: str, out: str | IO[bytes]
               ) -> ExportResult:
    """Build the tables of ``kind`` for ``actor`` (None: the command line), write them as ``fmt`` (xlsx or
    csv; a CSV holds the first table only) to ``out``, and log the export. One commit: the audit entry."""
    kind = kind if isinstance(kind, ExportKind) else export_kind(kind)
    if fmt not in FORMATS:
        raise ExportError("Chỉ xuất được tệp Excel (.xlsx) hoặc CSV (.csv).")
    personal = True
    if actor is not None and getattr(actor, "role", None) != "organiser":
        if getattr(actor, "role", None) != "unit_manager" or not kind.staff:
            raise ExportDenied("Bạn không có quyền xuất loại dữ liệu này.")
        personal = False
        params.unit_ids = visible_unit_ids(actor)
    elif actor is not None:
        params.unit_ids = organiser_units(actor, params.round)
    params.personal = personal
    for name in kind.needs:
        if getattr(params, name) is None:
            raise ExportError(f"Loại dữ liệu “{kind.title}” cần chọn: {PARAMETERS[name].lower()}.")
    if params.round is not None and not kind.applies_to(params.round.contest.kind):
        raise ExportError(f"“{kind.title}” không áp dụng cho đợt “{params.round.title}” của "
                          f"“{params.round.contest.title}”. Vui lòng chọn đợt thi khác.")

    tables = build_tables(kind, params)
    if not personal:
        tables = [without_personal(t) for t in tables]
    counters = []
    for table in tables:
        counted = _Counted(table.rows)
        table.rows = counted
        counters.append(counted)
    if fmt == "xlsx":
        write_xlsx(tables, out)
    else:
        write_csv(tables[0], out)
    rows = sum(c.count for c in counters)
    has_personal = personal and any(c.personal for t in tables for c in t.columns)

    details: dict[str, Any] = {"kind": kind.code, "format": fmt, "rows": rows, "personal": has_personal}
    if params.round is not None:
        details["round"] = params.round.id
    if params.period is not None:
        details["from"], details["to"] = params.period.start, params.period.end
    if params.unit_ids is not None:
        details["units"] = sorted(params.unit_ids)
    if params.filters:
        details["filters"] = dict(params.filters)
    scope = f" {params.period.text}" if params.period is not None else ""
    record("export", target_type="export", target_id=kind.code, actor=actor,
           summary=f"{kind.title}{scope} ({fmt}, {rows} dòng{', có dữ liệu cá nhân' if has_personal else ''})",
           changes=details)
    db.session.commit()
    return ExportResult(kind, fmt, rows, has_personal, filename_for(kind, fmt, params))
