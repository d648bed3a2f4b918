"""Finishing an attempt: lock it against saves, grade the answers saved, mark it finished and flag the
person's counting attempt."""

from __future__ import annotations

from sqlalchemy import select, update

from contest import clock
from contest.attempts.counting import mark_counting_attempt
from contest.attempts.grading import GradedItem, score_attempt
from contest.attempts.models import Attempt, AttemptQuestion
from contest.attempts.terms import OPEN_STATES, AttemptError
from contest.extensions import db


def finish_attempt(attempt: Attempt, *, manual: bool = True) -> Attempt:
    """Finish and grade an attempt with the answers saved so far, in one transaction; finishing twice
    changes nothing.

    A manual submit before the deadline records the moment of submission. Past the deadline (a submit that
    arrived late, the page's own finish at zero, any request touching it, or the sweep), the finish time is
    the deadline, as Moodle does.
    """
    if not attempt.is_open:
        return attempt
    try:
        grade_and_finish(attempt, manual=manual)
    except AttemptError:
        db.session.rollback()
        raise
    db.session.commit()
    db.session.refresh(attempt)
    return attempt


def grade_and_finish(attempt: Attempt, *, manual: bool) -> bool:
    """Lock the attempt, read its answers, grade them and mark it finished; return False when another
    request finished it first. Only flushes: the caller's use case commits (and so releases the lock).

    The attempt's row is locked before any answer is read, so that a concurrent save is either in the
    answers read here or refused because the attempt is finished: never stored and left ungraded.
    """
    if not _lock_for_finish(attempt.id):
        return False
    now = clock.now()
    items = db.session.execute(
        select(AttemptQuestion.id, AttemptQuestion.kind, AttemptQuestion.correct, AttemptQuestion.weights,
               AttemptQuestion.points, AttemptQuestion.selected)
        .where(AttemptQuestion.attempt_id == attempt.id).order_by(AttemptQuestion.position)).all()
    if manual and now <= attempt.deadline and attempt.round.all_required:
        gaps = sum(1 for q in items if not q.selected)
        if gaps:
            raise AttemptError(f"Đợt thi yêu cầu trả lời tất cả câu hỏi. Bạn còn {gaps} câu chưa trả lời.", 409,
                               "unanswered")
    automatic = now > attempt.deadline
    finished_at = attempt.deadline if automatic else now
    score, maximum, awarded = score_attempt(GradedItem(q.kind, q.correct, q.weights, q.points, q.selected)
                                            for q in items)
    db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id)
        .values(state="finished", finished_at=finished_at, auto_finished=automatic, score=score, max_score=maximum,
                duration_seconds=(finished_at - attempt.started_at).total_seconds())
        .execution_options(synchronize_session=False))
    if items:
        db.session.execute(update(AttemptQuestion), [{"id": q.id, "awarded": a}
                                                     for q, a in zip(items, awarded, strict=True)])
    mark_counting_attempt(attempt.round, attempt.user_id)
    return True


def _lock_for_finish(attempt_id: int) -> bool:
    """Lock the attempt's row against saves for the rest of this transaction; False if it is not open.

    PostgreSQL: ``SELECT … FOR UPDATE``, which waits for the saves in flight (they hold the row FOR KEY
    SHARE) and makes later ones wait, then find the attempt finished. SQLite has one writer at a time: an
    UPDATE of the attempt's row, the transaction's first write, takes the database's write lock before the
    answers are read, so no save can be stored between the reading and the grading.
    """
    is_open = (Attempt.id == attempt_id) & Attempt.state.in_(OPEN_STATES)
    if db.engine.dialect.name == "sqlite":
        return db.session.execute(update(Attempt).where(is_open).values(state=Attempt.state)
                                  .execution_options(synchronize_session=False)).rowcount == 1
    return db.session.execute(select(Attempt.id).where(is_open).with_for_update()).first() is not None
