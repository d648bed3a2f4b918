"""The rule that finds topic names nearly matching (contest/banks/topics.py)."""

import pytest

from contest.banks.topics import near_topic_warnings, topic_likeness

DEFAULT_TOPICS = ["Chỉ đạo, điều hành CCHC", "Cải cách chế độ công vụ", "Cải cách thể chế",
                  "Cải cách thủ tục hành chính", "Cải cách tài chính công",
                  "Cải cách tổ chức bộ máy hành chính nhà nước",
                  "Xây dựng, phát triển Chính phủ điện tử, Chính phủ số"]


def test_a_name_inside_a_longer_one_nearly_matches():
    assert topic_likeness("Chế độ công vụ", "Cải cách chế độ công vụ") == "contained"


@pytest.mark.parametrize("variant", ["che do cong vu", "CHẾ ĐỘ CÔNG VỤ", "chế  độ Công Vụ", "Chế độ, công vụ"])
def test_accent_case_spacing_and_punctuation_variants_nearly_match(variant):
    assert topic_likeness(variant, "Chế độ công vụ") == "variant"


def test_a_typo_nearly_matches():
    assert topic_likeness("Cải cách thủ tục hành chánh", "Cải cách thủ tục hành chính") == "similar"


def test_the_same_name_is_not_a_near_match():
    assert topic_likeness("Cải cách thể chế", " Cải cách thể chế ") is None


def test_one_word_inside_a_longer_name_is_not_a_near_match():
    assert topic_likeness("Công", "Cải cách tài chính công") is None


def test_unrelated_names_do_not_nearly_match():
    assert topic_likeness("Chính quyền số", "Cải cách chế độ công vụ") is None


def test_the_default_bank_topics_never_nearly_match_each_other():
    assert near_topic_warnings(DEFAULT_TOPICS, []) == []


def test_a_new_topic_near_an_existing_one_is_warned_about():
    [warning] = near_topic_warnings(["Chế độ công vụ"], DEFAULT_TOPICS)
    assert "“Chế độ công vụ” gần giống chủ đề đã có “Cải cách chế độ công vụ”" in warning


def test_a_topic_that_already_exists_is_not_warned_about():
    assert near_topic_warnings(DEFAULT_TOPICS, DEFAULT_TOPICS + ["Chế độ công vụ"]) == []


def test_an_accent_variant_of_an_existing_topic_says_it_is_filed_under_it():
    [warning] = near_topic_warnings(["cai cach the che"], DEFAULT_TOPICS)
    assert "xếp chung" in warning and "“Cải cách thể chế”" in warning


def test_two_near_names_in_one_file_are_warned_about():
    [warning] = near_topic_warnings(["Chế độ công vụ", "Cải cách chế độ công vụ"], [])
    assert "cũng có trong tệp" in warning
