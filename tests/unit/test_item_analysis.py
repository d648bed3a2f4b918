"""Item analysis against figures worked out by hand on small crafted data (Moodle's definitions)."""

import math

import pytest

from contest.surveys.item_analysis import (
    Response,
    analyse_items,
    discrimination_index,
    facility_index,
    sample_covariance,
    sample_variance,
)


def responses(table: dict[int, dict[str, float]], chosen: dict[tuple[int, str], tuple[str, ...]] | None = None):
    """Rows of {respondent: {item: score}} as 1-point responses; chosen defaults to "A" when right, "B" when not."""
    chosen = chosen or {}
    return [Response(person, item, score, 1.0, chosen.get((person, item), ("A",) if score else ("B",)))
            for person, items in table.items() for item, score in items.items()]


def by_item(stats):
    return {s.item: s for s in stats}


# Four people, three 1-point items.  Totals 3, 2, 1, 0.
FOUR = {1: {"i1": 1, "i2": 1, "i3": 1}, 2: {"i1": 1, "i2": 0, "i3": 1},
        3: {"i1": 0, "i2": 1, "i3": 0}, 4: {"i1": 0, "i2": 0, "i3": 0}}


def test_sample_variance_divides_by_n_minus_one():
    assert sample_variance([1, 1, 0, 0]) == pytest.approx(1 / 3)


def test_sample_covariance_divides_by_n_minus_one():
    # deviations (.5, .5, -.5, -.5) and (1, 0, 0, -1): (0.5 + 0.5) / 3
    assert sample_covariance([1, 1, 0, 0], [2, 1, 1, 0]) == pytest.approx(1 / 3)


def test_facility_is_the_mean_share_of_the_marks_in_percent():
    assert facility_index([1, 0.5, 0, 0], [1, 1, 1, 1]) == pytest.approx(37.5)


def test_discrimination_of_an_item_that_tracks_the_rest_of_the_test():
    # item i1: x = (1, 1, 0, 0), rest = (2, 1, 1, 0); C = 1/3, V(x) = 1/3, V(X) = 2/3 → 100/√2
    stats = by_item(analyse_items(responses(FOUR)))["i1"]
    assert stats.discrimination == pytest.approx(100 / math.sqrt(2))
    assert stats.facility == pytest.approx(50.0)
    assert stats.flags == ()


def test_discrimination_is_zero_when_the_item_is_unrelated_to_the_rest():
    # item i2: x = (1, 0, 1, 0), rest = (2, 2, 0, 0): the deviations cancel, C = 0
    assert by_item(analyse_items(responses(FOUR)))["i2"].discrimination == pytest.approx(0.0)


def test_negative_discrimination_is_flagged_as_a_likely_wrong_key():
    # k is right only for the person weakest on the rest: x = (0, 0, 1), rest = (2, 1, 0)
    # C = -1/2, V(x) = 1/3, V(X) = 1 → 100 × (-1/2) / √(1/3) = -50√3
    table = {1: {"k": 0, "p": 1, "q": 1}, 2: {"k": 0, "p": 1, "q": 0}, 3: {"k": 1, "p": 0, "q": 0}}
    stats = by_item(analyse_items(responses(table)))["k"]
    assert stats.discrimination == pytest.approx(-50 * math.sqrt(3))
    assert "negative_discrimination" in stats.flags


def test_an_item_everybody_gets_right_has_no_discrimination_and_is_too_easy():
    table = {1: {"e": 1, "p": 1}, 2: {"e": 1, "p": 0}, 3: {"e": 1, "p": 0}}
    stats = by_item(analyse_items(responses(table)))["e"]
    assert stats.facility == pytest.approx(100.0)
    assert stats.discrimination is None
    assert stats.flags == ("too_easy",)


def test_rest_of_test_without_variation_leaves_discrimination_undefined():
    # every rest score is 1 (p right for all), the item varies
    assert discrimination_index([1, 0, 1], [1, 1, 1]) is None


def test_a_single_respondent_has_a_facility_but_no_discrimination():
    stats = by_item(analyse_items(responses({7: {"a": 1, "b": 0}})))
    assert stats["a"].facility == pytest.approx(100.0)
    assert stats["a"].discrimination is None
    assert stats["b"].facility == pytest.approx(0.0)
    assert stats["b"].respondents == 1


def test_a_question_nobody_answered_is_too_hard_with_every_option_at_zero():
    table = {1: {"n": 0, "p": 1}, 2: {"n": 0, "p": 0}}
    chosen = {(1, "n"): (), (2, "n"): ()}
    stats = by_item(analyse_items(responses(table, chosen), options={"n": ["A", "B", "C"]}))["n"]
    assert stats.answered == 0
    assert stats.unanswered_share == 1.0
    assert stats.option_shares == {"A": 0.0, "B": 0.0, "C": 0.0}
    assert stats.facility == 0.0 and stats.discrimination is None
    assert stats.flags == ("too_hard",)


def test_a_question_nobody_drew_is_listed_without_figures():
    stats = by_item(analyse_items(responses(FOUR), items=["i1", "never"]))["never"]
    assert (stats.respondents, stats.facility, stats.discrimination, stats.flags) == (0, None, None, ())


def test_option_shares_count_each_choice_over_everybody_who_drew_the_item():
    table = {1: {"x": 1}, 2: {"x": 0}, 3: {"x": 0}, 4: {"x": 0}}
    chosen = {(1, "x"): ("A",), (2, "x"): ("C",), (3, "x"): ("C",), (4, "x"): ()}
    stats = by_item(analyse_items(responses(table, chosen), options={"x": ["A", "B", "C", "D"]}))["x"]
    assert stats.option_shares == {"A": 0.25, "B": 0.0, "C": 0.5, "D": 0.0}
    assert stats.unanswered_share == 0.25


def test_facility_between_twenty_and_ninety_five_raises_no_flag():
    table = {p: {"m": 1 if p <= 2 else 0, "r": 1 if p == 1 else 0} for p in range(1, 5)}
    assert by_item(analyse_items(responses(table)))["m"].flags == ()
