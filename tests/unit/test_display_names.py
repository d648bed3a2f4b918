"""Names on public pages in Vietnamese title case; the database keeps what the person typed."""

import unicodedata

from contest.names import display_name


def test_lower_case_name_is_shown_in_title_case():
    assert display_name("nguyễn văn an") == "Nguyễn Văn An"


def test_upper_case_name_is_shown_in_title_case():
    assert display_name("ĐỖ THỊ HOA") == "Đỗ Thị Hoa"


def test_extra_spaces_are_dropped():
    assert display_name("  lê   thị  mai ") == "Lê Thị Mai"


def test_a_word_typed_in_mixed_case_is_kept_as_the_person_spelled_it():
    assert display_name("h'Hen niê") == "h'Hen Niê"


def test_nfd_input_is_shown_as_nfc():
    assert display_name(unicodedata.normalize("NFD", "trần thị ửng")) == "Trần Thị Ửng"


def test_hyphenated_parts_are_each_capitalised():
    assert display_name("nguyễn lê-ánh") == "Nguyễn Lê-Ánh"


def test_empty_name_gives_nothing():
    assert display_name(None) == "" and display_name("  ") == ""
