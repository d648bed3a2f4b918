"""Writing banks back out: export → check gives the same questions and keys (Excel, GIFT, YAML)."""

import io
from pathlib import Path

import pytest

from contest.banks.exporting import bank_aiken, bank_gift, bank_yaml, write_bank_xlsx
from contest.banks.formats import parse_bank_file

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]


def fingerprint(bank):
    return [(q.as_dict(), q.points, q.explanation) for q in bank.questions]


def export(questions, fmt: str) -> tuple[bytes, str]:
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_bank_xlsx(questions, buffer)
        return buffer.getvalue(), "bank.xlsx"
    if fmt == "gift":
        return bank_gift(questions, "Ngân hàng").encode(), "bank.gift"
    return bank_yaml(questions, name="bank").encode(), "bank.yaml"


@pytest.fixture(scope="module")
def default_bank():
    path = ROOT / "questions" / "cchc-mac-dinh.yaml"
    bank = parse_bank_file(path.read_bytes(), path.name)
    assert bank.ok
    return bank


@pytest.mark.parametrize("fmt", ["xlsx", "gift", "yaml"])
def test_default_bank_survives_export_and_check(default_bank, fmt):
    data, name = export(default_bank.questions, fmt)
    again = parse_bank_file(data, name)
    assert again.ok, [str(e) for e in again.errors][:5]
    assert fingerprint(again) == fingerprint(default_bank)


@pytest.mark.parametrize("source", ["bank-small.yaml", "gift-good.gift", "word-good.docx", "bank-good.xlsx"])
@pytest.mark.parametrize("fmt", ["xlsx", "gift", "yaml"])
def test_files_of_every_format_survive_export_and_check(source, fmt):
    original = parse_bank_file((DATA / source).read_bytes(), source)
    data, name = export(original.questions, fmt)
    assert fingerprint(parse_bank_file(data, name)) == fingerprint(original)


def test_empty_template_has_the_headers_the_parser_reads_and_no_questions():
    buffer = io.BytesIO()
    write_bank_xlsx([], buffer)
    bank = parse_bank_file(buffer.getvalue(), "mau.xlsx")
    assert bank.questions == [] and "không có câu hỏi" in bank.errors[0].message


def test_template_has_an_instructions_sheet_in_vietnamese():
    import python_calamine

    buffer = io.BytesIO()
    write_bank_xlsx([], buffer)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    assert book.sheet_names == ["Câu hỏi", "Hướng dẫn"]
    text = " ".join(str(c) for row in book.get_sheet_by_name("Hướng dẫn").to_python() for c in row)
    assert "Đáp án" in text and "Chữ cái của phương án đúng" in text


def test_text_that_looks_like_a_formula_stays_text_in_excel():
    bank = parse_bank_file(b"questions:\n  - {topic: t, text: '=1+1', options: ['=SUM(A1)', '+2'], answer: A}\n"
, "x.yaml")
    data, name = export(bank.questions, "xlsx")
    assert parse_bank_file(data, name).questions[0].options == ("=SUM(A1)", "+2")


def test_aiken_writes_single_choice_and_says_what_it_left_out():
    bank = parse_bank_file((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
    text, notes = bank_aiken(bank.questions)
    assert "ANSWER: B" in text
    assert any("1 câu nhiều đáp án" in n for n in notes) and any("chủ đề" in n for n in notes)
    again = parse_bank_file(text.encode(), "bank.txt")
    assert again.ok and [q.correct for q in again.questions] == [(1,), (1,), (2,)]


def test_gift_keeps_all_or_nothing_scoring_through_moodle_weights():
    bank = parse_bank_file((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
    text = bank_gift(bank.questions)
    assert "~%50%Đúng một" in text and "~%-100%Sai một" in text and "// Chấm: tất cả hoặc không" in text
    multiple = [q for q in parse_bank_file(text.encode(), "b.gift").questions if q.kind == "multiple"][0]
    assert multiple.weights is None and multiple.correct == (0, 2)


def test_template_instructions_say_word_files_with_an_answer_table_are_read():
    import python_calamine

    buffer = io.BytesIO()
    write_bank_xlsx([], buffer)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    text = " ".join(str(c) for row in book.get_sheet_by_name("Hướng dẫn").to_python() for c in row)
    assert "Tệp Word (.docx)" in text and "bảng đáp án ở cuối" in text and "Đáp án: 1-B, 2-A" in text
