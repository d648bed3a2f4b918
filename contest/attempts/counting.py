"""Which attempt counts: each person's counting attempt in a round flagged by the round's counting rule
(``grading.counting_attempt``), for one person after a finish or for the whole round after a change."""

from __future__ import annotations

from sqlalchemy import func, select, update

from contest.attempts.grading import FinishedAttempt, counting_attempt
from contest.attempts.models import Attempt
from contest.contests.models import Round
from contest.extensions import db


def mark_counting_attempt(round_: Round, user_id: int) -> int | None:
    """Flag the person's counting attempt in the round (by its counting rule) and unflag the others; return it.

    Disqualified attempts never count. The standings read only flagged attempts, so a million-attempt round
    is ranked without first choosing each person's attempt. Only flushes: the caller's use case commits.
    """
    rows = db.session.execute(
        select(Attempt.id, Attempt.number, Attempt.score, Attempt.duration_seconds, Attempt.finished_at)
        .where(Attempt.round_id == round_.id, Attempt.user_id == user_id, Attempt.state == "finished",
               Attempt.disqualified_reason.is_(None), Attempt.is_practice.is_(False))).all()
    chosen = counting_attempt([FinishedAttempt(r.id, r.number, r.score or 0.0, r.duration_seconds or 0.0,
                                               r.finished_at) for r in rows], round_.counting)
    chosen_id = chosen.attempt_id if chosen else None
    db.session.execute(update(Attempt).where(Attempt.round_id == round_.id, Attempt.user_id == user_id)
                       .values(counts=Attempt.id == chosen_id if chosen_id else False)
                       .execution_options(synchronize_session=False))
    return chosen_id


def remark_counting_attempts(round_: Round) -> None:
    """Flag every person's counting attempt in the round again, by its (changed) counting rule, in one
    statement: the set-wise twin of :func:`mark_counting_attempt` (grading.counting_attempt's order as SQL).
    Only flushes: the caller's use case commits."""
    if round_.counting == "first":
        order = [Attempt.number]
    elif round_.counting == "last":
        order = [Attempt.number.desc()]
    else:
        order = [Attempt.score.desc(), Attempt.duration_seconds, Attempt.finished_at, Attempt.number]
    ranked = select(Attempt.id, func.row_number().over(partition_by=Attempt.user_id, order_by=order).label("n")) \
        .where(Attempt.round_id == round_.id, Attempt.state == "finished", Attempt.disqualified_reason.is_(None),
               Attempt.is_practice.is_(False)) \
        .subquery()
    chosen = select(ranked.c.id).where(ranked.c.n == 1)
    db.session.execute(update(Attempt).where(Attempt.round_id == round_.id).values(counts=Attempt.id.in_(chosen))
                       .execution_options(synchronize_session=False))
