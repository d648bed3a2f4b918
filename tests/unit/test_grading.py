from datetime import UTC, datetime

from contest.attempts.grading import (
    FinishedAttempt,
    GradedItem,
    counting_attempt,
    score_attempt,
    score_question,
)


def item(kind="single", correct=(1,), weights=None, points=1.0, selected=None):
    return GradedItem(kind, correct, weights, points, selected)


def test_single_choice_scores_its_points_when_right():
    assert score_question(item(selected=[1], points=2)) == 2


def test_single_choice_scores_zero_when_wrong_or_blank():
    assert score_question(item(selected=[0])) == 0
    assert score_question(item(selected=None)) == 0
    assert score_question(item(selected=[])) == 0


def test_single_choice_with_two_options_chosen_scores_zero():
    assert score_question(item(selected=[0, 1])) == 0


def test_true_false_scores_like_single_choice():
    assert score_question(item(kind="true_false", correct=(0,), selected=[0])) == 1
    assert score_question(item(kind="true_false", correct=(0,), selected=[1])) == 0


def test_multiple_without_weights_is_all_or_nothing():
    assert score_question(item(kind="multiple", correct=(0, 2), selected=[0, 2])) == 1
    assert score_question(item(kind="multiple", correct=(0, 2), selected=[0])) == 0
    assert score_question(item(kind="multiple", correct=(0, 2), selected=[0, 1, 2])) == 0


def test_multiple_with_weights_adds_the_chosen_weights():
    weighted = dict(kind="multiple", correct=(0, 2), weights=[50, -100, 50, 0], points=2)
    assert score_question(item(**weighted, selected=[0])) == 1
    assert score_question(item(**weighted, selected=[0, 2])) == 2


def test_multiple_with_weights_never_goes_below_zero():
    assert score_question(item(kind="multiple", correct=(0,), weights=[50, -100, 50], selected=[0, 1])) == 0


def test_multiple_with_weights_never_exceeds_its_points():
    assert score_question(item(kind="multiple", correct=(0, 1), weights=[100, 100], selected=[0, 1])) == 1


def test_score_attempt_totals_points_and_maximum():
    total, maximum, awarded = score_attempt([item(selected=[1]), item(selected=[0]), item(points=2, selected=[1])])
    assert (total, maximum, awarded) == (3, 4, [1, 0, 2])


T = datetime(2026, 11, 21, tzinfo=UTC)


def attempt(i, number, score, duration, minute):
    return FinishedAttempt(i, number, score, duration, T.replace(minute=minute))


def test_best_counts_the_highest_score():
    chosen = counting_attempt([attempt(1, 1, 8, 300, 1), attempt(2, 2, 9, 900, 2), attempt(3, 3, 7, 100, 3)], "best")
    assert chosen.attempt_id == 2


def test_best_among_equal_scores_is_the_shorter():
    chosen = counting_attempt([attempt(1, 1, 9, 600, 1), attempt(2, 2, 9, 300, 2)], "best")
    assert chosen.attempt_id == 2


def test_first_and_last_count_by_attempt_number():
    attempts = [attempt(5, 2, 9, 1, 2), attempt(4, 1, 3, 1, 1), attempt(6, 3, 5, 1, 3)]
    assert counting_attempt(attempts, "first").attempt_id == 4
    assert counting_attempt(attempts, "last").attempt_id == 6


def test_no_attempt_counts_nothing():
    assert counting_attempt([], "best") is None
