"""Vietnamese alphabetical order, numbers by value: one sort key for every list people read."""

import csv
import unicodedata
from pathlib import Path

import contest.demo
from contest.collation import name_sort_key, sort_key

WARD_UNITS = Path(contest.demo.__file__).parent / "don-vi-phuong-mau.csv"


def ordered(*names):
    return sorted(names, key=sort_key)


def test_numbers_compare_by_value():
    assert ordered("Tổ dân phố số 10", "Tổ dân phố số 2", "Tổ dân phố số 1") == \
        ["Tổ dân phố số 1", "Tổ dân phố số 2", "Tổ dân phố số 10"]


def test_o_with_circumflex_comes_before_r():
    assert ordered("Trung tâm", "Trường", "Trạm", "Tổ") == ["Tổ", "Trạm", "Trung tâm", "Trường"]


def test_u_with_hook_sorts_as_u_before_v():
    assert ordered("Văn phòng", "Ủy ban") == ["Ủy ban", "Văn phòng"]


def test_topics_follow_the_alphabet_letter_by_letter():
    assert ordered("Chính quyền số", "Chế độ công vụ", "Chỉ đạo điều hành", "Cải cách thể chế") == \
        ["Cải cách thể chế", "Chế độ công vụ", "Chỉ đạo điều hành", "Chính quyền số"]


def test_d_with_stroke_comes_after_d_and_before_e():
    assert ordered("Vũ Đức Thắng", "Đỗ Thị Hoa", "Dương Văn Em", "Ê") == \
        ["Dương Văn Em", "Đỗ Thị Hoa", "Ê", "Vũ Đức Thắng"]


def test_breve_and_circumflex_letters_follow_a():
    assert ordered("ân", "ăn", "an", "bê") == ["an", "ăn", "ân", "bê"]


def test_tone_marks_only_break_ties_in_dictionary_order():
    assert ordered("ạ", "á", "ã", "ả", "à", "a") == ["a", "à", "ả", "ã", "á", "ạ"]
    assert ordered("mà b", "ma c") == ["mà b", "ma c"]


def test_a_shorter_word_comes_first():
    assert ordered("Tổng", "Tổ dân phố") == ["Tổ dân phố", "Tổng"]


def test_case_does_not_change_the_order_of_letters():
    assert ordered("an bình", "An Bình", "Ánh")[-1] == "Ánh"


def test_nfc_and_nfd_sort_alike():
    text = "Trường THCS An Bình"
    assert sort_key(unicodedata.normalize("NFD", text))[:3] == sort_key(text)[:3]


def test_the_sample_ward_units_in_vietnamese_order():
    with WARD_UNITS.open(encoding="utf-8") as fh:
        names = [row["Tên đơn vị"] for row in csv.DictReader(fh)]
    expected = ["Phòng Kinh tế – Hạ tầng – Đô thị", "Phòng Văn hóa – Xã hội"] + \
        [f"Tổ dân phố số {n}" for n in range(1, 15)] + \
        ["Trạm Y tế phường An Bình", "Trung tâm Phục vụ hành chính công phường",
         "Trung tâm Văn hóa – Thông tin và Thể thao phường", "Trường THCS An Bình",
         "Ủy ban Mặt trận Tổ quốc Việt Nam phường", "Văn phòng HĐND và UBND phường"]
    assert sorted(names, key=sort_key) == expected


def test_people_sort_by_given_name_then_whole_name():
    people = ["Vũ Đức Thắng", "Đỗ Thị Hoa", "Nguyễn Văn An", "Trần Thị Hoa"]
    assert sorted(people, key=name_sort_key) == ["Nguyễn Văn An", "Đỗ Thị Hoa", "Trần Thị Hoa", "Vũ Đức Thắng"]


def test_missing_text_sorts_first():
    assert ordered("B", None, "")[:2] in ([None, ""], ["", None])
