"""Write tables as Excel (XlsxWriter, streamed row by row) or as CSV for Excel with Vietnamese regional
settings.

Excel files have a bold, frozen header row, widths that fit the headers and the first rows, dates as
dd/mm/yyyy hh:mm in Vietnam time, numbers as numbers, and text always written as text — a name such as
``=HYPERLINK(...)`` is never a formula. CSV cells that begin with ``= + - @`` get a leading quote for the same
reason, since Excel evaluates CSV cells.

CSV is what Excel opens on a double click with Vietnamese regional settings (Windows vi-VN: list separator
``;``, decimal symbol ``,``, dates dd/mm/yyyy): UTF-8 with a BOM (Excel then reads the diacritics right),
``;`` between cells — not a ``sep=;`` line, which makes Excel ignore the BOM and garble Vietnamese —, numbers
with a decimal comma and no grouping, and text made only of digits (a phone 0912…, a unit code 001) written as
``="0912345678"``, the one form Excel keeps as text, so the leading 0 survives.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import chain
from typing import IO, Any

import xlsxwriter

from contest.clock import VN_TZ
from contest.exports.tables import Table, neutralised, sheet_name

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WIDTH_SAMPLE = 200  # rows looked at to size the columns; a streamed writer cannot go back later
_FORMATS = {"int": "#,##0", "number": "#,##0.00", "percent": "0.0%", "datetime": "dd/mm/yyyy hh:mm",
            "date": "dd/mm/yyyy"}


def write_xlsx(tables: Iterable[Table], out: str | IO[bytes]) -> None:
    """Write each table to its own sheet of an .xlsx file (``out`` is a path or a binary file object)."""
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False,
                                         "remove_timezone": True, "in_memory": False})
    try:
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7",
                                      "border": 1})
        title_format = workbook.add_format({"bold": True, "font_size": 13})
        formats = {kind: workbook.add_format({"num_format": spec}) for kind, spec in _FORMATS.items()}
        taken: set[str] = set()
        for table in tables:
            _write_sheet(workbook, table, sheet_name(table.name, taken), header, title_format, formats)
        if not taken:
            workbook.add_worksheet("Trống")
    finally:
        workbook.close()


def _write_sheet(workbook, table: Table, name: str, header, title_format, formats) -> None:
    sheet = workbook.add_worksheet(name)
    first = 0
    if table.title:
        sheet.write_string(0, 0, table.title, title_format)
        first = 2
    kinds = [c.kind for c in table.columns]
    rows = iter(table.rows)
    sample: list[list[Any]] = []
    for row in rows:
        sample.append(list(row))
        if len(sample) >= _WIDTH_SAMPLE:
            break
    for col, column in enumerate(table.columns):
        width = column.width or _fit_width(column.header, (r[col] for r in sample), column.kind)
        sheet.set_column(col, col, width)
    # constant_memory writes row by row, so the header and freeze pane come first.
    for col, column in enumerate(table.columns):
        sheet.write_string(first, col, column.header, header)
    sheet.freeze_panes(first + 1, 0)
    r = first + 1
    # The undecorated writers: the public ones only turn "A1" references into numbers, which costs a call per
    # cell that a 100,000-row export notices. Same checks, same stored cells.
    write_string = sheet._write_string
    writers = [_cell_writer(sheet, kind, formats) for kind in kinds]
    for row in chain(sample, rows):
        for col, value in enumerate(row):
            # Text and empty cells, most of a sheet, are handled here without a call per cell.
            if value.__class__ is str:
                if value:
                    write_string(r, col, value)
            elif value is not None:
                writers[col](r, col, value)
        r += 1
    if r > first + 1:
        sheet.autofilter(first, 0, r - 1, len(table.columns) - 1)


# Vietnam has kept UTC+7 without summer time since June 1975: later UTC moments shift by a constant instead of
# asking the time-zone database for every cell; earlier ones still go through it.
_VN_OFFSET = timedelta(hours=7)
_VN_FIXED_SINCE = datetime(1976, 1, 1, tzinfo=UTC)


def _cell_writer(sheet, kind: str, formats):
    """The function that writes a non-empty, non-text value of a ``kind`` column (same cells as _write_cell)."""
    if kind in ("int", "number", "percent"):
        write_number, number_format = sheet._write_number, formats[kind]

        def number(row: int, col: int, value: Any) -> None:
            if value.__class__ is int or value.__class__ is float:
                write_number(row, col, value, number_format)
            else:
                _write_cell(sheet, row, col, value, kind, formats)

        return number
    if kind == "datetime":
        write_datetime, datetime_format = sheet._write_datetime, formats["datetime"]

        def moment(row: int, col: int, value: Any) -> None:
            if value.__class__ is datetime and value.tzinfo is UTC and value >= _VN_FIXED_SINCE:
                write_datetime(row, col, value.replace(tzinfo=None) + _VN_OFFSET, datetime_format)
            else:
                _write_cell(sheet, row, col, value, kind, formats)

        return moment
    return lambda row, col, value: _write_cell(sheet, row, col, value, kind, formats)


def _write_cell(sheet, row: int, col: int, value: Any, kind: str, formats) -> None:
    if value.__class__ is str:
        if value:
            sheet.write_string(row, col, value)
        return
    if value is None:
        return
    if kind in ("int", "number", "percent") and isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value, formats[kind])
    elif kind == "datetime" and isinstance(value, datetime):
        local = value.astimezone(VN_TZ) if value.tzinfo else value
        sheet.write_datetime(row, col, local.replace(tzinfo=None), formats["datetime"])
    elif kind == "date" and isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), formats["date"])
    elif isinstance(value, bool):
        sheet.write_string(row, col, "Có" if value else "Không")
    else:
        sheet.write_string(row, col, str(value))


def _fit_width(header: str, values: Iterable[Any], kind: str) -> float:
    longest = max((len(w) for w in header.split()), default=4)
    fixed = {"datetime": 17, "date": 11, "percent": 8}.get(kind)
    for value in values:
        if value is not None and fixed is None:
            longest = max(longest, len(str(value)))
    return min(max(longest, fixed or 0, 6) + 2, 60)


CSV_SEPARATOR = ";"
# Text Excel would turn into a number or a date (dropping a leading 0, or reading "3/4" as a day).
_NUMBER_LIKE = re.compile(r"[0-9][0-9 .,/:-]*")


def write_csv(table: Table, out: IO[bytes]) -> None:
    """Write one table as CSV for Excel in Vietnamese: UTF-8 with a BOM, ``;``-separated, decimal comma."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, delimiter=CSV_SEPARATOR)
        writer.writerow(table.headers)
        kinds = [c.kind for c in table.columns]
        for row in table.rows:
            writer.writerow([_csv_cell(v, k) for v, k in zip(row, kinds, strict=False)])
        text.flush()
    finally:
        text.detach()


def _csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        local = value.astimezone(VN_TZ) if value.tzinfo else value
        return local.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if kind in ("int", "number", "percent") and isinstance(value, (int, float)):
        return _csv_number(value, kind)
    text = str(value)
    if _NUMBER_LIKE.fullmatch(text):
        return f'="{text}"'
    return neutralised(text)


def _csv_number(value: int | float, kind: str) -> str:
    """A number as Excel in Vietnamese reads it: a decimal comma, no thousands separator; a percent column
    (a fraction) as "87,5%"."""
    if kind == "percent":
        return f"{round(value * 100, 2):g}".replace(".", ",") + "%"
    if isinstance(value, int) or kind == "int":
        return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")
    return f"{round(value, 6):.6f}".rstrip("0").rstrip(".").replace(".", ",")
