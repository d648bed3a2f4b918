"""Helpers for ranking tests: finished attempts written directly (as a finish would leave them)."""

from datetime import UTC, datetime, timedelta

import pytest

from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.extensions import db

T0 = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
AFTER_CLOSE = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # the make_round window ends 2026-11-28 00:00 UTC


@pytest.fixture
def finished_attempt(app):
    """A finished attempt, flagged as counting or not by the round's rule, as finish_attempt leaves it."""

    def create(user, round_, score, number=None, duration=600, finished_minute=10, prediction=None, group=None,
               max_score=4):
        if number is None:
            number = 1 + db.session.query(Attempt).filter_by(round_id=round_.id, user_id=user.id).count()
        finished_at = T0 + timedelta(minutes=finished_minute)
        attempt = Attempt(round_id=round_.id, user_id=user.id, unit_id=user.unit_id, number=number,
                          group=group or ("officials" if user.role == "official" else "residents"),
                          state="finished", started_at=finished_at - timedelta(seconds=duration),
                          deadline=finished_at + timedelta(minutes=5), finished_at=finished_at, score=score,
                          max_score=max_score, duration_seconds=duration, prediction=prediction)
        db.session.add(attempt)
        db.session.flush()
        mark_counting_attempt(round_, user.id)
        db.session.commit()
        return attempt

    return create
