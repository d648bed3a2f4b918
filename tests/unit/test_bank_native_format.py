import json
import unicodedata
from pathlib import Path

from contest.banks.formats import parse_bank_file
from contest.banks.parsing import parse_letters

DATA = Path(__file__).resolve().parents[1] / "data"


def parse_text(text: str, name: str = "bank.yaml"):
    return parse_bank_file(text.encode("utf-8"), name)


def test_good_yaml_reads_every_question_with_zero_based_keys():
    bank = parse_bank_file((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
    assert bank.ok, bank.errors
    assert bank.name == "ngan-hang-thu"
    by_code = {q.code: q for q in bank.questions}
    assert by_code["T-001"].correct == (1,) and by_code["T-001"].kind == "single"
    assert by_code["T-002"].correct == (0, 2) and by_code["T-002"].kind == "multiple"
    assert by_code["T-003"].correct == (1,) and by_code["T-003"].options == ("Đúng", "Sai")
    assert by_code["T-003"].difficulty == "hard"
    assert by_code["T-004"].correct == (2,) and by_code["T-004"].difficulty == "medium"


def test_broken_yaml_reports_each_problem_on_the_line_its_question_starts():
    bank = parse_bank_file((DATA / "bank-broken.yaml").read_bytes(), "bank-broken.yaml")
    assert not bank.ok
    assert bank.questions == []
    lines = {e.number: e.message for e in bank.errors}
    assert "hai phương án" in lines[3]
    assert "E không có phương án" in lines[8]
    assert "thiếu đáp án" in lines[13].lower()
    assert "trống" in lines[17]
    assert "một đáp án" in lines[22]
    assert all(e.where == "line" for e in bank.errors)


def test_nfd_text_is_stored_as_nfc():
    nfd = unicodedata.normalize("NFD", "Cải cách thủ tục hành chính là gì?")
    bank = parse_text(f"questions:\n  - topic: Chủ đề\n    text: {nfd}\n    options: [Một, Hai]\n    answer: A\n")
    assert bank.ok
    assert unicodedata.is_normalized("NFC", bank.questions[0].text)


def test_yaml_syntax_error_names_its_line():
    bank = parse_text("questions:\n  - topic: a\n    text: [unclosed\n")
    assert not bank.ok
    assert bank.errors[0].where == "line" and bank.errors[0].number >= 3


def test_duplicate_codes_are_an_error_and_duplicate_content_a_warning():
    text = ("questions:\n"
            "  - {id: A-1, topic: t, text: 'Câu hỏi?', options: [Một, Hai], answer: A}\n"
            "  - {id: A-1, topic: t, text: 'Câu khác?', options: [Một, Hai], answer: A}\n"
            "  - {id: A-2, topic: t, text: 'Câu   hỏi?', options: [Một, Hai], answer: B}\n")
    bank = parse_text(text)
    assert any("trùng" in e.message and e.number == 3 for e in bank.errors)
    assert any("trùng nội dung" in w.message and w.number == 4 for w in bank.warnings)


def test_question_without_code_gets_a_stable_code_from_its_content():
    text = "questions:\n  - {topic: t, text: 'Câu hỏi?', options: [Một, Hai], answer: A}\n"
    first = parse_text(text).questions[0]
    second = parse_text(text.replace("Câu hỏi?", "Câu  hỏi?")).questions[0]
    assert first.stable_code == second.stable_code and first.stable_code.startswith("H-")


def test_json_with_zero_based_correct_indices_reads_like_yaml():
    document = {"bank": "b", "questions": [{"code": "J-1", "topic": "t", "kind": "multiple", "text": "Hỏi?",
                                            "options": ["A1", "B1", "C1"], "correct": [0, 2]}]}
    bank = parse_bank_file(json.dumps(document, ensure_ascii=False).encode(), "b.json")
    assert bank.ok, bank.errors
    assert bank.questions[0].correct == (0, 2)


def test_unknown_format_is_reported_not_raised():
    bank = parse_bank_file(b"whatever", "bank.pdf")
    assert not bank.ok and ".yaml" in bank.errors[0].message


def test_unquoted_yes_no_options_are_reported():
    bank = parse_text("questions:\n  - {topic: t, text: 'Hỏi?', options: [yes, no], answer: A}\n")
    assert not bank.ok and "ngoặc kép" in bank.errors[0].message


def test_weights_must_match_the_options():
    bank = parse_text("questions:\n  - {topic: t, kind: multiple, text: 'Hỏi?', options: [a, b, c], answer: 'A, B',"
                      " weights: [50, 50]}\n")
    assert not bank.ok and "trọng số" in bank.errors[0].message


def test_empty_file_has_no_questions_error():
    bank = parse_text("questions: []\n")
    assert not bank.ok


def test_answer_letters_are_read_loosely():
    assert parse_letters("a, c") == ["A", "C"]
    assert parse_letters("B.") == ["B"]
    assert parse_letters(["A", "d"]) == ["A", "D"]
    assert parse_letters("AB") is None
    assert parse_letters(3) is None


def test_check_json_shape_has_the_documented_keys():
    bank = parse_bank_file((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
    shape = bank.as_dict()
    assert set(shape) == {"ok", "format", "questions", "errors", "warnings"}
    assert set(shape["questions"][0]) == {"code", "topic", "kind", "text", "options", "correct", "weights",
                                          "difficulty", "source"}
