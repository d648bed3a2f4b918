"""Score bands, unit × topic rates and training needs of the survey reports."""

import pytest

from contest.surveys.figures import (
    ALL,
    Rate,
    band_counts,
    heat_colour,
    score_band,
    topic_rates,
    training_needs,
)


@pytest.mark.parametrize(("score", "band"), [(20, "full"), (19, "high"), (15, "high"), (14.9, "middle"),
                                              (5, "middle"), (4.9, "low"), (0, "low")])
def test_score_bands_follow_the_survey_thresholds(score, band):
    assert score_band(score, 20) == band


def test_band_counts_per_unit_and_for_everybody():
    counts = band_counts([(1, 20, 20), (1, 3, 20), (2, 16, 20), (None, 10, 20)])
    assert counts[1] == {"full": 1, "high": 0, "middle": 0, "low": 1}
    assert counts[2]["high"] == 1
    assert counts[ALL] == {"full": 1, "high": 1, "middle": 1, "low": 1}


def test_topic_rates_divide_marks_obtained_by_marks_possible():
    rates = topic_rates([(1, 10, 1, 1), (1, 10, 0, 1), (1, 11, 0.5, 1), (2, 10, 1, 1)])
    assert rates[1][10].value == pytest.approx(0.5) and rates[1][10].answers == 2
    assert rates[1][11].value == pytest.approx(0.5)
    assert rates[ALL][10].value == pytest.approx(2 / 3)


def test_training_needs_are_the_weakest_topics_under_the_threshold_weakest_first():
    unit = {1: Rate(3, 10, 10), 2: Rate(8, 10, 10), 3: Rate(1, 10, 10), 4: Rate(6, 10, 10), 5: Rate(7, 10, 10)}
    overall = {k: Rate(5, 10, 10) for k in unit}
    needs = training_needs(unit, overall, limit=3)
    assert [n.topic_id for n in needs] == [3, 1, 4]
    assert needs[0].rate == pytest.approx(0.1) and needs[0].overall == pytest.approx(0.5)


def test_a_unit_strong_in_every_topic_has_no_training_needs():
    assert training_needs({1: Rate(9, 10, 10)}, {1: Rate(9, 10, 10)}) == []


def test_heat_colour_runs_from_red_to_green():
    assert heat_colour(0.0) == "hsl(0, 70%, 82%)"
    assert heat_colour(1.0) == "hsl(120, 70%, 82%)"
    assert heat_colour(None) == "#f1f1f1"
