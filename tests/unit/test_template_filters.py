"""The template filters for scores and durations (one definition each, used by every page)."""

import pytest

from contest.main.filters import vn_clock, vn_duration, vn_score


@pytest.mark.parametrize(("value", "text"), [(18, "18"), (17.5, "17,50"), (1234, "1.234"), (0.25, "0,25"),
                                             (None, "")])
def test_a_score_shows_decimals_only_when_it_has_them(value, text):
    assert vn_score(value) == text


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (59.9, "0:59"), (125.7, "2:05"), (3600, "60:00")])
def test_a_clock_duration_is_minutes_and_whole_seconds(seconds, text):
    assert vn_clock(seconds) == text


@pytest.mark.parametrize(("seconds", "digits", "text"), [(125.25, 0, "2 phút 5 giây"), (125.25, 1, "2 phút 5,2 giây"),
                                                         (125.0, 1, "2 phút 5 giây"), (59.4, 0, "0 phút 59 giây")])
def test_a_duration_in_words_has_minutes_and_seconds(seconds, digits, text):
    assert vn_duration(seconds, digits) == text
