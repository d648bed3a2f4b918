"""The tie-break chain of DESIGN.md, one step at a time, on crafted ties."""

from datetime import UTC, datetime, timedelta

from contest.ranking.standings import Entry, prediction_actual, public_name, rank_participants, unit_table

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


def test_actual_value_counts_full_scores_or_participants():
    assert prediction_actual("full_score_count", [20, 19, 20, 3], 20) == 2
    assert prediction_actual("participant_count", [20, 19, 20, 3], 20) == 4
    assert prediction_actual("none", [20], 20) is None


def test_unit_table_counts_participants_and_mean_score():
    rows = unit_table([(1, 10), (1, 6), (2, 9), (None, 4)])
    assert [(r.unit_id, r.participants, r.mean_score) for r in rows] == [(1, 2, 8.0), (2, 1, 9.0), (None, 1, 4.0)]


def test_public_name_is_full_with_consent_and_initials_without():
    assert public_name("Nguyễn Văn An", True) == "Nguyễn Văn An"
    assert public_name("Nguyễn Văn An", False) == "N. V. A."
    assert public_name("đặng thị ánh", False) == "Đ. T. Á."
