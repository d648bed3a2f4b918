"""``flask demo simulate`` on a survey: simulated officials whose attempts carry graded answers."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from contest.attempts.models import Attempt, AttemptQuestion
from contest.extensions import db
from contest.surveys.service import item_report
from tests.surveys.conftest import OPEN


@pytest.fixture
def simulated(survey, make_unit, frozen_clock):
    from contest.demo.simulation import simulate_round

    make_unit()
    frozen_clock(OPEN + timedelta(days=2))
    simulate_round(survey, 300, seed=5)
    return survey


def test_each_simulated_attempt_has_the_blueprints_questions_answered(simulated):
    counts = db.session.execute(select(AttemptQuestion.attempt_id, func.count())
                                .group_by(AttemptQuestion.attempt_id)).all()
    attempts = db.session.scalar(select(func.count()).select_from(Attempt))
    assert len(counts) == attempts == 300
    assert {n for _, n in counts} == {simulated.question_count("officials")}


def test_a_simulated_score_is_the_sum_of_its_graded_answers(simulated):
    rows = db.session.execute(select(Attempt.score, Attempt.max_score, func.sum(AttemptQuestion.awarded),
                                     func.sum(AttemptQuestion.points))
                              .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
                              .group_by(Attempt.id)).all()
    assert all(score == pytest.approx(awarded) and maximum == pytest.approx(points)
               for score, maximum, awarded, points in rows)
    assert len({score for score, *_ in rows}) >= 3


def test_simulated_answers_give_items_of_different_difficulty_that_discriminate(simulated):
    stats = [row.stats for row in item_report(simulated, None)]
    assert len(stats) == 4 and all(s.respondents == 300 for s in stats)
    facilities = sorted(s.facility for s in stats)
    assert facilities[-1] - facilities[0] >= 5
    assert sum(s.discrimination for s in stats) / len(stats) > 5
    assert any(share > 0 for s in stats for option, share in s.option_shares.items()
               if s.option_shares and share < max(s.option_shares.values()))
