"""``flask demo simulate``: marked simulated residents with finished attempts; real rounds refused."""

from datetime import timedelta

from sqlalchemy import func, select

from contest.accounts.models import User
from contest.attempts.models import Attempt
from contest.extensions import db
from contest.ranking.lookups import participant_count
from tests.ranking.conftest import T0


def test_simulate_creates_marked_people_and_ranked_finished_attempts(make_round, make_unit, runner, frozen_clock):
    frozen_clock(T0 + timedelta(days=2))
    make_unit()
    round_ = make_round(prediction_kind="full_score_count")
    result = runner.invoke(args=["demo", "simulate", "--round", str(round_.id), "--participants", "300",
                                 "--seed", "7"])
    assert result.exit_code == 0, result.output
    people = db.session.scalars(select(User).where(User.login.like("mo-phong-%"))).all()
    assert len(people) == 300 and all(p.is_simulated and "(mô phỏng)" in p.full_name and not p.phone
                                      for p in people)
    assert participant_count(round_, "residents") == 300
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.counts)) == 300


def test_simulated_scores_spread_and_finish_within_the_round_so_far(make_round, make_unit, frozen_clock):
    from contest.demo.simulation import simulate_round

    now = frozen_clock(T0 + timedelta(days=2))
    make_unit()
    round_ = make_round()
    simulate_round(round_, 200, seed=1)
    scores = db.session.scalars(select(Attempt.score)).all()
    assert len(set(scores)) >= 4 and max(scores) <= 8
    latest = db.session.scalar(select(func.max(Attempt.finished_at)))
    assert round_.opens_at < latest <= now


def test_simulated_people_have_no_usable_password(make_round, make_unit, frozen_clock):
    from contest.demo.simulation import simulate_round

    frozen_clock(T0 + timedelta(days=2))
    make_unit()
    simulate_round(make_round(), 1, seed=1)
    person = db.session.scalar(select(User).where(User.is_simulated))
    assert not person.check_password("!") and not person.check_password("")


def test_simulate_refuses_a_round_with_real_participants(make_round, make_user, finished_attempt, runner,
                                                         frozen_clock):
    frozen_clock(T0 + timedelta(days=2))
    round_ = make_round()
    finished_attempt(make_user(), round_, 3)
    result = runner.invoke(args=["demo", "simulate", "--round", str(round_.id), "--participants", "10"])
    assert result.exit_code != 0 and "người dự thi thật" in result.output
    assert db.session.scalar(select(func.count()).select_from(User).where(User.is_simulated)) == 0


def test_simulate_refuses_a_round_not_open_yet(make_round, runner, frozen_clock):
    frozen_clock(T0 - timedelta(days=10))
    round_ = make_round()
    result = runner.invoke(args=["demo", "simulate", "--round", str(round_.id), "--participants", "10"])
    assert result.exit_code != 0 and "chưa mở" in result.output
