"""Excel and CSV writers, checked by opening the files as organisers' tools would."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import openpyxl

from contest.clock import VN_TZ
from contest.exports.tables import Column, Table
from contest.exports.writers import write_csv, write_xlsx

COLUMNS = [Column("Họ và tên"), Column("Điểm", "number"), Column("Số lần", "int"),
           Column("Nộp lúc", "datetime"), Column("Ngày sinh", "date", personal=True), Column("Tỉ lệ", "percent")]
ROW = ("=HYPERLINK(\"http://x\")", 9.5, 2, datetime(2026, 11, 20, 1, 30, tzinfo=UTC), date(1990, 5, 4), 0.75)


def xlsx_of(*tables: Table) -> openpyxl.Workbook:
    out = io.BytesIO()
    write_xlsx(tables, out)
    out.seek(0)
    return openpyxl.load_workbook(out)


def test_xlsx_has_one_sheet_per_table_with_the_vietnamese_headers():
    book = xlsx_of(Table("Kết quả", COLUMNS, [ROW]), Table("Đơn vị", [Column("Đơn vị")], []))
    assert book.sheetnames == ["Kết quả", "Đơn vị"]
    assert [c.value for c in book["Kết quả"][1]] == [c.header for c in COLUMNS]


def test_xlsx_header_is_bold_and_frozen():
    sheet = xlsx_of(Table("Kết quả", COLUMNS, [ROW]))["Kết quả"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_xlsx_writes_a_formula_like_name_as_text():
    cell = xlsx_of(Table("Kết quả", COLUMNS, [ROW]))["Kết quả"]["A2"]
    assert cell.data_type == "s" and cell.value == ROW[0]


def test_xlsx_numbers_are_numbers():
    sheet = xlsx_of(Table("Kết quả", COLUMNS, [ROW]))["Kết quả"]
    assert (sheet["B2"].value, sheet["C2"].value, sheet["F2"].value) == (9.5, 2, 0.75)


def test_xlsx_dates_are_vietnam_time_in_day_month_year():
    sheet = xlsx_of(Table("Kết quả", COLUMNS, [ROW]))["Kết quả"]
    assert sheet["D2"].value == datetime(2026, 11, 20, 8, 30)
    assert sheet["D2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["E2"].value == datetime(1990, 5, 4) and sheet["E2"].number_format == "dd/mm/yyyy"


def test_xlsx_title_line_sits_above_the_frozen_header():
    sheet = xlsx_of(Table("Báo cáo", [Column("Đơn vị")], [("Tổ 1",)], title="Báo cáo tháng 11/2026"))["Báo cáo"]
    assert sheet["A1"].value == "Báo cáo tháng 11/2026" and sheet["A3"].value == "Đơn vị"
    assert sheet.freeze_panes == "A4"


def test_xlsx_streams_rows_from_a_generator():
    rows = ((f"Người {i}", i, i, None, None, None) for i in range(1000))
    sheet = xlsx_of(Table("Kết quả", COLUMNS, rows))["Kết quả"]
    assert sheet.max_row == 1001 and sheet["A1001"].value == "Người 999"


def csv_text(table: Table) -> bytes:
    out = io.BytesIO()
    write_csv(table, out)
    return out.getvalue()


def test_csv_starts_with_a_bom_and_is_utf8():
    data = csv_text(Table("Kết quả", COLUMNS, [ROW]))
    assert data.startswith(b"\xef\xbb\xbf") and "Họ và tên" in data.decode("utf-8-sig")


def test_csv_neutralises_formulas_and_formats_dates():
    line = csv_text(Table("Kết quả", COLUMNS, [ROW])).decode("utf-8-sig").splitlines()[1]
    assert line.startswith("\"'=HYPERLINK(") and "20/11/2026 08:30" in line and "04/05/1990" in line


def test_csv_keeps_negative_numbers_as_numbers():
    line = csv_text(Table("T", [Column("Chênh lệch", "int")], [(-3,)])).decode("utf-8-sig").splitlines()[1]
    assert line == "-3"


def test_xlsx_dates_before_1976_keep_the_vietnam_offset_of_their_time():
    sheet = xlsx_of(Table("T", [Column("Lúc", "datetime")], [(datetime(1970, 1, 1, tzinfo=UTC),)]))["T"]
    assert sheet["A2"].value == datetime(1970, 1, 1, 8, 0)


def test_xlsx_dates_given_in_vietnam_time_are_not_shifted_again():
    moment = datetime(2026, 11, 20, 8, 30, tzinfo=VN_TZ)
    sheet = xlsx_of(Table("T", [Column("Lúc", "datetime")], [(moment,)]))["T"]
    assert sheet["A2"].value == datetime(2026, 11, 20, 8, 30)


def test_xlsx_fixed_offset_agrees_with_the_time_zone_database_since_1976():
    moments = [datetime(1976, 1, 1, tzinfo=UTC) + timedelta(days=97 * n, hours=n) for n in range(250)]
    sheet = xlsx_of(Table("T", [Column("Lúc", "datetime")], [(m,) for m in moments]))["T"]
    assert [sheet.cell(n + 2, 1).value for n in range(len(moments))] == [
        m.astimezone(VN_TZ).replace(tzinfo=None) for m in moments]


def test_csv_is_semicolon_separated_with_a_decimal_comma():
    table = Table("T", [Column("Điểm", "number"), Column("Tỉ lệ", "percent"), Column("Số", "int")], [(9.5, 0.875, 12)])
    assert csv_text(table).decode("utf-8-sig").splitlines()[1] == "9,5;87,5%;12"


def test_csv_text_made_of_digits_is_kept_as_text_for_excel():
    table = Table("T", [Column("Số điện thoại"), Column("Mã đơn vị")], [("0912345678", "001")])
    assert csv_text(table).decode("utf-8-sig").splitlines()[1] == '"=""0912345678""";"=""001"""'


def test_csv_text_with_letters_is_written_as_it_is():
    table = Table("T", [Column("Họ và tên")], [("Nguyễn Văn An",)])
    assert csv_text(table).decode("utf-8-sig").splitlines()[1] == "Nguyễn Văn An"
