"""Attempts past their deadline: finished with the answers saved so far when a request touches them, and by
the periodic sweep."""

from __future__ import annotations

from sqlalchemy import select

from contest import clock
from contest.attempts.finishing import finish_attempt
from contest.attempts.models import Attempt
from contest.attempts.terms import NOT_FOUND, OPEN_STATES, grace
from contest.extensions import db


def finish_if_overdue(attempt: Attempt) -> bool:
    """Finish the attempt if its deadline plus grace has passed; return whether it is finished now."""
    if attempt.is_open and clock.now() > attempt.deadline + grace():
        finish_attempt(attempt, manual=False)
        return True
    return not attempt.is_open


def finish_overdue(limit: int = 10_000) -> int:
    """Finish every attempt past its deadline plus grace (the periodic sweep); return how many."""
    cutoff = clock.now() - grace()
    ids = db.session.scalars(select(Attempt.id).where(Attempt.state.in_(OPEN_STATES), Attempt.deadline < cutoff)
                             .order_by(Attempt.deadline).limit(limit)).all()
    for attempt_id in ids:
        attempt = db.session.get(Attempt, attempt_id)
        if attempt is not None:
            finish_attempt(attempt, manual=False)
    return len(ids)


def get_own_attempt(attempt_id: int, user_id: int) -> Attempt:
    """The user's attempt, finished first if its time is up; NOT_FOUND for anybody else's."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise NOT_FOUND
    finish_if_overdue(attempt)
    return attempt
