"""Helpers for attempt tests: a resident, a round open at a controlled time, and JSON saves."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.attempts.models import Attempt, AttemptQuestion
from contest.extensions import db

OPEN = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội, a day after the round opened


@pytest.fixture
def taker(client, make_user, login, frozen_clock):
    frozen_clock(OPEN)
    user = make_user()
    login(user.phone)
    return user


@pytest.fixture
def start(client):
    def go(round_):
        response = client.post(f"/rounds/{round_.id}/start")
        attempt = db.session.scalar(select(Attempt).order_by(Attempt.id.desc()))
        return response, attempt

    return go


@pytest.fixture
def save(client):
    def go(attempt, position=1, selected=(0,), seq=1, raw=None):
        return client.post(f"/api/attempts/{attempt.id}/answers",
                           json=raw if raw is not None else {"position": position, "selected": list(selected),
                                                             "seq": seq})

    return go


def questions_of(attempt):
    return db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)
                              .order_by(AttemptQuestion.position)).all()


def refresh(attempt):
    db.session.expire_all()
    return db.session.get(Attempt, attempt.id)
