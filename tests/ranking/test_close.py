"""Closing a round: automatically after its end, or by ``flask rounds close ID``; the actual value frozen."""

from datetime import timedelta

from sqlalchemy import select

from contest.attempts.models import Attempt
from contest.audit.models import AuditEntry
from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.refresh import fresh_results
from tests.ranking.conftest import AFTER_CLOSE, T0


def test_a_round_past_its_end_is_closed_on_the_next_access(make_round, make_user, finished_attempt, frozen_clock):
    round_ = make_round(prediction_kind="participant_count")
    finished_attempt(make_user(), round_, 4, prediction=1)
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    assert round_.closed_at == AFTER_CLOSE and round_.prediction_actual == 1


def test_an_automatic_close_is_recorded_in_the_audit_log_as_the_systems(make_round, frozen_clock):
    round_ = make_round()
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.close"))
    assert entry is not None and entry.target_id == str(round_.id) and entry.actor_login == "tự động"


def test_a_round_still_within_the_save_grace_is_not_closed_yet(make_round, frozen_clock):
    round_ = make_round()
    frozen_clock(round_.closes_at + timedelta(seconds=1))
    fresh_results(round_)
    assert round_.closed_at is None


def test_close_command_refuses_a_round_that_has_not_ended(make_round, runner, frozen_clock):
    frozen_clock(T0)
    round_ = make_round()
    result = runner.invoke(args=["rounds", "close", str(round_.id)])
    assert result.exit_code != 0 and "chưa kết thúc" in result.output


def test_close_command_freezes_the_actual_value(make_round, make_user, finished_attempt, runner, frozen_clock):
    round_ = make_round(prediction_kind="full_score_count")
    finished_attempt(make_user(), round_, 4, prediction=1)
    finished_attempt(make_user(), round_, 3, prediction=1)
    frozen_clock(AFTER_CLOSE)
    result = runner.invoke(args=["rounds", "close", str(round_.id)])
    assert result.exit_code == 0 and "giá trị đúng của câu dự đoán: 1" in result.output
    db.session.expire_all()
    assert db.session.get(Round, round_.id).prediction_actual == 1


def test_closing_twice_changes_nothing(make_round, runner, frozen_clock):
    round_ = make_round()
    frozen_clock(AFTER_CLOSE)
    runner.invoke(args=["rounds", "close", str(round_.id)])
    result = runner.invoke(args=["rounds", "close", str(round_.id)])
    assert result.exit_code == 0 and "Đã chốt từ trước" in result.output
    assert db.session.query(AuditEntry).filter_by(action="round.close").count() == 1


def test_closing_finishes_attempts_left_open_with_their_saved_answers(make_round, make_user, frozen_clock):
    from contest.attempts.starting import start_attempt

    frozen_clock(T0)
    round_ = make_round()
    user = make_user()
    attempt = start_attempt(user, round_)
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == "finished"


def test_close_due_command_closes_every_ended_round(make_round, runner, frozen_clock):
    rounds = [make_round(), make_round()]
    frozen_clock(AFTER_CLOSE)
    result = runner.invoke(args=["rounds", "close-due"])
    assert "Đã chốt 2 đợt thi" in result.output
    db.session.expire_all()
    assert all(db.session.get(Round, r.id).closed_at for r in rounds)
