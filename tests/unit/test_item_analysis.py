"""Item analysis against figures worked out by hand on small crafted data (Moodle's definitions), computed
for every item at once from DataFrames."""

import math

import pandas as pd
import pytest

from contest.surveys.item_analysis import item_statistics, item_stats, option_shares


def analyse(table: dict[int, dict[str, float]], chosen: dict[tuple[int, str], tuple[str, ...]] | None = None,
            options: dict[str, list[str]] | None = None):
    """Rows of {respondent: {item: score}} as 1-point responses; chosen defaults to "A" when right, "B" when not.
    Each distinct choice gets its own code, as the service codes the options chosen."""
    chosen = chosen or {}
    rows, codes = [], {}
    for person, items in table.items():
        for item, score in items.items():
            picked = chosen.get((person, item), ("A",) if score else ("B",))
            rows.append((person, item, float(score), 1.0, codes.setdefault(picked, len(codes))))
    responses = pd.DataFrame(rows, columns=["respondent", "item", "score", "max_score", "choice"])
    choices = pd.DataFrame([(code, option) for picked, code in codes.items() for option in picked],
                           columns=["choice", "option"])
    answered = responses["choice"].map({code: bool(picked) for picked, code in codes.items()}).to_numpy()
    stats = item_statistics(responses, answered)
    return {s.item: s for s in item_stats(stats, option_shares(responses, choices, options))}


# Four people, three 1-point items.  Totals 3, 2, 1, 0.
FOUR = {1: {"i1": 1, "i2": 1, "i3": 1}, 2: {"i1": 1, "i2": 0, "i3": 1},
        3: {"i1": 0, "i2": 1, "i3": 0}, 4: {"i1": 0, "i2": 0, "i3": 0}}


def test_facility_is_the_mean_share_of_the_marks_in_percent():
    responses = pd.DataFrame({"respondent": [1, 2, 3, 4], "item": [7, 7, 7, 7], "score": [1, 0.5, 0, 0],
                              "max_score": [1, 1, 1, 1]})
    assert item_statistics(responses)["facility"][0] == pytest.approx(37.5)


def test_facility_counts_marks_against_each_items_own_maximum():
    responses = pd.DataFrame({"respondent": [1, 2], "item": [7, 7], "score": [2, 1], "max_score": [2, 4]})
    assert item_statistics(responses)["facility"][0] == pytest.approx(100 * (1 + 0.25) / 2)


def test_discrimination_of_an_item_that_tracks_the_rest_of_the_test():
    # item i1: x = (1, 1, 0, 0), rest = (2, 1, 1, 0); C = 1/3, V(x) = 1/3, V(X) = 2/3 → 100/√2
    stats = analyse(FOUR)["i1"]
    assert stats.discrimination == pytest.approx(100 / math.sqrt(2))
    assert stats.facility == pytest.approx(50.0)
    assert stats.flags == ()


def test_discrimination_is_zero_when_the_item_is_unrelated_to_the_rest():
    # item i2: x = (1, 0, 1, 0), rest = (2, 2, 0, 0): the deviations cancel, C = 0
    assert analyse(FOUR)["i2"].discrimination == pytest.approx(0.0)


def test_discrimination_uses_the_rest_of_the_test_not_the_total():
    # i3: x = (1, 1, 0, 0), rest = (2, 1, 1, 0), as i1; against the total (3, 2, 1, 0) it would be 100 × 0.894
    assert analyse(FOUR)["i3"].discrimination == pytest.approx(100 / math.sqrt(2))


def test_negative_discrimination_is_flagged_as_a_likely_wrong_key():
    # k is right only for the person weakest on the rest: x = (0, 0, 1), rest = (2, 1, 0)
    # C = -1/2, V(x) = 1/3, V(X) = 1 → 100 × (-1/2) / √(1/3) = -50√3
    table = {1: {"k": 0, "p": 1, "q": 1}, 2: {"k": 0, "p": 1, "q": 0}, 3: {"k": 1, "p": 0, "q": 0}}
    stats = analyse(table)["k"]
    assert stats.discrimination == pytest.approx(-50 * math.sqrt(3))
    assert "negative_discrimination" in stats.flags


def test_an_item_everybody_gets_right_has_no_discrimination_and_is_too_easy():
    table = {1: {"e": 1, "p": 1}, 2: {"e": 1, "p": 0}, 3: {"e": 1, "p": 0}}
    stats = analyse(table)["e"]
    assert stats.facility == pytest.approx(100.0)
    assert stats.discrimination is None
    assert stats.flags == ("too_easy",)


def test_rest_of_test_without_variation_leaves_discrimination_undefined():
    # every rest score is 1 (p right for all), the item varies
    table = {1: {"i": 1, "p": 1}, 2: {"i": 0, "p": 1}, 3: {"i": 1, "p": 1}}
    assert analyse(table)["i"].discrimination is None


def test_a_single_respondent_has_a_facility_but_no_discrimination():
    stats = analyse({7: {"a": 1, "b": 0}})
    assert stats["a"].facility == pytest.approx(100.0)
    assert stats["a"].discrimination is None
    assert stats["b"].facility == pytest.approx(0.0)
    assert stats["b"].respondents == 1


def test_a_question_nobody_answered_is_too_hard_with_every_option_at_zero():
    table = {1: {"n": 0, "p": 1}, 2: {"n": 0, "p": 0}}
    chosen = {(1, "n"): (), (2, "n"): ()}
    stats = analyse(table, chosen, options={"n": ["A", "B", "C"]})["n"]
    assert stats.answered == 0
    assert stats.unanswered_share == 1.0
    assert stats.option_shares == {"A": 0.0, "B": 0.0, "C": 0.0}
    assert stats.facility == 0.0 and stats.discrimination is None
    assert stats.flags == ("too_hard",)


def test_a_question_nobody_drew_is_listed_with_its_options_at_zero():
    responses = pd.DataFrame({"respondent": [1], "item": ["i1"], "choice": [0]})
    shares = option_shares(responses, pd.DataFrame({"choice": [0], "option": ["A"]}),
                           {"i1": ["A", "B"], "never": ["X", "Y"]})
    assert list(shares[shares["item"] == "never"].itertuples(index=False, name=None)) == [("never", "X", 0.0),
                                                                                         ("never", "Y", 0.0)]


def test_option_shares_count_each_choice_over_everybody_who_drew_the_item():
    table = {1: {"x": 1}, 2: {"x": 0}, 3: {"x": 0}, 4: {"x": 0}}
    chosen = {(1, "x"): ("A",), (2, "x"): ("C",), (3, "x"): ("C",), (4, "x"): ()}
    stats = analyse(table, chosen, options={"x": ["A", "B", "C", "D"]})["x"]
    assert stats.option_shares == {"A": 0.25, "B": 0.0, "C": 0.5, "D": 0.0}
    assert stats.unanswered_share == 0.25


def test_options_seen_only_in_answers_follow_the_banks_in_order_of_first_appearance():
    table = {1: {"x": 0}, 2: {"x": 0}, 3: {"x": 1}}
    chosen = {(1, "x"): ("Cũ 2",), (2, "x"): ("Cũ 1", "Cũ 2"), (3, "x"): ("A",)}
    stats = analyse(table, chosen, options={"x": ["A", "B"]})["x"]
    assert list(stats.option_shares) == ["A", "B", "Cũ 2", "Cũ 1"]
    assert stats.option_shares["Cũ 2"] == pytest.approx(2 / 3)


def test_a_multiple_answer_choice_counts_for_each_option_chosen():
    table = {1: {"m": 1}, 2: {"m": 0}}
    chosen = {(1, "m"): ("A", "C"), (2, "m"): ("A",)}
    stats = analyse(table, chosen, options={"m": ["A", "B", "C"]})["m"]
    assert stats.option_shares == {"A": 1.0, "B": 0.0, "C": 0.5}


def test_facility_between_twenty_and_ninety_five_raises_no_flag():
    table = {p: {"m": 1 if p <= 2 else 0, "r": 1 if p == 1 else 0} for p in range(1, 5)}
    assert analyse(table)["m"].flags == ()


def test_items_come_in_order_of_first_appearance():
    table = {1: {"z": 1, "a": 0, "m": 1}, 2: {"a": 1, "z": 0, "m": 0}}
    assert list(analyse(table)) == ["z", "a", "m"]


def test_no_responses_give_no_items():
    empty = pd.DataFrame({"respondent": [], "item": [], "score": [], "max_score": []})
    assert item_statistics(empty).empty
