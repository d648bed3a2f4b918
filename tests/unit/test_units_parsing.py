from pathlib import Path

import pytest

from contest.sheets import SheetError, read_table
from contest.units.parsing import find_cycles, parse_units

DATA = Path(__file__).resolve().parents[1] / "data"


def parse(name: str):
    path = DATA / name
    return parse_units(read_table(path.read_bytes(), path.name)[0])


def test_good_csv_reads_every_unit_with_kind_parent_and_headcount():
    records, problems = parse("units-good.csv")
    assert problems == []
    assert [r.code for r in records] == ["UBND", "VP", "TDP-01", "TDP-02"]
    assert records[1].parent_code == "UBND"
    assert records[2].kind == "residential" and records[2].headcount == 1036
    assert records[3].kind == "residential"


def test_semicolon_csv_with_bom_and_unaccented_headers_is_read():
    records, problems = parse("units-semicolon-bom.csv")
    assert problems == []
    assert records[0].code == "TDP-01" and records[0].headcount == 812


def test_broken_file_reports_every_problem_with_its_excel_row():
    _records, problems = parse("units-broken.csv")
    rows = {p.row for p in problems}
    assert {2, 3, 4, 5} <= rows
    messages = " ".join(p.message for p in problems)
    assert "phải là số nguyên" in messages
    assert "thiếu mã đơn vị" in messages.lower()
    assert "trùng với dòng 2" in messages
    assert "Làng" in messages


def test_missing_required_column_is_reported_on_the_header_row(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("Tên đơn vị,Số người\nTổ 1,10\n", encoding="utf-8")
    records, problems = parse_units(read_table(path.read_bytes(), path.name)[0])
    assert records == []
    assert problems[0].row == 1 and "Mã đơn vị" in problems[0].message


def test_xlsx_rows_are_numbered_as_excel_shows_them(tmp_path):
    import xlsxwriter

    path = tmp_path / "u.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Đơn vị")
    sheet.write_row(2, 0, ["Mã đơn vị", "Tên đơn vị", "Số người"])  # header on Excel row 3
    sheet.write_row(3, 0, ["TDP-01", "Tổ dân phố số 1", 812])
    sheet.write_row(5, 0, ["TDP-02", "", "x"])  # Excel row 6, after a blank row
    book.close()
    records, problems = parse_units(read_table(path.read_bytes(), path.name)[0])
    assert [r.code for r in records] == ["TDP-01"] and records[0].headcount == 812
    assert {p.row for p in problems} == {6}


def test_unknown_file_type_is_a_sheet_error():
    with pytest.raises(SheetError):
        read_table(b"x", "units.pdf")


def test_corrupt_xlsx_is_a_sheet_error():
    with pytest.raises(SheetError):
        read_table(b"not a zip", "units.xlsx")


def test_cycles_are_found_directly_and_indirectly():
    assert find_cycles({"A": "B", "B": "A", "C": None, "D": "C"}) == {"A", "B"}
    assert find_cycles({"A": "B", "B": "C", "C": "A"}) == {"A", "B", "C"}
    assert find_cycles({"A": None}) == set()
