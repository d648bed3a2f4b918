"""Score bands, unit × topic rates and training needs of the survey reports, from small hand-made rows."""

import pandas as pd
import pytest

from contest.surveys.figures import (
    ALL,
    band_table,
    bands_by_unit,
    first_attempts,
    heat_colour,
    needs_by_unit,
    rates_by_unit,
    score_bands,
    topic_table,
    weakest_topics,
    whole_topics,
)


def answers(rows):
    """(unit, topic, obtained, possible) rows as the answers frame."""
    return pd.DataFrame(rows, columns=["unit_id", "topic_id", "obtained", "possible"])


def results(rows):
    return pd.DataFrame(rows, columns=["unit_id", "score", "max_score"])


def rates(rows):
    table = topic_table(answers(rows))
    return rates_by_unit(table, whole_topics(table))


@pytest.mark.parametrize(("score", "band"), [(20, "full"), (19, "high"), (15, "high"), (14.9, "middle"),
                                              (5, "middle"), (4.9, "low"), (0, "low")])
def test_score_bands_follow_the_survey_thresholds(score, band):
    assert score_bands(results([(1, score, 20)])).tolist() == [band]


def test_a_result_without_a_maximum_is_in_the_lowest_band():
    assert score_bands(results([(1, 0, 0)])).tolist() == ["low"]


def test_band_counts_per_unit_and_for_everybody():
    counts = bands_by_unit(band_table(results([(1, 20, 20), (1, 3, 20), (2, 16, 20), (None, 10, 20)])))
    assert counts[1] == {"full": 1, "high": 0, "middle": 0, "low": 1}
    assert counts[2]["high"] == 1
    assert counts[ALL] == {"full": 1, "high": 1, "middle": 1, "low": 1}


def test_people_without_a_unit_count_in_the_whole_row_only():
    counts = bands_by_unit(band_table(results([(None, 20, 20)])))
    assert counts == {ALL: {"full": 1, "high": 0, "middle": 0, "low": 0}}


def test_no_results_give_an_empty_whole_row():
    assert bands_by_unit(band_table(results([]))) == {ALL: {"full": 0, "high": 0, "middle": 0, "low": 0}}


def test_topic_rates_divide_marks_obtained_by_marks_possible():
    table = rates([(1, 10, 1, 1), (1, 10, 0, 1), (1, 11, 0.5, 1), (2, 10, 1, 1)])
    assert table[1][10].value == pytest.approx(0.5) and table[1][10].answers == 2
    assert table[1][11].value == pytest.approx(0.5)
    assert table[ALL][10].value == pytest.approx(2 / 3) and table[ALL][10].answers == 3


def test_an_unanswered_question_scores_nothing():
    assert rates([(1, 10, None, 1), (1, 10, 1, 1)])[1][10].value == pytest.approx(0.5)


def test_answers_without_a_topic_or_a_unit_are_kept_apart():
    table = rates([(1, None, 1, 1), (None, 10, 0, 1), (1, 10, 1, 1)])
    assert table[1][None].value == 1.0
    assert set(table) == {ALL, 1}  # the answer without a unit has no line of its own
    assert table[ALL][10].answers == 2 and table[ALL][None].answers == 1


def test_a_topic_with_nothing_possible_has_no_rate():
    assert rates([(1, 10, 0, 0)])[1][10].value is None


def needs(unit_rows, overall_rows, limit=3):
    unit = pd.DataFrame(unit_rows, columns=["unit_id", "topic_id", "rate"])
    overall = pd.DataFrame(overall_rows, columns=["topic_id", "rate"])
    return weakest_topics(unit, overall, limit=limit)


def test_training_needs_are_the_weakest_topics_under_the_threshold_weakest_first():
    frame = needs([(1, 1, 0.3), (1, 2, 0.8), (1, 3, 0.1), (1, 4, 0.6), (1, 5, 0.7)],
                  [(t, 0.5) for t in range(1, 6)])
    assert list(frame["topic_id"]) == [3, 1, 4]
    assert list(frame["rank"]) == [1, 2, 3]
    assert frame["rate"][0] == pytest.approx(0.1) and frame["overall"][0] == pytest.approx(0.5)


def test_between_equal_rates_the_topic_further_below_the_overall_rate_comes_first():
    frame = needs([(1, 1, 0.5), (1, 2, 0.5)], [(1, 0.6), (2, 0.9)])
    assert list(frame["topic_id"]) == [2, 1]


def test_every_topic_tied_with_the_last_named_is_named_too():
    frame = needs([(1, 1, 0.2), (1, 2, 0.4), (1, 3, 0.5), (1, 4, 0.5), (1, 5, 0.5), (1, 6, 0.6)],
                  [(t, 0.7) for t in range(1, 7)])
    assert list(frame["topic_id"]) == [1, 2, 3, 4, 5]
    assert list(frame["rank"]) == [1, 2, 3, 4, 5]


def test_a_tie_below_the_limit_names_no_extra_topic():
    frame = needs([(1, 1, 0.2), (1, 2, 0.2), (1, 3, 0.5), (1, 4, 0.6)], [(t, 0.7) for t in range(1, 5)])
    assert list(frame["topic_id"]) == [1, 2, 3]


def test_each_unit_gets_its_own_needs():
    frame = needs([(1, 1, 0.2), (2, 1, 0.9), (2, 2, 0.1)], [(1, 0.5), (2, 0.5)])
    assert [(u, t) for u, t in zip(frame["unit_id"], frame["topic_id"], strict=True)] == [(1, 1), (2, 2)]


def test_a_unit_strong_in_every_topic_has_no_training_needs():
    assert needs([(1, 1, 0.9)], [(1, 0.9)]).empty


def test_needs_by_unit_lists_units_with_answers_and_none_for_units_without():
    table = topic_table(answers([(1, 10, 1, 4), (1, 11, 4, 4), (2, 10, 4, 4)]))
    found = needs_by_unit(table, whole_topics(table))
    assert [n.topic_id for n in found[1]] == [10]
    assert found[1][0].rate == pytest.approx(0.25) and found[1][0].overall == pytest.approx(5 / 8)
    assert found[2] == []
    assert [n.topic_id for n in found[ALL]] == [10] and 3 not in found


def test_needs_of_no_answers_at_all():
    table = topic_table(answers([]))
    assert needs_by_unit(table, whole_topics(table)) == {ALL: []}


def test_each_persons_first_finished_attempt_counts():
    frame = pd.DataFrame({"attempt_id": [5, 6, 7], "user_id": [1, 1, 2], "number": [2, 1, 1]})
    assert list(first_attempts(frame)["attempt_id"]) == [6, 7]


def test_heat_colour_runs_from_red_to_green():
    assert heat_colour(0.0) == "hsl(0, 70%, 82%)"
    assert heat_colour(1.0) == "hsl(120, 70%, 82%)"
    assert heat_colour(None) == "#f1f1f1"


def test_survey_bands_agree_with_the_announcements_score_band():
    from contest.ranking.standings import score_band

    scores = [0, 3.3, 4.9, 5, 10, 14.9, 15, 19, 19.5, 20]
    assert score_bands(results([(1, s, 20) for s in scores])).tolist() == [score_band(s, 20) for s in scores]
