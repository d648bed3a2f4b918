"""The audit export's changes as readable Vietnamese text (contest.exports.audit_text, pure)."""

from contest.exports.audit_text import changes_text, value_text


def test_a_change_reads_before_arrow_after_with_a_vietnamese_label():
    assert changes_text({"birth_date": ["1980-01-01", "1968-03-12"]}) == "Ngày sinh: 01/01/1980 → 12/03/1968"


def test_moments_are_shown_in_vietnam_time():
    assert value_text("2026-11-28T17:30:00+00:00") == "29/11/2026 00:30"


def test_booleans_and_blanks_read_as_words():
    assert changes_text({"is_published": [None, True]}) == "Công bố trên trang chủ: (trống) → Có"


def test_a_detail_that_is_not_a_change_reads_as_its_value():
    assert changes_text({"rows": 12, "units": [3, 4]}) == "Số dòng: 12; Mã các đơn vị: 3, 4"


def test_an_unknown_field_keeps_its_code():
    assert changes_text({"residents/Chủ đề/*": [2, 4]}) == "residents/Chủ đề/*: 2 → 4"


def test_no_changes_read_as_nothing():
    assert changes_text(None) == "" and changes_text({}) == ""


def test_full_width_digits_typed_by_a_person_are_shown_as_typed():
    assert value_text("２０２６-１１-２１") == "“２０２６-１１-２１”"


def test_a_date_shaped_text_that_is_no_date_is_shown_as_typed():
    assert value_text("2026-13-45") == "“2026-13-45”"
