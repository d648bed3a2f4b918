"""Reading a units file into unit records and row-numbered problems (pure: no Flask, no database)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from contest.sheets import Problem, Sheet, cell_int, cell_text, match_columns
from contest.vntext import fold

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã đơn vị", "Mã", "Mã ĐV", "Code", "Unit code"),
    "name": ("Tên đơn vị", "Tên", "Đơn vị", "Name", "Unit name"),
    "kind": ("Loại", "Loại đơn vị", "Phân loại", "Kind", "Type"),
    "parent": ("Mã đơn vị cấp trên", "Đơn vị cấp trên", "Mã cấp trên", "Trực thuộc", "Parent", "Parent code"),
    "headcount": ("Số người", "Quy mô", "Dân số", "Số dân", "Số nhân khẩu", "Biên chế", "Số CBCCVC",
                  "Headcount"),
}
REQUIRED = ("code", "name")
HEADER_LABELS = {"code": "Mã đơn vị", "name": "Tên đơn vị"}

# Folded labels (and our own keys) accepted in the "Loại" column.
KIND_ALIASES = {
    "city": ("city", "thanh pho", "tinh", "thanh pho, tinh", "tp"),
    "ward": ("ward", "phuong", "xa", "thi tran", "phuong, xa", "phuong/xa", "dac khu"),
    "office": ("office", "co quan", "phong", "phong chuyen mon", "van phong", "co quan, phong chuyen mon"),
    "centre": ("centre", "center", "trung tam"),
    "public_service": ("public_service", "don vi su nghiep", "su nghiep", "truong hoc", "truong", "tram y te",
                       "y te", "giao duc"),
    "organisation": ("organisation", "organization", "doan the", "to chuc chinh tri - xa hoi",
                     "to chuc chinh tri – xa hoi", "to chuc chinh tri xa hoi", "mat tran", "to chuc"),
    "residential": ("residential", "to dan pho", "tdp", "khu dan cu", "thon", "to dan pho/khu dan cu"),
    "other": ("other", "khac"),
}
_KIND_BY_ALIAS = {alias: kind for kind, aliases in KIND_ALIASES.items() for alias in aliases}
_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,40}")


@dataclass(frozen=True)
class UnitRecord:
    """One unit as read from a file."""

    row: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    headcount: int | None


def parse_units(sheet: Sheet) -> tuple[list[UnitRecord], list[Problem]]:
    """Read the units of a sheet; every problem names its Excel row."""
    problems: list[Problem] = []
    columns = match_columns(sheet.header, COLUMNS)
    missing = [HEADER_LABELS[k] for k in REQUIRED if k not in columns]
    if missing:
        problems.append(Problem(sheet.header_row, "Thiếu cột bắt buộc: " + ", ".join(missing) + "."))
        return [], problems

    records: list[UnitRecord] = []
    seen: dict[str, int] = {}
    for row_number, row in sheet.rows:
        code = cell_text(row, columns.get("code")).upper()
        name = cell_text(row, columns.get("name"))
        kind_text = cell_text(row, columns.get("kind"))
        parent = cell_text(row, columns.get("parent")).upper() or None
        row_problems = []
        if not code:
            row_problems.append("thiếu mã đơn vị.")
        elif not _CODE.fullmatch(code):
            row_problems.append(f"mã đơn vị “{code}” chỉ được gồm chữ không dấu, chữ số, dấu gạch (tối đa 40 ký tự).")
        elif code in seen:
            row_problems.append(f"mã đơn vị “{code}” trùng với dòng {seen[code]}.")
        else:
            seen[code] = row_number
        if not name:
            row_problems.append("thiếu tên đơn vị.")
        elif len(name) > 200:
            row_problems.append("tên đơn vị dài quá 200 ký tự.")
        kind = "other"
        if kind_text:
            kind = _KIND_BY_ALIAS.get(fold(kind_text), "")
            if not kind:
                row_problems.append(f"loại đơn vị “{kind_text}” không hợp lệ (ví dụ hợp lệ: Thành phố, Phường, Xã, "
                                    "Cơ quan, Trung tâm, Đơn vị sự nghiệp, Tổ chức chính trị – xã hội, Tổ dân phố, Khác).")
        headcount = None
        try:
            headcount = cell_int(row, columns.get("headcount"))
            if headcount is not None and headcount < 0:
                row_problems.append("số người không được âm.")
        except ValueError:
            row_problems.append(f"số người “{cell_text(row, columns.get('headcount'))}” phải là số nguyên.")
        if parent and parent == code:
            row_problems.append("đơn vị không thể trực thuộc chính nó.")
        if row_problems:
            problems.extend(Problem(row_number, p[0].upper() + p[1:]) for p in row_problems)
            continue
        records.append(UnitRecord(row_number, code, name, kind, parent, headcount))
    if not sheet.rows:
        problems.append(Problem(None, "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return records, problems


def find_cycles(parents: dict[str, str | None]) -> set[str]:
    """Return the codes that sit on a cycle of parents (a unit under itself, directly or not)."""
    on_cycle: set[str] = set()
    for start in parents:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in path and node in parents:
            path.append(node)
            node = parents[node]
        if node is not None and node in path:
            on_cycle.update(path[path.index(node):])
    return on_cycle
