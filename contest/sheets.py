"""Reading organiser spreadsheets (xlsx and csv) into rows that remember their Excel row number.

Pure: no Flask, no database. Headers are matched loosely (case, diacritics, Unicode form and spacing
ignored) against the aliases each importer declares, so "Mã đơn vị", "MÃ ĐƠN VỊ" and "ma don vi" all
match. Row numbers are the ones Excel shows: the header is row 1 when it is on the first line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from contest.vntext import clean, fold

# A whole number, optionally with thousands grouped as Vietnamese and English write them: 1.200 / 1,200.
_WHOLE = re.compile(r"\d+|\d{1,3}(?:[.,\s]\d{3})+")


class SheetError(Exception):
    """The file cannot be read as a table at all (wrong format, empty, corrupt)."""


@dataclass
class Sheet:
    """One table: its name, its header cells and its data rows as (row number, cells)."""

    name: str
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """Something wrong at one row (or line) of a file, said in Vietnamese."""

    row: int | None
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.message}" if self.row else self.message


def read_table(data: bytes, filename: str) -> list[Sheet]:
    """Read an xlsx or csv file into sheets; raise :class:`SheetError` with a Vietnamese message."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_workbook(data)
    if suffix in (".csv", ".txt"):
        return [_read_csv(data, Path(filename).stem)]
    raise SheetError(f"Không đọc được tệp “{filename}”: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")


def _read_workbook(data: bytes) -> list[Sheet]:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several kinds for a corrupt or foreign file
        raise SheetError("Không mở được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.") from exc
    sheets = []
    for name in workbook.sheet_names:
        try:
            cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise SheetError(f"Không đọc được trang tính “{name}”.") from exc
        sheet = _to_sheet(name, [list(row) for row in cells])
        if sheet is not None:
            sheets.append(sheet)
    if not sheets:
        raise SheetError("Tệp Excel không có dữ liệu.")
    return sheets


def _read_csv(data: bytes, name: str) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError("Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”).") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    sheet = _to_sheet(name, rows)
    if sheet is None:
        raise SheetError("Tệp CSV không có dữ liệu.")
    return sheet


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _to_sheet(name: str, rows: list[list[object]]) -> Sheet | None:
    """Take the first non-empty row as the header; later non-empty rows are data."""
    header_index = next((i for i, row in enumerate(rows) if not all(_blank(c) for c in row)), None)
    if header_index is None:
        return None
    header = [clean(c) for c in rows[header_index]]
    sheet = Sheet(name=name, header_row=header_index + 1, header=header)
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if all(_blank(c) for c in row):
            continue
        sheet.rows.append((index + 1, row))
    return sheet


def match_columns(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map each field to the index of the first header cell matching one of its aliases (folded)."""
    folded = [fold(h) for h in header]
    found: dict[str, int] = {}
    for key, names in aliases.items():
        wanted = {fold(n) for n in names}
        for index, cell in enumerate(folded):
            if cell in wanted and index not in found.values():
                found[key] = index
                break
    return found


def cell(row: list[object], index: int | None) -> object:
    """The raw value at ``index`` in ``row`` (None when the column is absent or the row is short)."""
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if _blank(value) else value


def cell_text(row: list[object], index: int | None) -> str:
    """The cell as clean NFC text; whole floats from Excel (3.0) read as "3"."""
    value = cell(row, index)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.strftime("%d/%m/%Y")
    return clean(value)


def cell_int(row: list[object], index: int | None) -> int | None:
    """The cell as a whole number; raise ValueError when it is not one."""
    value = cell(row, index)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    text = clean(value)
    if not _WHOLE.fullmatch(text):
        raise ValueError(value)
    return int(re.sub(r"[.,\s]", "", text))
