import random

import pytest

from contest.attempts.drawing import Candidate, DrawError, Line, can_draw, draw_questions, shuffle_options

POOL = [Candidate(i, topic, diff) for i, topic, diff in [
    (1, 10, "easy"), (2, 10, "easy"), (3, 10, "hard"), (4, 10, "medium"), (5, 20, "easy"), (6, 20, "medium")]]


def test_draw_takes_the_count_of_each_line_without_repeats():
    drawn = draw_questions([Line(10, None, 3), Line(20, None, 2)], POOL, random.Random(1))
    assert len(drawn) == 5 and len(set(drawn)) == 5
    assert sum(1 for q in drawn if q <= 4) == 3


def test_difficulty_lines_draw_first_and_any_line_takes_the_rest():
    drawn = draw_questions([Line(10, None, 2), Line(10, "easy", 2)], POOL, random.Random(2))
    assert {1, 2} <= set(drawn) and len(set(drawn)) == 4


def test_a_blueprint_the_pool_cannot_fill_raises():
    with pytest.raises(DrawError):
        draw_questions([Line(20, "hard", 1)], POOL, random.Random(3))


def test_different_seeds_give_different_orders():
    orders = {tuple(draw_questions([Line(10, None, 4)], POOL, random.Random(seed))) for seed in range(20)}
    assert len(orders) > 1


def test_shuffled_options_keep_the_key_on_the_same_text():
    options = ["Một", "Hai", "Ba", "Bốn"]
    for seed in range(30):
        new, correct, weights = shuffle_options(options, [1, 3], [0, 50, -100, 50], "multiple", random.Random(seed))
        assert sorted(new) == sorted(options)
        assert {new[i] for i in correct} == {"Hai", "Bốn"}
        assert [weights[new.index(o)] for o in options] == [0, 50, -100, 50]


def test_true_false_options_keep_their_order():
    new, correct, _ = shuffle_options(["Đúng", "Sai"], [1], None, "true_false", random.Random(0))
    assert new == ["Đúng", "Sai"] and correct == [1]


def test_a_line_of_any_difficulty_can_draw_every_question_of_its_topic():
    assert can_draw([Line(10, None, 1)], Candidate(3, 10, "hard"))


def test_a_line_of_one_difficulty_cannot_draw_another():
    assert not can_draw([Line(10, "easy", 2)], Candidate(3, 10, "hard"))


def test_no_line_of_the_topic_cannot_draw():
    assert not can_draw([Line(20, None, 2)], Candidate(1, 10, "easy"))
