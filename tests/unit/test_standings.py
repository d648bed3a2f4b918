"""The tie-break chain of DESIGN.md, one step at a time, on crafted ties."""

from datetime import UTC, datetime, timedelta

import pytest

from contest.ranking.standings import (
    DEFAULT_TIE_BREAK,
    Entry,
    RoundScore,
    public_name,
    rank_overall,
    rank_participants,
    score_band,
    score_bands,
    tie_break_order,
)

T = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def entry(attempt_id, score=10.0, prediction=None, duration=600.0, finished=0, user_id=None):
    return Entry(attempt_id, user_id or attempt_id, score, prediction, duration, T + timedelta(seconds=finished))


def order(entries, actual=None):
    return [r.entry.attempt_id for r in rank_participants(entries, actual)]


def test_higher_score_ranks_first():
    assert order([entry(1, score=8), entry(2, score=9)]) == [2, 1]


def test_equal_scores_rank_by_distance_of_prediction_to_actual():
    assert order([entry(1, prediction=50), entry(2, prediction=44), entry(3, prediction=38)], actual=42) == [2, 3, 1]


def test_a_missing_prediction_ranks_after_every_prediction():
    assert order([entry(1, prediction=None, duration=1), entry(2, prediction=1000)], actual=42) == [2, 1]


def test_equal_prediction_distance_ranks_by_shorter_duration():
    assert order([entry(1, prediction=40, duration=500), entry(2, prediction=44, duration=400)], actual=42) == [2, 1]


def test_equal_duration_ranks_by_earlier_finish():
    assert order([entry(1, finished=30), entry(2, finished=10)]) == [2, 1]


def test_everything_equal_ranks_by_lower_attempt_id():
    assert order([entry(7), entry(3), entry(5)]) == [3, 5, 7]


def test_score_outweighs_every_later_step():
    assert order([entry(1, score=9, prediction=42, duration=1), entry(2, score=10, prediction=0, duration=999)],
                 actual=42) == [2, 1]


def test_without_an_actual_value_predictions_are_ignored():
    assert order([entry(1, prediction=42, duration=600), entry(2, prediction=None, duration=500)]) == [2, 1]


def test_ranks_are_consecutive_from_one():
    assert [r.rank for r in rank_participants([entry(i) for i in range(1, 6)], None)] == [1, 2, 3, 4, 5]


def test_public_name_is_full_with_consent_and_initials_without():
    assert public_name("Nguyễn Văn An", True) == "Nguyễn Văn An"
    assert public_name("Nguyễn Văn An", False) == "N. V. A."
    assert public_name("đặng thị ánh", False) == "Đ. T. Á."


def test_a_contest_may_put_duration_before_prediction():
    entries = [entry(1, prediction=42, duration=600), entry(2, prediction=0, duration=500)]
    assert order(entries, actual=42) == [1, 2]
    assert [r.entry.attempt_id for r in rank_participants(entries, 42, ("score", "duration", "prediction",
                                                                        "finished"))] == [2, 1]


def test_a_contest_may_put_finish_time_first():
    entries = [entry(1, score=10, finished=50), entry(2, score=5, finished=10)]
    assert [r.entry.attempt_id for r in rank_participants(entries, None, ("finished", "score", "prediction",
                                                                          "duration"))] == [2, 1]


def test_attempt_id_stays_last_whatever_the_order():
    entries = [entry(9), entry(4)]
    assert [r.entry.attempt_id for r in rank_participants(entries, None, ("duration", "finished", "score",
                                                                          "prediction"))] == [4, 9]


def test_a_broken_stored_order_falls_back_to_the_documented_chain():
    assert tie_break_order("score,score,duration,finished") == DEFAULT_TIE_BREAK
    assert tie_break_order(None) == DEFAULT_TIE_BREAK
    assert tie_break_order("finished, score,prediction,duration") == ("finished", "score", "prediction", "duration")


@pytest.mark.parametrize("score, band", [(20, "full"), (19, "high"), (15, "high"), (14.9, "middle"), (5, "middle"),
                                         (4.9, "low"), (0, "low")])
def test_score_bands_split_at_100_75_and_25_percent(score, band):
    assert score_band(score, 20) == band


def test_score_bands_count_every_band():
    assert score_bands([(20, 20, 3), (10, 20, 2)]) == {"full": 3, "high": 0, "middle": 2, "low": 0}


def test_whole_contest_sum_adds_rounds_then_prefers_shorter_total_time():
    rows = [RoundScore(1, 1, 8, 300, T), RoundScore(1, 2, 9, 300, T), RoundScore(2, 1, 10, 200, T),
            RoundScore(2, 2, 7, 200, T), RoundScore(3, 1, 10, 100, T)]
    ranked = rank_overall(rows, "sum")
    assert [(r.user_id, r.score) for r in ranked] == [(2, 17), (1, 17), (3, 10)]


def test_whole_contest_best_takes_each_persons_best_round():
    rows = [RoundScore(1, 1, 8, 300, T), RoundScore(1, 2, 9, 300, T), RoundScore(2, 1, 9, 200, T)]
    ranked = rank_overall(rows, "best")
    assert [(r.user_id, r.score) for r in ranked] == [(2, 9), (1, 9)]
