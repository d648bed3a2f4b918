"""The GIFT parser, on real-looking files in tests/data."""

from pathlib import Path

from contest.banks.formats import parse_bank_file

DATA = Path(__file__).resolve().parents[1] / "data"


def parse(name: str, **options):
    return parse_bank_file((DATA / name).read_bytes(), name, **options)


def gift(text: str, **options):
    return parse_bank_file(text.encode(), "bank.gift", **options)


def test_good_file_reads_codes_tags_categories_and_feedback():
    bank = parse("gift-good.gift")
    assert bank.ok, [str(e) for e in bank.errors]
    first, second, third, fourth = bank.questions
    assert (first.code, first.difficulty, first.topic) == ("G-001", "easy", "Cải cách thủ tục hành chính")
    assert first.correct == (0,) and first.options[1] == "Nhà văn hóa tổ dân phố"
    assert first.explanation == "Xem Điều 7 Nghị định số 61/2018/NĐ-CP."
    assert third.topic == "Chuyển đổi số" and third.kind == "true_false" and third.correct == (1,)
    assert fourth.text.startswith("Ký tự đặc biệt { } ~ = # :")


def test_weights_without_equals_make_a_multiple_answer_question():
    question = parse("gift-good.gift").questions[1]
    assert question.kind == "multiple" and question.correct == (0, 1)
    assert question.weights == (50.0, 50.0, -100.0)
    assert question.source == "Nghị định số 45/2020/NĐ-CP" and question.difficulty == "hard"


def test_html_text_is_read_as_plain_text():
    assert parse("gift-good.gift").questions[1].text == "Những kênh nào được dùng để nộp hồ sơ?"


def test_each_broken_question_is_reported_on_its_line():
    bank = parse("gift-broken.gift")
    lines = {e.number: e.message for e in bank.errors}
    assert "không có “}” đóng" in lines[3]
    assert "hai phương án" in lines[7]
    assert "thiếu đáp án" in lines[9].lower()
    assert "trống" in lines[11]
    assert "“}” không có “{”" in lines[13]


def test_unsupported_kinds_are_errors_naming_line_and_kind():
    bank = parse("gift-unsupported.gift")
    kinds = {e.number: e.message for e in bank.errors}
    assert "trả lời ngắn" in kinds[5] and "số (numerical)" in kinds[7] and "ghép cặp" in kinds[9]
    assert "tự luận" in kinds[11] and "mô tả" in kinds[13]
    assert 15 not in kinds  # missing word is a way of writing multiple choice, read since issue 20


def test_skip_unsupported_keeps_the_rest_and_lists_what_was_skipped():
    bank = parse("gift-unsupported.gift", skip_unsupported=True)
    assert bank.ok
    assert [q.kind for q in bank.questions] == ["single", "single", "true_false"]
    assert [s.number for s in bank.skipped] == [5, 7, 9, 11, 13]
    assert all("Đã bỏ qua" in w.message for w in bank.warnings)


def test_category_slash_written_double_stays_in_the_topic():
    bank = gift("$CATEGORY: $course$/top/Một cửa // liên thông\n\nHỏi? {=Có ~Không}\n")
    assert bank.questions[0].topic == "Một cửa / liên thông"


def test_several_right_answers_in_single_choice_are_refused():
    assert not gift("Hỏi? {=Một =Hai ~Ba}\n").ok


def test_true_false_with_feedback_reads():
    question = gift("Trái đất quay? {TRUE#Đúng rồi#Sai rồi}\n").questions[0]
    assert question.kind == "true_false" and question.correct == (0,) and question.options == ("Đúng", "Sai")


def test_unclosed_name_is_reported():
    bank = gift("::Tên chưa đóng Hỏi? {=Có ~Không}\n")
    assert not bank.ok and "::" in bank.errors[0].message


def test_gift_in_a_txt_file_is_recognised():
    bank = parse_bank_file("Hỏi? {=Có ~Không}\n".encode(), "moodle.txt")
    assert bank.format == "gift" and bank.ok


def test_aiken_text_with_braces_is_not_taken_for_gift():
    bank = parse_bank_file("Ký hiệu {x} nghĩa là gì?\nA. Biến\nB. Hằng\nANSWER: A\n".encode(), "bank.txt")
    assert bank.format == "aiken" and bank.ok
