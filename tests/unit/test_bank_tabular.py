"""The Excel/CSV organiser template parser, on real-looking files in tests/data."""

import io
import unicodedata
from pathlib import Path

import xlsxwriter

from contest.banks.formats import parse_bank_file

DATA = Path(__file__).resolve().parents[1] / "data"


def parse(name: str, **options):
    return parse_bank_file((DATA / name).read_bytes(), name, **options)


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def test_good_workbook_reads_every_kind_with_zero_based_keys():
    bank = parse("bank-good.xlsx")
    assert bank.ok, [str(e) for e in bank.errors]
    by_row = {q.number: q for q in bank.questions}
    assert by_row[2].code == "X-001" and by_row[2].correct == (0,) and by_row[2].difficulty == "easy"
    assert by_row[3].kind == "multiple" and by_row[3].correct == (0, 1, 2)
    assert by_row[4].kind == "true_false" and by_row[4].correct == (0,) and by_row[4].difficulty == "hard"


def test_numbers_typed_as_options_read_as_text():
    question = {q.number: q for q in parse("bank-good.xlsx").questions}[5]
    assert question.options == ("4", "5", "6", "7") and question.correct == (2,)


def test_blank_topic_cell_takes_the_topic_above_as_merged_cells_do():
    question = {q.number: q for q in parse("bank-good.xlsx").questions}[3]
    assert question.topic == "Cải cách thủ tục hành chính"


def test_instructions_and_empty_sheets_are_not_read():
    bank = parse("bank-good.xlsx")
    assert len(bank.questions) == 4 and not bank.warnings


def test_headers_match_loosely_ignoring_case_marks_and_notes():
    bank = parse_bank_file(xlsx({"Sheet1": [["  câu HỎI:", "đáp án a", "Lựa chọn B", "ĐÁP ÁN ĐÚNG (*)", "Chu de"],
                                            ["Hỏi?", "Một", "Hai", "b", "Thể chế"]]}), "x.xlsx")
    assert bank.ok, bank.errors
    assert bank.questions[0].correct == (1,) and bank.questions[0].topic == "Thể chế"


def test_each_broken_row_is_reported_with_its_excel_row_number():
    bank = parse("bank-broken.xlsx")
    assert not bank.ok and bank.questions == []
    rows = {e.number: e.message for e in bank.errors}
    assert all(e.where == "row" for e in bank.errors)
    assert "hai phương án" in rows[2]
    assert "E không có phương án" in rows[3]
    assert "thiếu đáp án" in rows[4].lower()
    assert "trống" in rows[5]
    assert "một đáp án" in rows[6]
    assert "độ khó" in rows[7].lower()


def test_merged_two_row_header_is_read_and_rows_keep_excel_numbers():
    bank = parse("bank-merged-header.xlsx")
    assert bank.ok, [str(e) for e in bank.errors]
    assert [q.number for q in bank.questions] == [3, 4, 3]
    assert bank.questions[0].options == ("2015", "2020", "2025", "2008") and bank.questions[0].correct == (2,)


def test_sheet_name_is_the_topic_without_a_topic_column():
    topics = [q.topic for q in parse("bank-merged-header.xlsx").questions]
    assert topics == ["Cải cách thể chế", "Cải cách thể chế", "Tài chính công"]


def test_nfd_cells_are_stored_as_nfc():
    bank = parse("bank-merged-header.xlsx")
    assert all(unicodedata.is_normalized("NFC", q.text) for q in bank.questions)
    assert bank.questions[1].options[0] == "Nghị định"


def test_problems_on_a_workbook_of_several_sheets_name_the_sheet():
    data = xlsx({"Thể chế": [["Câu hỏi", "A", "B", "Đáp án"], ["Hỏi?", "Một", "Hai", "C"]],
                 "Bộ máy": [["Câu hỏi", "A", "B", "Đáp án"], ["Hỏi khác?", "Một", "Hai", "A"]]})
    bank = parse_bank_file(data, "x.xlsx")
    assert bank.errors[0].number == 2 and bank.errors[0].message.startswith("Trang “Thể chế”")


def test_workbook_whose_only_sheet_is_empty_is_an_error():
    bank = parse("bank-empty.xlsx")
    assert not bank.ok and "không có dữ liệu" in bank.errors[0].message


def test_header_only_sheet_has_no_questions():
    bank = parse_bank_file(xlsx({"Câu hỏi": [["Câu hỏi", "A", "B", "Đáp án"]]}), "x.xlsx")
    assert not bank.ok and "không có câu hỏi" in bank.errors[0].message


def test_sheet_without_question_column_is_reported_on_the_header_row():
    bank = parse_bank_file(xlsx({"Sheet1": [["Họ tên", "Ngày sinh"], ["An", "1/1/1980"]]}), "x.xlsx")
    assert not bank.ok and bank.errors[0].number == 1 and "Câu hỏi" in bank.errors[0].message


def test_missing_answer_column_is_reported():
    bank = parse_bank_file(xlsx({"S": [["Câu hỏi", "A", "B"], ["Hỏi?", "Một", "Hai"]]}), "x.xlsx")
    assert not bank.ok and "Đáp án" in bank.errors[0].message


def test_weights_column_reads_percent_per_option():
    data = xlsx({"S": [["Câu hỏi", "A", "B", "C", "Đáp án", "Trọng số", "Điểm"],
                       ["Hỏi?", "Một", "Hai", "Ba", "A, B", "50; 50; -100", 2]]})
    question = parse_bank_file(data, "x.xlsx").questions[0]
    assert question.weights == (50.0, 50.0, -100.0) and question.points == 2.0


def test_a_damaged_workbook_is_a_report_not_a_crash():
    bank = parse_bank_file(b"PK\x03\x04 not really a zip", "x.xlsx")
    assert not bank.ok and "Excel" in bank.errors[0].message


def test_csv_in_utf8_with_commas_reads_with_file_name_as_topic():
    bank = parse("bank-good.csv", topic="Cuộc thi")
    assert bank.ok and [q.correct for q in bank.questions] == [(0,), (0,)]
    assert {q.topic for q in bank.questions} == {"Cuộc thi"}


def test_csv_with_bom_semicolons_and_crlf_reads():
    bank = parse("bank-semicolon-bom.csv")
    assert bank.ok, bank.errors
    assert bank.questions[0].code == "S-01" and bank.questions[0].topic == "Tổ chức bộ máy"
    assert bank.questions[1].options[0] == "Xã, phường, đặc khu"


def test_broken_csv_rows_are_reported_by_line():
    bank = parse("bank-broken.csv")
    assert [(e.where, e.number) for e in bank.errors] == [("row", 3), ("row", 4)]


def test_csv_not_in_utf8_is_reported():
    bank = parse_bank_file("Câu hỏi,A,B,Đáp án\nHỏi?,Có,Không,A\n".encode("utf-16"), "x.csv")
    assert not bank.ok and "UTF-8" in bank.errors[0].message
