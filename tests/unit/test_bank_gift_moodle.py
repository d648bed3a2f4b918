"""The GIFT reader against what Moodle's own importer does with the same text (issue 20).

Each test is one small GIFT file of the kind Moodle's test suite and documentation use.
"""

from contest.banks.exporting import bank_gift
from contest.banks.formats import parse_bank_file


def gift(text: str, **options):
    return parse_bank_file(text.encode(), "bank.gift", **options)


def only(text: str, **options):
    bank = gift(text, **options)
    assert bank.ok, [str(e) for e in bank.errors]
    assert len(bank.questions) == 1
    return bank.questions[0]


# --- 1. text after the answer block --------------------------------------------------------------------------

def test_true_false_with_feedback_and_text_after_the_block_is_true_false():
    question = only("::Q1:: 42 is the answer.{FALSE#Wrong.#Right.####General feedback.} Really.\n")
    assert question.kind == "true_false" and question.correct == (1,)


def test_text_after_the_block_stays_in_the_stem_with_a_blank():
    question = only("Công chức phải {=tận tụy ~lơ là} phục vụ nhân dân.\n")
    assert question.text == "Công chức phải _____ phục vụ nhân dân."


def test_missing_word_question_keys_its_right_option():
    question = only("Công chức phải {~lơ là =tận tụy ~thờ ơ} phục vụ nhân dân.\n")
    assert question.options == ("lơ là", "tận tụy", "thờ ơ") and question.correct == (1,)


def test_missing_word_is_not_refused_when_skipping_unsupported():
    bank = gift("Công chức phải {=tận tụy ~lơ là} phục vụ nhân dân.\n", skip_unsupported=True)
    assert len(bank.questions) == 1 and bank.skipped == []


def test_trailing_spaces_after_the_block_add_no_blank():
    assert only("Thủ tục nào? {=Một ~Hai}   \n").text == "Thủ tục nào?"


# --- 2. format markers ---------------------------------------------------------------------------------------

def test_plain_marker_is_stripped_from_an_option():
    question = only("::Q2:: What's between orange and green?\n{\n=yellow # right; good!\n~red # wrong\n"
                    "~[plain]blue # wrong, it's yellow\n}\n")
    assert question.options == ("yellow", "red", "blue")


def test_marker_after_a_weight_is_stripped_from_the_option():
    question = only("::colours:: Which?\n{\n~%50%yellow\n~%-100%red\n~%50%off-beige\n~%-100%[plain]blue\n}\n")
    assert question.options[3] == "blue"


def test_markdown_marker_is_stripped_from_the_question_text():
    assert only("[markdown]Ai được nộp hồ sơ? {=Mọi người ~Không ai}\n").text == "Ai được nộp hồ sơ?"


def test_moodle_marker_is_stripped_from_the_general_feedback():
    assert only("Hỏi? {=Có ~Không ####[moodle]Xem Điều 7.}\n").explanation == "Xem Điều 7."


def test_html_general_feedback_becomes_plain_text():
    assert only("Hỏi? {=Có ~Không ####[html]Xem <b>Điều 7</b> &amp; 8.}\n").explanation == "Xem Điều 7 & 8."


def test_options_of_an_html_question_become_plain_text():
    question = only("[html]Chọn <i>một</i>? {=<b>Có</b> ~Không}\n")
    assert question.options == ("Có", "Không")


def test_an_unknown_bracket_word_stays_in_the_text():
    assert only("[ghi chú]Hỏi? {=Có ~Không}\n").text == "[ghi chú]Hỏi?"


# --- 3. numerical --------------------------------------------------------------------------------------------

def test_numerical_with_wrong_answer_feedback_is_refused_as_numerical():
    bank = gift("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}\n")
    assert "câu hỏi dạng số (numerical)" in bank.errors[0].message.lower()


def test_numerical_followed_by_text_is_refused_as_numerical():
    bank = gift("Số pi (ba chữ số thập phân) là {#3.141..3.142}.\n")
    assert "câu hỏi dạng số (numerical)" in bank.errors[0].message.lower()


def test_short_answer_followed_by_text_is_refused_as_short_answer():
    bank = gift("Hai cộng hai bằng {=bốn =4}.\n")
    assert "trả lời ngắn (short answer)" in bank.errors[0].message


def test_matching_is_refused_by_name():
    bank = gift("Ghép {=Canada -> Ottawa =Italy -> Rome =Japan -> Tokyo}\n")
    assert "ghép cặp (matching)" in bank.errors[0].message


def test_essay_with_only_general_feedback_is_refused_as_essay():
    bank = gift("Nêu ý kiến? {####Không có đáp án}\n")
    assert "tự luận (essay)" in bank.errors[0].message


def test_two_answer_blocks_in_one_question_are_an_error_naming_the_count():
    bank = gift("Chọn {=a ~b} và {=c ~d}\n")
    assert "2 khối đáp án" in bank.errors[0].message


# --- 4. names as codes ---------------------------------------------------------------------------------------

def test_question_name_is_the_code():
    assert only("::Q2:: What's between orange and green? {=yellow ~red}\n").code == "Q2"


def test_name_with_spaces_and_digits_is_the_code():
    assert only("// name 0-11\n::2-08 TSL::TSL is blablabla.{T}\n").code == "2-08 TSL"


def test_name_is_normalised_to_single_spaces_and_nfc():
    assert only("::  TC-02   Một  cửa ::Hỏi? {=Có ~Không}\n").code == "TC-02 Một cửa"


def test_an_id_comment_wins_over_the_name():
    assert only("// [id:G-001]\n::Một cửa::Hỏi? {=Có ~Không}\n").code == "G-001"


def test_two_questions_sharing_a_name_get_distinct_codes():
    bank = gift("::Câu 1::Hỏi một? {=Có ~Không}\n\n::Câu 1::Hỏi hai? {=Có ~Không}\n")
    assert [q.code for q in bank.questions] == ["Câu 1", "Câu 1-2"]


def test_a_shared_name_is_warned_on_the_second_question():
    bank = gift("::Câu 1::Hỏi một? {=Có ~Không}\n\n::Câu 1::Hỏi hai? {=Có ~Không}\n")
    assert [(w.number, "Câu 1" in w.message and "dòng 1" in w.message) for w in bank.warnings] == [(3, True)]


def test_a_name_never_takes_the_code_of_an_id_comment():
    bank = gift("::A-2::Hỏi một? {=Có ~Không}\n\n// [id:A-2]\nHỏi hai? {=Có ~Không}\n")
    assert bank.ok and [q.code for q in bank.questions] == ["A-2-2", "A-2"]


def test_a_long_name_is_shortened_to_a_stable_code():
    name = "Theo Nghị định 61/2018/NĐ-CP, Bộ phận Một cửa cấp xã đặt tại đâu và do ai trực tiếp quản lý hằng ngày"
    first = only(f"::{name}::Hỏi? {{=Có ~Không}}\n").code
    assert len(first) <= 80 and first == only(f"::{name}::Hỏi khác? {{=Có ~Không}}\n").code


def test_reimport_of_a_named_file_keeps_the_codes():
    text = "::TC-01::Hỏi một? {=Có ~Không}\n\n::TC-02::Hỏi hai? {=Có ~Không}\n"
    assert [q.stable_code for q in gift(text).questions] == ["TC-01", "TC-02"]


def test_escaped_colon_in_a_name_is_kept():
    assert only("::Điều 7\\: Một cửa::Hỏi? {=Có ~Không}\n").code == "Điều 7: Một cửa"


# --- also check ----------------------------------------------------------------------------------------------

def test_category_with_course_prefix_sets_the_topic_to_its_last_part():
    bank = gift("$CATEGORY: $course$/top/CCHC/Cải cách thể chế\n\nHỏi? {=Có ~Không}\n")
    assert bank.questions[0].topic == "Cải cách thể chế"


def test_category_with_system_prefix_sets_the_topic_to_its_last_part():
    bank = gift("$CATEGORY: $system$/Mặc định/Chuyển đổi số\n\nHỏi? {=Có ~Không}\n")
    assert bank.questions[0].topic == "Chuyển đổi số"


def test_escapes_are_read_in_the_stem():
    assert only("Ký tự \\~ \\= \\# \\{ \\} \\: có nghĩa gì? {=Có ~Không}\n").text == "Ký tự ~ = # { } : có nghĩa gì?"


def test_escapes_are_read_in_options():
    question = only("Which answer equals 5? {\n~ \\= 2 + 2\n= \\= 2 + 3\n~ \\= 2 + 4 }\n")
    assert question.options == ("= 2 + 2", "= 2 + 3", "= 2 + 4") and question.correct == (1,)


def test_escaped_backslash_is_one_backslash():
    question = only("Ký tự nào không phải ký tự điều khiển? {\n~ \\~ # \\~ là ký tự điều khiển.\n= \\\\ # Đúng!\n}\n")
    assert question.options == ("~", "\\")


def test_escaped_percent_is_a_percent_sign():
    assert only("Tỷ lệ 100\\% hồ sơ trực tuyến? {=Có ~Không}\n").text == "Tỷ lệ 100% hồ sơ trực tuyến?"


def test_escapes_are_read_in_the_general_feedback():
    assert only("Hỏi? {=Có ~Không ####Xem Điều 7\\: mục \\#2}\n").explanation == "Xem Điều 7: mục #2"


def test_short_true_is_true():
    assert only("The sun rises in the east.{T}\n").correct == (0,)


def test_short_false_is_false():
    assert only("Grant is buried in Grant's tomb.{F}\n").correct == (1,)


def test_true_with_one_feedback_is_true():
    assert only("Trái đất quay? {TRUE#Sai rồi}\n").correct == (0,)


def test_false_with_two_feedbacks_is_false():
    question = only("::Q1:: 42 is the Absolute Answer to everything.{\nFALSE#42 is the Ultimate Answer.#You gave "
                    "the right answer.}\n")
    assert question.kind == "true_false" and question.correct == (1,)


def test_true_false_general_feedback_is_the_explanation():
    assert only("Hỏi? {FALSE#Sai.#Đúng.####Giải thích chung.}\n").explanation == "Giải thích chung."


def test_weights_without_equals_make_a_multiple_answer_question():
    question = only("What two people are entombed in Grant's tomb? {\n~%-50%No one\n~%50%Grant\n~%50%Grant's wife\n"
                    "~%-50%Grant's father }\n")
    assert question.kind == "multiple" and question.correct == (1, 2)


def test_negative_weights_are_kept():
    question = only("Which? {\n~%100%yellow # right\n~%-50%red # wrong\n~%-50%blue # wrong\n}\n")
    assert question.weights == (100.0, -50.0, -50.0) and question.correct == (0,)


def test_decimal_weights_are_read():
    question = only("Chọn? {~%33.33333%A ~%33.33333%B ~%33.33334%C ~%-100%D}\n")
    assert question.weights == (33.33333, 33.33333, 33.33334, -100.0)


def test_partial_weight_in_a_single_answer_question_is_dropped_with_a_warning():
    bank = gift("Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}\n")
    assert bank.questions[0].correct == (2,) and bank.questions[0].weights is None
    assert "B (50 %)" in bank.warnings[0].message


def test_general_feedback_after_options_is_the_explanation():
    assert only("Hỏi? {\n=Có\n~Không\n#### Xem Điều 7.\n}\n").explanation == "Xem Điều 7."


def test_feedback_with_a_hash_inside_the_general_feedback_uses_the_last_separator():
    assert only("Hỏi? {=Có#Đúng ~Không#Sai####Chung}\n").options == ("Có", "Không")


def test_comment_lines_inside_a_question_are_ignored():
    question = only("// đầu\n::Q::Hỏi?\n// giữa\n{\n=Có\n// trong khối\n~Không\n}\n")
    assert question.options == ("Có", "Không") and question.text == "Hỏi?"


def test_several_blank_lines_between_questions_are_one_separator():
    bank = gift("Một? {=Có ~Không}\n\n\n\n   \nHai? {=Có ~Không}\n")
    assert [q.number for q in bank.questions] == [1, 6]


def test_crlf_line_ends_are_read():
    bank = gift("Một?\r\n{=Có\r\n~Không}\r\n\r\nHai? {=Có ~Không}\r\n")
    assert [q.text for q in bank.questions] == ["Một?", "Hai?"] and bank.questions[0].options == ("Có", "Không")


def test_byte_order_mark_is_dropped():
    bank = parse_bank_file("\ufeff$CATEGORY: $course$/top/Một cửa\n\nMột? {=Có ~Không}\n".encode(), "bank.gift")
    assert bank.questions[0].topic == "Một cửa"


def test_question_spread_over_lines_with_text_after_the_block_keeps_its_line():
    bank = gift("\n::Grant's Tomb::Grant is {\n~buried#No one\n=entombed#Right!\n~living\n} in Grant's tomb.\n")
    assert bank.questions[0].number == 2 and bank.questions[0].text == "Grant is _____ in Grant's tomb."


def test_round_trip_keeps_a_missing_word_question():
    first = only("Công chức phải {=tận tụy ~lơ là} phục vụ nhân dân.\n")
    again = gift(bank_gift([first])).questions[0]
    assert (again.text, again.options, again.correct) == (first.text, first.options, first.correct)


def test_round_trip_keeps_a_wrong_option_that_starts_like_a_weight():
    first = only("Tỷ lệ nào? {=Một nửa ~%50% dân số}\n".replace("~%50%", "~\\%50\\%"))
    again = gift(bank_gift([first])).questions[0]
    assert again.options == first.options == ("Một nửa", "%50% dân số")


def test_escaped_bracket_in_an_id_is_part_of_the_code():
    assert only("// [id:i\\]d]\nHỏi? {=Có ~Không}\n").code == "i]d"


def test_round_trip_keeps_a_code_with_a_bracket():
    first = only("::Câu [1]::Hỏi? {=Có ~Không}\n")
    assert gift(bank_gift([first])).questions[0].code == first.code == "Câu [1]"
