"""The demo draws from the shipped banks: the contest from the default bank, the officials' survey from its own."""

from datetime import UTC, datetime

from sqlalchemy import select

from contest.banks.models import Bank, Question
from contest.contests.models import Contest
from contest.extensions import db


def banks_of(contest_kind: str) -> set[str]:
    contest = db.session.scalar(select(Contest).where(Contest.kind == contest_kind))
    [round_] = contest.rounds
    topic_ids = {item.topic_id for item in round_.blueprint}
    return set(db.session.scalars(select(Bank.name).join(Question, Question.bank_id == Bank.id)
                                  .where(Question.topic_id.in_(topic_ids), Question.status == "active")))


def test_demo_survey_draws_only_from_the_officials_bank(runner, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert banks_of("survey") == {"cchc-khao-sat-can-bo"}


def test_demo_contest_draws_only_from_the_default_bank(runner, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert banks_of("contest") == {"cchc-mac-dinh"}


def test_demo_loads_at_least_240_active_default_questions(runner):
    runner.invoke(args=["demo", "load"])
    active = db.session.scalars(select(Question.id).join(Bank).where(Bank.name == "cchc-mac-dinh",
                                                                     Question.status == "active")).all()
    assert len(active) >= 240
