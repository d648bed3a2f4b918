"""Tables to export: plain data in, plain data out (no Flask, no database).

A domain that has something to export builds a :class:`Table` — columns with a Vietnamese header and a type,
and an iterable of rows — and :mod:`contest.exports.writers` writes it as Excel or CSV. Rows may be a generator,
so a large export is streamed rather than held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

COLUMN_KINDS = ("text", "int", "number", "percent", "datetime", "date")
# Characters that make Excel (or LibreOffice) read a cell typed by a person as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: its header, its type, and a width in characters (None: from the header)."""

    header: str
    kind: str = "text"
    width: int | None = None
    personal: bool = False  # phone, birth date, CCCD: only in organiser exports

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class Table:
    """A sheet: its name (≤ 31 characters in Excel), its columns and its rows (any iterable of sequences)."""

    name: str
    columns: list[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)
    title: str | None = None  # an optional line above the header, e.g. "Báo cáo tháng 11/2026"

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def without_personal(table: Table) -> Table:
    """The same table without its personal-data columns (for exports to people who may not see them)."""
    keep = [i for i, c in enumerate(table.columns) if not c.personal]
    if len(keep) == len(table.columns):
        return table
    rows = ([row[i] for i in keep] for row in table.rows)
    return Table(table.name, [table.columns[i] for i in keep], rows, table.title)


def neutralised(text: str) -> str:
    """Text that a spreadsheet will not run as a formula: a leading ``=``, ``+``, ``-`` or ``@`` gets a quote."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: no ``[]:*?/\\``, at most 31 characters."""
    cleaned = "".join("-" if ch in '[]:*?/\\' else ch for ch in name).strip("'") or "Sheet"
    cleaned = cleaned[:31]
    taken = taken if taken is not None else set()
    candidate, n = cleaned, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate
