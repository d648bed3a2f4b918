"""Reading a roster sheet: tolerant headers, unit by code or name, row-numbered Vietnamese problems."""

from datetime import date, datetime

from contest.accounts.roster import AMBIGUOUS, new_code, parse_roster, unit_keys
from contest.accounts.rules import CODE_ALPHABET
from contest.sheets import Sheet

UNITS = unit_keys([(1, "VP", "Văn phòng HĐND và UBND"), (2, "VHXH", "Phòng Văn hóa – Xã hội")])
TODAY = date(2026, 11, 21)


def sheet(header, *rows):
    return Sheet("Danh sách", 1, header, [(i + 2, list(r)) for i, r in enumerate(rows)])


def test_headers_match_without_diacritics_and_units_by_code_or_name():
    s = sheet(["STT", "HO VA TEN", "đơn vị", "Chức vụ", "SĐT", "E-mail", "Ngày sinh"],
              [1, "Nguyễn Văn An", "vp", "Chuyên viên", "0912 345 678", "", "08/03/1985"],
              [2, "Trần Thị Bình", "phong van hoa – xa hoi", "", "", "Binh@Example.vn", datetime(1990, 1, 2)])
    records, problems = parse_roster(s, UNITS, TODAY)
    assert problems == []
    assert [(r.full_name, r.unit_id, r.phone, r.email) for r in records] == [
        ("Nguyễn Văn An", 1, "0912345678", None), ("Trần Thị Bình", 2, None, "binh@example.vn")]
    assert records[0].birth_date == date(1985, 3, 8) and records[1].birth_date == date(1990, 1, 2)


def test_a_phone_excel_stored_as_a_number_gets_its_leading_zero_back():
    records, _ = parse_roster(sheet(["Họ và tên", "Đơn vị", "Số điện thoại"], ["An", "VP", 912345678.0]), UNITS,
                              TODAY)
    assert records[0].phone == "0912345678"


def test_missing_columns_are_named():
    _, problems = parse_roster(sheet(["Họ và tên", "Chức vụ"], ["An", "x"]), UNITS, TODAY)
    assert "Đơn vị" in problems[0].message and "Số điện thoại hoặc Email" in problems[0].message


def test_every_bad_row_is_reported_with_its_excel_row():
    s = sheet(["Họ và tên", "Đơn vị", "Số điện thoại", "Email", "Ngày sinh"],
              ["An", "KHONG-CO", "0912345678", "", ""],
              ["", "VP", "12345", "", ""],
              ["Bình", "VP", "", "khong-phai-email", "31/02/1990"],
              ["Chi", "VP", "0912345678", "", ""],
              ["Dũng", "VP", "", "", ""])
    records, problems = parse_roster(s, UNITS, TODAY)
    assert records == []
    text = [str(p) for p in problems]
    assert any(t.startswith("Dòng 2:") and "KHONG-CO" in t for t in text)
    assert any(t.startswith("Dòng 3:") and "họ và tên" in t for t in text)
    assert any(t.startswith("Dòng 3:") and "di động" in t for t in text)
    assert any(t.startswith("Dòng 4:") and "email" in t for t in text)
    assert any(t.startswith("Dòng 4:") and "ngày sinh" in t.lower() for t in text)
    assert any(t.startswith("Dòng 5:") and "trùng với dòng 2" in t for t in text)
    assert any(t.startswith("Dòng 6:") and "số điện thoại hoặc email" in t for t in text)


def test_a_unit_name_two_units_share_must_be_given_by_code():
    keys = unit_keys([(1, "TDP1", "Tổ dân phố"), (2, "TDP2", "Tổ dân phố")])
    assert keys["to dan pho"] == AMBIGUOUS
    _, problems = parse_roster(sheet(["Họ và tên", "Đơn vị", "Email"], ["An", "Tổ dân phố", "a@b.vn"]), keys, TODAY)
    assert "mã đơn vị" in problems[0].message


def test_codes_are_ten_characters_without_look_alikes():
    code = new_code()
    assert len(code) == 10 and set(code) <= set(CODE_ALPHABET)
    assert not set("01ilo") & set(CODE_ALPHABET)


def test_a_title_above_the_table_is_skipped_to_find_the_header():
    s = Sheet("Danh sách", 1, ["DANH SÁCH CÁN BỘ PHƯỜNG TÂY MỖ"],
              [(3, ["STT", "Họ và tên", "Đơn vị", "Email"]), (4, [1, "An", "VP", "an@taymo.gov.vn"])])
    records, problems = parse_roster(s, UNITS, TODAY)
    assert problems == [] and records[0].row == 4
