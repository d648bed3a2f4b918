"""Reading organiser spreadsheets (xlsx and csv) into rows that remember their Excel row number.

Pure: no Flask, no database. Headers are matched loosely (case, diacritics, Unicode form and spacing
ignored) against the aliases each importer declares, so "Mã đơn vị", "MÃ ĐƠN VỊ" and "ma don vi" all
match. Row numbers are the ones Excel shows: the header is row 1 when it is on the first line.

Hostile files are refused before anything large is allocated: a workbook's parts are inflated in chunks and
counted against a cap, each sheet's extent (its ``<dimension>`` and its cells' references) is read from the
XML before calamine builds the grid, and a CSV is read row by row up to the row cap. The caps are
:class:`FileLimits`, set from the app's configuration at start-up (:func:`set_limits`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from contest.vntext import clean, fold

# A whole number, optionally with thousands grouped as Vietnamese and English write them: 1.200 / 1,200.
_WHOLE = re.compile(r"[0-9]+|[0-9]{1,3}(?:[.,\s][0-9]{3})+")  # ASCII digits, after NFKC


class SheetError(Exception):
    """The file cannot be read as a table at all (wrong format, empty, corrupt, over a cap)."""


@dataclass(frozen=True)
class FileLimits:
    """Caps on every imported file (banks, units, rosters); the config keys are in ``contest/config.py``."""

    max_rows: int = 20_000  # data rows of a sheet, or questions of a bank file
    max_cells: int = 1_000_000  # rows × columns of one sheet, as the reader would allocate them
    max_inflated_bytes: int = 100 * 1024 * 1024  # all parts of a zip (xlsx, docx) once inflated
    max_yaml_aliases: int = 25  # "*name" references in a YAML file (an alias bomb needs many)
    max_nesting: int = 50  # lists and mappings inside each other (YAML, JSON)


_limits = FileLimits()


def set_limits(limits: FileLimits) -> None:
    """Use these caps from now on (the app factory calls this with its configuration)."""
    global _limits
    _limits = limits


def limits() -> FileLimits:
    """The caps in force."""
    return _limits


_CHUNK = 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]{1,4})([0-9]{1,9})"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,4})([0-9]{1,9})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]{1,9})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _n(number: int) -> str:
    """A count as Vietnamese write it: 1.048.576."""
    return f"{number:,}".replace(",", ".")


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def zip_problem(data: bytes, caps: FileLimits | None = None) -> str | None:
    """Why a zip file (xlsx, docx) may not be opened, in Vietnamese, or None: its parts inflate past the cap
    (counted while inflating, in chunks, so a lying header or a bomb costs no more than the cap). A file that
    is not a zip at all is left to its format's reader to report."""
    caps = caps or _limits
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if declared > caps.max_inflated_bytes:
                return _inflated_message(caps)
            total = 0
            for info in archive.infolist():
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        if total > caps.max_inflated_bytes:
                            return _inflated_message(caps)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        return None  # not a zip, or a damaged one: the format's own reader says so in its words
    return None


def _inflated_message(caps: FileLimits) -> str:
    return (f"Tệp giải nén ra quá {_mib(caps.max_inflated_bytes)} dữ liệu, vượt giới hạn cho phép. Hãy chia "
            "thành nhiều tệp nhỏ hơn hoặc xóa các trang tính, hình ảnh không cần thiết.")


def _sheet_extent(part) -> tuple[int, int]:
    """The (rows, columns) a reader would allocate for one worksheet part: its declared dimension or its
    farthest cell, whichever is larger; read in chunks, never whole."""
    rows = columns = 0
    tail = b""
    while chunk := part.read(_CHUNK):
        text = tail + chunk
        for match in _DIMENSION.finditer(text):
            columns = max(columns, _column_number(match.group(1)))
            rows = max(rows, int(match.group(2)))
        for match in _CELL_REF.finditer(text):
            columns = max(columns, _column_number(match.group(1)))
            rows = max(rows, int(match.group(2)))
        for match in _ROW_REF.finditer(text):
            rows = max(rows, int(match.group(1)))
        tail = text[-256:]
    return rows, columns


def workbook_problem(data: bytes, caps: FileLimits | None = None) -> str | None:
    """Why an xlsx workbook may not be read, in Vietnamese, or None: it inflates past the cap, or one of its
    sheets spans more rows or cells than allowed (A1 and XFD1048576 in a 5 KB file is 17 billion cells)."""
    caps = caps or _limits
    problem = zip_problem(data, caps)
    if problem is not None:
        return problem
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # calamine reports a file that is not a workbook
    with archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            try:
                with archive.open(info) as part:
                    rows, columns = _sheet_extent(part)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
                return None  # a damaged part: calamine reports the file as damaged
            if rows - 1 > caps.max_rows:
                return (f"Trang tính có tới {_n(rows)} dòng (kể cả ô trống ở giữa); mỗi tệp chỉ nhận tối đa "
                        f"{_n(caps.max_rows)} dòng dữ liệu. Hãy chia thành nhiều tệp hoặc xóa các dòng thừa.")
            if rows * columns > caps.max_cells:
                return (f"Trang tính trải rộng {_n(rows)} dòng × {_n(columns)} cột (có ô ở rất xa, kể cả ô "
                        f"trống); mỗi trang chỉ nhận tối đa {_n(caps.max_cells)} ô. Hãy xóa các ô thừa ở cuối "
                        "trang tính.")
    return None


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
    """Read an xlsx or csv file into sheets; raise :class:`SheetError` with a Vietnamese message.

    Only formats whose size can be checked before reading are taken (the old binary .xls and .ods are not).
    """
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        problem = workbook_problem(data)
        if problem is not None:
            raise SheetError(problem)
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
    caps = _limits
    rows: list[list[object]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(list(row))
            cells += len(row)
            if len(rows) > caps.max_rows + 1 or cells > caps.max_cells:
                raise SheetError(f"Tệp CSV có hơn {_n(caps.max_rows)} dòng dữ liệu (hoặc hơn {_n(caps.max_cells)} "
                                 "ô), vượt giới hạn cho phép. Hãy chia thành nhiều tệp.")
    except csv.Error as exc:
        raise SheetError(f"Tệp CSV không đọc được ở dòng {len(rows) + 1}: một ô quá dài hoặc sai dấu ngoặc kép."
                         ) from exc
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
    text = unicodedata.normalize("NFKC", clean(value))
    if not _WHOLE.fullmatch(text):
        raise ValueError(value)
    return int(re.sub(r"[.,\s]", "", text))
