"""The Word (.docx) parser, on documents in tests/data written as ward staff write them."""

from pathlib import Path

from contest.banks.formats import parse_bank_file

DATA = Path(__file__).resolve().parents[1] / "data"


def parse(name: str, **options):
    return parse_bank_file((DATA / name).read_bytes(), name, **options)


def by_number(name: str):
    return {q.number: q for q in parse(name).questions}


def test_good_document_reads_every_question():
    bank = parse("word-good.docx")
    assert bank.ok, [str(e) for e in bank.errors]
    assert sorted(q.number for q in bank.questions) == [1, 2, 3, 4, 5, 6, 7]


def test_bold_option_is_the_key():
    assert by_number("word-good.docx")[1].correct == (1,)


def test_underlined_option_is_the_key():
    assert by_number("word-good.docx")[2].correct == (0,)


def test_highlighted_options_on_one_line_are_a_multiple_answer_key():
    question = by_number("word-good.docx")[3]
    assert question.options == ("Trực tiếp", "Trực tuyến", "Nhờ người quen")
    assert question.kind == "multiple" and question.correct == (0, 1)


def test_coloured_option_after_a_line_break_is_the_key():
    question = by_number("word-good.docx")[4]
    assert question.options == ("Bộ Công an", "Bộ Tư pháp") and question.correct == (0,)


def test_answer_line_explanation_and_source_are_read():
    question = by_number("word-good.docx")[5]
    assert question.correct == (1,)
    assert question.explanation == "Người dân không phải đến cơ quan nhà nước."
    assert question.source == "Nghị định số 42/2022/NĐ-CP"


def test_headings_set_the_topic():
    questions = by_number("word-good.docx")
    assert questions[1].topic == "Cải cách thủ tục hành chính" and questions[4].topic == "Chuyển đổi số"


def test_table_with_one_question_per_row_reads_answer_column_or_bold_cell():
    questions = by_number("word-good.docx")
    assert questions[6].correct == (0,) and questions[6].options[0] == "Luật Tổ chức chính quyền địa phương"
    assert questions[7].correct == (1,)


def test_plain_numbers_and_lower_case_labels_are_read():
    questions = by_number("word-numbered.docx")
    assert questions[1].correct == (1,) and questions[2].correct == (0,)


def test_each_broken_question_is_reported_by_its_number():
    bank = parse("word-broken.docx")
    assert all(e.where == "question" for e in bank.errors)
    problems = {e.number: e.message for e in bank.errors}
    assert "hai phương án" in problems[1]
    assert "E không có phương án" in problems[2]
    assert "Thiếu đáp án" in problems[3] and "in đậm" in problems[3]
    assert "trống" in problems[4]
    assert "Mọi phương án đều được đánh dấu" in problems[5]
    assert bank.questions == []


def test_a_file_that_is_not_docx_is_a_report_not_a_crash():
    bank = parse_bank_file(b"{\\rtf1 old word}", "bank.docx")
    assert not bank.ok and "Word" in bank.errors[0].message
