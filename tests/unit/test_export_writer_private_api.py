"""Guard on XlsxWriter's private cell writers: the fast path in ``exports.writers`` must store exactly the cells
that XlsxWriter's public API stores, so an upgrade that changes ``_write_string``/``_write_number``/
``_write_datetime`` fails here, loudly, instead of in an organiser's report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import openpyxl
import xlsxwriter

from contest.clock import VN_TZ
from contest.exports import writers
from contest.exports.tables import Column, Table

COLUMNS = [Column("Họ và tên"), Column("Điểm", "int"), Column("Tỉ lệ", "percent"), Column("Điểm TB", "number"),
           Column("Nộp lúc", "datetime"), Column("Ngày sinh", "date")]
ROWS = [
    ["Nguyễn Văn An", 10, 0.5, 7.25, datetime(2026, 11, 21, 2, 30, tzinfo=UTC), date(1980, 1, 2)],
    ["=HYPERLINK(\"x\")", 0, 1.0, 0.0, datetime(1975, 5, 1, 0, 0, tzinfo=UTC), date(1955, 12, 31)],
    ["", None, None, None, None, None],
    ["Trần Thị Bình", 3, 0.125, 1e9, datetime(2026, 6, 1, 10, 0, tzinfo=VN_TZ), date(2000, 2, 29)],
    ["  khoảng trắng  ", True, False, "7,5", datetime(2026, 11, 21, 2, 30), "không phải ngày"],
]


def _public_api_copy(table: Table, path) -> None:
    """The same sheet written only through XlsxWriter's public methods (writers._write_cell for each cell)."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False, "remove_timezone": True})
    formats = {kind: workbook.add_format({"num_format": spec}) for kind, spec in writers._FORMATS.items()}
    sheet = workbook.add_worksheet(table.name)
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.header)
    kinds = [c.kind for c in table.columns]
    for r, row in enumerate(table.rows, start=1):
        for col, value in enumerate(row):
            writers._write_cell(sheet, r, col, value, kinds[col], formats)
    workbook.close()


def _cells(path) -> dict:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return {(cell.row, cell.column): (cell.value, cell.data_type, cell.number_format)
            for row in sheet.iter_rows() for cell in row if cell.value is not None}


def test_fast_writer_stores_the_same_cells_as_the_public_api(tmp_path):
    fast, public = tmp_path / "fast.xlsx", tmp_path / "public.xlsx"
    writers.write_xlsx([Table("Kết quả", COLUMNS, [list(r) for r in ROWS])], str(fast))
    _public_api_copy(Table("Kết quả", COLUMNS, [list(r) for r in ROWS]), public)
    assert _cells(fast) == _cells(public)


def test_fast_writer_stores_every_non_empty_cell(tmp_path):
    fast = tmp_path / "fast.xlsx"
    writers.write_xlsx([Table("Kết quả", COLUMNS, [list(r) for r in ROWS])], str(fast))
    non_empty = sum(1 for row in ROWS for value in row if value not in (None, ""))
    assert len(_cells(fast)) == len(COLUMNS) + non_empty
