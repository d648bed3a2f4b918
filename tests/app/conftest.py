"""A small world for the tests that walk the whole URL map: one of each role, a contest and a survey with an
attempt each, so that every route with an id has something real behind id 1."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.attempts.starting import start_attempt
from contest.banks.models import Bank, Question, Topic
from contest.contests.models import BlueprintItem, Contest, Round
from contest.extensions import db


@pytest.fixture
def world(app, make_unit, make_user, small_bank, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 2, 0, tzinfo=UTC))
    unit = make_unit()
    people = {role: make_user(role=role, login=role if role != "resident" else None, unit=unit)
              for role in ("resident", "official", "organiser")}
    people["unit_manager"] = make_user(role="unit_manager", login="unit_manager", unit=unit,
                                       managed_unit_id=unit.id)
    topic = db.session.scalar(select(Topic))
    topic_bank = db.session.scalar(select(Question.bank_id).where(Question.topic_id == topic.id))
    rounds = []
    for slug, kind, audience, group in (("thi", "contest", "residents", "residents"),
                                        ("khao-sat", "survey", "officials", "officials")):
        contest = Contest(slug=slug, title=slug, kind=kind, audience=audience, is_published=True)
        round_ = Round(contest=contest, number=1, title="Đợt 1", opens_at=datetime(2026, 11, 21, tzinfo=UTC),
                       closes_at=datetime(2026, 11, 28, tzinfo=UTC), attempts_allowed=1,
                       prediction_kind="participant_count" if kind == "contest" else "none")
        round_.blueprint.append(BlueprintItem(group=group, topic_id=topic.id, count=1))
        round_.banks = [db.session.get(Bank, topic_bank)]
        db.session.add(contest)
        rounds.append(round_)
    db.session.commit()
    start_attempt(people["resident"], rounds[0])
    start_attempt(people["official"], rounds[1])
    return people


