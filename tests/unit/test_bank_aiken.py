"""The Aiken parser, on real-looking files in tests/data."""

import unicodedata
from pathlib import Path

from contest.banks.formats import parse_bank_file

DATA = Path(__file__).resolve().parents[1] / "data"


def parse(name: str, **options):
    return parse_bank_file((DATA / name).read_bytes(), name, **options)


def aiken(text: str):
    return parse_bank_file(text.encode(), "bank.txt")


def test_bom_crlf_blank_lines_and_lower_case_labels_are_read():
    bank = parse("aiken-good.txt")
    assert bank.ok, [str(e) for e in bank.errors]
    assert bank.format == "aiken"
    assert [len(q.options) for q in bank.questions] == [3, 4, 2]
    assert bank.questions[1].options[0].startswith("Đo lường") and bank.questions[1].correct == (0,)


def test_vietnamese_answer_line_is_accepted():
    assert parse("aiken-good.txt").questions[2].correct == (0,)


def test_questions_name_the_line_where_they_start():
    assert [q.number for q in parse("aiken-good.txt").questions] == [1, 7, 15]


def test_topic_comes_from_the_option_given():
    bank = parse("aiken-good.txt", topic="Cải cách hành chính")
    assert {q.topic for q in bank.questions} == {"Cải cách hành chính"}


def test_each_broken_question_is_reported_on_its_line():
    bank = parse("aiken-broken.txt")
    lines = {e.number: e.message for e in bank.errors}
    assert "hai phương án" in lines[1]
    assert "D không có phương án" in lines[8]  # the answer line, since issue 16 item 14
    assert "Thiếu dòng đáp án" in lines[10]
    assert "lần lượt" in lines[14]
    assert "không thuộc câu hỏi nào" in lines[19]
    assert bank.questions == []


def test_nfd_text_is_stored_as_nfc():
    question = parse("aiken-nfd.txt").questions[0]
    assert unicodedata.is_normalized("NFC", question.text) and question.text == "Thủ tục hành chính là gì?"


def test_question_without_options_is_reported():
    bank = aiken("Chỉ có câu hỏi mà không có gì khác?\n")
    assert not bank.ok and "không có phương án" in bank.errors[0].message


def test_two_answer_letters_are_refused():
    bank = aiken("Hỏi?\nA. Một\nB. Hai\nANSWER: A, B\n")
    assert not bank.ok


def test_file_not_in_utf8_is_reported():
    bank = parse_bank_file("Hỏi?\nA. Một\nB. Hai\nANSWER: A\n".encode("utf-16"), "bank.txt")
    assert not bank.ok and "UTF-8" in bank.errors[0].message


def test_answer_letter_beyond_the_options_is_reported_on_the_answer_line():
    text = "Câu một?\nA. Có\nB. Không\nANSWER: A\n\nCâu hai?\nA. Một\nB. Hai\nC. Ba\nD. Bốn\nANSWER: E\n"
    bank = aiken(text)
    assert [e.number for e in bank.errors] == [11] and "dòng 6" in bank.errors[0].message


def test_unreadable_answer_is_reported_on_the_answer_line():
    bank = aiken("Hỏi?\nA. Một\nB. Hai\n\nANSWER: 1\n")
    assert [e.number for e in bank.errors] == [5]


def test_count_of_questions_in_the_file_includes_the_broken_ones():
    text = "Câu một?\nA. Có\nB. Không\nANSWER: A\n\nCâu hai?\nA. Một\nB. Hai\nANSWER: E\n"
    bank = aiken(text)
    assert (len(bank.questions), bank.found) == (1, 2)
