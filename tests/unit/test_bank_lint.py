"""The item-writing lint: each rule fires on its flaw and stays quiet on a sound item (small hand-made banks)."""

import ast
from pathlib import Path

import pytest

from contest.banks.lint import ERROR, WARNING, LintThresholds, bank_balance, lint_questions
from contest.banks.parsing import build_question

SOUND = ("Thủ tục hành chính được công khai ở đâu?",
         ["Tại nơi tiếp nhận hồ sơ", "Tại nhà văn hóa tổ dân phố", "Tại trụ sở công an", "Tại bưu điện văn hóa xã"])


def question(text=SOUND[0], options=None, answer="A", kind=None, code="Q-1", line=3, source="Luật X, Điều 1"):
    built, problems = build_question(code=code, topic="Chủ đề", kind=kind, text=text,
                                     options=list(SOUND[1] if options is None else options), answer=answer,
                                     source=source, where="line", number=line)
    assert built is not None, problems
    return built


def rules(questions, **thresholds):
    report = lint_questions(questions, LintThresholds(**thresholds))
    return [(f.rule, f.code) for f in report.findings]


def test_sound_question_has_no_finding():
    assert rules([question()]) == []


@pytest.mark.parametrize("module", ["lint.py", "coverage.py"])
def test_lint_and_coverage_modules_import_nothing_from_flask_or_the_database(module):
    tree = ast.parse((Path(__file__).resolve().parents[2] / "contest/banks" / module).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m.split(".")[0] in ("flask", "sqlalchemy", "werkzeug")
                or m in ("contest.extensions", "contest.database")}


# ---- long key

def test_key_much_longer_than_every_distractor_is_flagged():
    options = ["Tiếp nhận, kiểm tra hồ sơ và trả kết quả giải quyết thủ tục hành chính cho người dân",
               "Thu thuế", "Cấp vốn", "Xử phạt"]
    assert rules([question(options=options)]) == [("long-key", "Q-1")]


def test_key_of_similar_length_is_not_flagged_as_long():
    assert rules([question(options=["10 năm", "5 năm", "3 năm", "2 năm"])]) == []


def test_long_key_finding_names_the_line_of_the_question():
    options = ["Tiếp nhận, kiểm tra hồ sơ và trả kết quả giải quyết thủ tục hành chính", "Thu thuế", "Cấp vốn"]
    [finding] = lint_questions([question(options=options, line=42)]).findings
    assert str(finding).startswith("Dòng 42 (Q-1): ") and finding.severity == WARNING


# ---- absolute words

def test_absolute_word_in_a_distractor_only_is_flagged():
    options = ["Tại nơi tiếp nhận hồ sơ", "Chỉ trên báo in của tỉnh", "Tại trụ sở công an", "Tại bưu điện"]
    assert rules([question(options=options)]) == [("absolute-word", "Q-1")]


def test_absolute_word_also_in_the_key_is_not_flagged():
    options = ["Chỉ tại nơi tiếp nhận hồ sơ", "Chỉ trên báo in của tỉnh", "Tại trụ sở công an", "Tại bưu điện"]
    assert rules([question(options=options)]) == []


def test_chi_as_part_of_chi_dao_or_chi_so_is_not_an_absolute_word():
    options = ["Tại nơi tiếp nhận hồ sơ", "Trong chỉ đạo điều hành", "Theo chỉ số PAPI", "Ở địa chỉ thư điện tử"]
    assert rules([question(options=options)]) == []


# ---- all / none of the above

def test_option_pointing_at_options_above_is_an_error():
    options = ["Tại nơi tiếp nhận hồ sơ", "Trên cổng dịch vụ công", "Trên trang thông tin điện tử",
               "Tất cả các ý trên"]
    report = lint_questions([question(options=options, answer="D")])
    assert [(f.rule, f.severity) for f in report.findings] == [("all-none", ERROR)] and not report.ok


def test_option_naming_other_options_by_letter_is_an_error():
    options = ["Tại nơi tiếp nhận hồ sơ", "Trên cổng dịch vụ công", "Trên trang thông tin", "Cả A, B và C"]
    assert [f.severity for f in lint_questions([question(options=options, answer="D")]).findings] == [ERROR]


def test_none_of_them_is_a_warning():
    options = ["Tại nơi tiếp nhận hồ sơ", "Trên cổng dịch vụ công", "Trên trang thông tin",
               "Không có phương án nào đúng"]
    report = lint_questions([question(options=options)])
    assert [(f.rule, f.severity) for f in report.findings] == [("all-none", WARNING)]


def test_option_with_the_word_tren_in_its_content_is_not_all_of_the_above():
    options = ["Trên Cổng Dịch vụ công quốc gia", "Tại nơi tiếp nhận", "Tại trụ sở công an", "Tại bưu điện"]
    assert rules([question(options=options)]) == []


# ---- negative stems

def test_negative_stem_in_lower_case_is_flagged():
    text = "Nội dung nào sau đây không thuộc Chương trình tổng thể cải cách hành chính?"
    assert rules([question(text=text)]) == [("negative-stem", "Q-1")]


def test_negative_stem_in_capitals_is_not_flagged():
    text = "Nội dung nào sau đây KHÔNG thuộc Chương trình tổng thể cải cách hành chính?"
    assert rules([question(text=text)]) == []


def test_sai_asked_for_in_lower_case_is_flagged():
    assert rules([question(text="Nhận định nào sau đây là sai?")]) == [("negative-stem", "Q-1")]


def test_khong_inside_a_term_is_not_a_negative_stem():
    text = "Thủ tục hành chính không phụ thuộc vào địa giới hành chính được thực hiện ở đâu?"
    assert rules([question(text=text)]) == []


# ---- missing source, all options correct

def test_question_without_source_is_flagged():
    assert rules([question(source=None)]) == [("no-source", "Q-1")]


def test_multiple_answer_question_with_every_option_correct_is_flagged():
    assert rules([question(kind="multiple", answer="A, B, C, D")]) == [("all-correct", "Q-1")]


# ---- leaks across questions

def test_stem_carrying_another_questions_key_is_flagged_on_the_stem():
    asks = question(text="Chương trình tổng thể xác định bao nhiêu nội dung cải cách?", code="P",
                    options=["4 nội dung", "5 nội dung", "6 nội dung", "7 nội dung"], answer="C")
    tells = question(text="Trong 6 nội dung cải cách, nội dung nào gắn với một cửa?", code="Q", line=20)
    assert ("leak", "Q") in rules([asks, tells])


def test_option_carrying_another_questions_key_document_number_is_flagged():
    asks = question(text="Văn bản nào quy định cơ chế một cửa, một cửa liên thông hiện hành?", code="P",
                    options=["Nghị định số 118/2025/NĐ-CP", "Nghị định số 61/2018/NĐ-CP", "Nghị định số 63/2010/NĐ-CP",
                             "Nghị định số 92/2017/NĐ-CP"])
    tells = question(text="Văn bản nào quy định về Cổng Dịch vụ công quốc gia?", code="Q", line=20,
                     options=["Nghị định 118/2025/NĐ-CP", "Luật Đất đai", "Luật Đầu tư", "Luật Xây dựng"])
    assert ("leak", "Q") in rules([asks, tells])


def test_phrase_shared_with_the_key_and_a_distractor_is_no_leak():
    asks = question(text="Chương trình tổng thể xác định bao nhiêu nội dung cải cách?", code="P",
                    options=["4 nội dung", "5 nội dung", "6 nội dung", "7 nội dung"], answer="C")
    other = question(text="Có 5 nội dung hay 4 nội dung trong văn bản X?", code="Q", line=20)
    assert rules([asks, other]) == []


def test_unrelated_questions_do_not_leak():
    asks = question(text="Chương trình tổng thể xác định bao nhiêu nội dung cải cách?", code="P",
                    options=["4 nội dung", "5 nội dung", "6 nội dung", "7 nội dung"], answer="C")
    assert rules([asks, question(code="Q", line=20)]) == []


# ---- near duplicates

def test_near_duplicate_question_is_flagged_on_the_later_one():
    first = question(code="P")
    second = question(text="Thủ tục hành chính được công khai tại đâu?", code="Q", line=20)
    assert ("near-duplicate", "Q") in rules([first, second])


def test_different_questions_on_one_topic_are_not_near_duplicates():
    first = question(code="P")
    second = question(text="Ai chịu trách nhiệm công khai thủ tục hành chính tại phường?", code="Q", line=20,
                      options=["Chủ tịch Ủy ban nhân dân phường", "Trưởng công an phường", "Tổ trưởng dân phố",
                               "Bí thư chi bộ"])
    assert rules([first, second]) == []


# ---- the bank as a whole

def singles(keys, options=("Một", "Hai", "Mười", "Tám")):
    return [question(text=f"Câu hỏi thứ {i} về nội dung riêng số {i}?", options=list(options), answer=key,
                     code=f"S-{i}", line=i) for i, key in enumerate(keys, start=1)]


def test_key_always_in_one_position_is_flagged_for_the_bank():
    assert ("key-position", None) in rules(singles("AAAAAAAB"))


def test_keys_spread_over_positions_are_not_flagged():
    assert rules(singles("ABCDABCD")) == []


def test_longest_option_key_share_above_threshold_is_flagged():
    # Keys A ("Một") and D ("Bốn") tie with B ("Hai") as the longest options: 6 of 8 = 75 %.
    bank = singles("ABCDABCD", options=("Một", "Hai", "Ba", "Bốn"))
    assert bank_balance(bank).longest_keys == 6
    assert rules(bank) == [("longest-key", None)]


def test_longest_option_key_share_at_chance_is_not_flagged():
    # Only C ("Mười") is the longest: 2 of 8 = 25 %.
    assert bank_balance(singles("ABCDABCD")).longest_keys == 2


def test_longest_option_key_share_is_quiet_when_options_share_one_length():
    assert bank_balance(singles("ABCDABCD", options=("Một", "Hai", "Bảy", "Tám"))).longest_keys == 0


def true_false(keys):
    return [question(text=f"Nhận định số {i} về một quy định riêng là đúng?", options=["Đúng", "Sai"], answer=key,
                     kind="true_false", code=f"T-{i}", line=i) for i, key in enumerate(keys, start=1)]


def test_true_false_keys_mostly_true_are_flagged():
    assert rules(true_false("AAAAAAAB")) == [("true-false", None)]


def test_true_false_keys_half_true_are_not_flagged():
    assert rules(true_false("ABABABAB")) == []


def multiples(keys):
    return [question(text=f"Những nội dung nào thuộc quy định riêng số {i}?", kind="multiple", answer=key,
                     code=f"M-{i}", line=i) for i, key in enumerate(keys, start=1)]


def test_one_multiple_answer_pattern_dominating_is_flagged():
    # The hand-made questions share their options: only the pattern rule is under test here.
    found = rules(multiples(["A, B, C", "A, B, D", "B, C, D", "A, C"]), near_duplicate_similarity=1.01)
    assert found == [("multiple-pattern", None)]


def test_varied_multiple_answer_patterns_are_not_flagged():
    assert rules(multiples(["A, B, C", "A, B", "B, D", "A, C, D"]), near_duplicate_similarity=1.01) == []


def test_bank_balance_is_not_judged_on_too_few_questions():
    assert rules(singles("AAA")) == []


def test_two_plain_words_of_a_key_found_across_word_boundaries_are_no_leak():
    asks = question(text="Tỉnh nào được hợp nhất vào tỉnh Ninh Bình năm 2025?", code="P",
                    options=["Nam Định", "Thái Bình", "Thanh Hóa", "Hưng Yên"])
    other = question(text="Giấy chứng nhận căn cước cấp cho ai?", code="Q", line=20,
                     options=["Công dân Việt Nam định cư ở nước ngoài", "Người gốc Việt Nam chưa có quốc tịch",
                              "Người nước ngoài", "Trẻ em"])
    assert rules([asks, other]) == []
