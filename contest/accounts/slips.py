"""One-time codes as they leave the system: a table for Excel and slips grouped by unit for printing
(pure: no Flask, no database; takes the issued codes as plain objects).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from contest.collation import name_sort_key, sort_key
from contest.exports.tables import Column, Table
from contest.exports.writers import XLSX_MIMETYPE, write_xlsx


@dataclass(frozen=True)
class UnitSlips:
    """The slips of one unit: one printed page (or more) with its name on top."""

    code: str
    name: str
    codes: list[Any]


def codes_table(codes: Iterable[Any]) -> Table:
    """The codes as a sheet: unit, name, position, login and code, one person a row."""
    rows = [[c.unit_code, c.unit_name, c.full_name, c.position or "", c.login, c.code] for c in codes]
    return Table("Mã đăng nhập", [Column("Mã đơn vị"), Column("Đơn vị", width=36), Column("Họ và tên", width=28),
                                  Column("Chức vụ", width=22), Column("Tên đăng nhập", personal=True, width=26),
                                  Column("Mã đăng nhập một lần", width=22)], rows,
                 "Mã đăng nhập một lần (giữ kín; đăng nhập lần đầu sẽ phải đặt mật khẩu mới)")


def slips_by_unit(codes: Sequence[Any]) -> list[UnitSlips]:
    """Group the codes by unit, units and people in Vietnamese alphabetical order (each unit prints on its own
    A4 page)."""
    groups: dict[str, UnitSlips] = {}
    for c in sorted(codes, key=lambda c: (sort_key(c.unit_name), c.unit_code, name_sort_key(c.full_name))):
        groups.setdefault(c.unit_code, UnitSlips(c.unit_code, c.unit_name, [])).codes.append(c)
    return list(groups.values())


def codes_xlsx_base64(codes: Sequence[Any]) -> str:
    """The codes' Excel file, base64-encoded for a download link in the one page that shows them."""
    out = io.BytesIO()
    write_xlsx([codes_table(codes)], out)
    return base64.b64encode(out.getvalue()).decode("ascii")


XLSX_DATA_PREFIX = f"data:{XLSX_MIMETYPE};base64,"
