"""Saving while an attempt is open: an answer (the autosave hot path, one conditional statement) and the
prediction, each refused precisely once the attempt no longer takes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, bindparam, select, text, update

from contest import clock
from contest.attempts.expiry import finish_if_overdue
from contest.attempts.models import Attempt, AttemptQuestion
from contest.attempts.terms import ALREADY_FINISHED, NOT_FOUND, TOO_LATE, AttemptError, grace
from contest.database import UTCDateTime
from contest.extensions import db


@dataclass(frozen=True)
class SaveResult:
    """The server's acknowledgement of a save."""

    position: int
    selected: list[int]  # what is stored now for the question (this save's choice, or a newer one)
    seq: int  # the stored answer's seq
    saved_at: datetime
    server_time: datetime
    applied: bool  # whether the stored answer is this save's (a repeat of an applied save counts)


# The autosave hot path: one statement, built once, applied only when every rule holds (see save_answer).
# It checks that the attempt is still in progress in the statement that writes the answer, so that a finish
# (which locks the attempt's row before it reads the answers, see finishing._lock_for_finish) either sees this answer
# or makes this save find the attempt finished. On SQLite the statement's write lock does that: one writer
# at a time. On PostgreSQL the check also takes the attempt's row FOR KEY SHARE: the lightest row lock, which
# only a finish's FOR UPDATE waits for (other saves, the prediction and the ranking's flags never do).
_SAVE_ANSWER_SQL = (
    "UPDATE attempt_questions SET selected = :selected, seq = :seq, saved_at = :now"
    " WHERE attempt_id = :attempt_id AND position = :position AND seq < :seq AND option_count > :max_index"
    " AND (:multi = 0 OR kind = 'multiple')"
    " AND EXISTS (SELECT 1 FROM attempts WHERE attempts.id = :attempt_id AND attempts.user_id = :user_id"
    " AND attempts.state = 'in_progress' AND attempts.deadline >= :cutoff{lock})"
)
_SAVE_ANSWER = {
    dialect: text(_SAVE_ANSWER_SQL.format(lock=lock)).bindparams(
        bindparam("selected", type_=JSON()), bindparam("now", type_=UTCDateTime()),
        bindparam("cutoff", type_=UTCDateTime()))
    for dialect, lock in (("sqlite", ""), ("postgresql", " FOR KEY SHARE"))
}


def save_answer(attempt_id: int, user_id: int, position: int, selected: list[int], seq: int) -> SaveResult:
    """Store the taker's choice for one question: an idempotent conditional update, one statement.

    The update only applies when the attempt is the taker's, still in progress, within the deadline plus
    grace, the option indices exist and ``seq`` is newer than what is stored. When it does not apply, the
    reason is looked up to answer precisely (a repeated or older save is acknowledged, not refused).
    """
    now = clock.now()
    selected = sorted(set(selected))
    # A connection of its own, outside the ORM session: the hot path needs no unit of work.
    with db.engine.begin() as connection:
        applied = connection.execute(_SAVE_ANSWER[connection.dialect.name], {
            "selected": selected, "seq": seq, "now": now, "attempt_id": attempt_id, "position": position,
            "max_index": max(selected) if selected else -1, "multi": 1 if len(selected) > 1 else 0,
            "user_id": user_id, "cutoff": now - grace()}).rowcount == 1
    if applied:
        return SaveResult(position, selected, seq, now, now, True)
    return _explain_refused_save(attempt_id, user_id, position, selected, seq, now)


def _writable_attempt(attempt_id: int, user_id: int, now: datetime) -> Attempt:
    """The taker's attempt if it still accepts answers; otherwise the reason, in Vietnamese."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise NOT_FOUND
    if not attempt.is_open:
        raise ALREADY_FINISHED
    if now > attempt.deadline + grace():
        finish_if_overdue(attempt)
        raise TOO_LATE
    return attempt


def _explain_refused_save(attempt_id: int, user_id: int, position: int, selected: list[int], seq: int,
                          now: datetime) -> SaveResult:
    _writable_attempt(attempt_id, user_id, now)
    row = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id,
                                                          AttemptQuestion.position == position))
    if row is None:
        raise AttemptError("Câu hỏi này không thuộc bài thi của bạn.", 422, "bad_question")
    if any(i < 0 or i >= row.option_count for i in selected) or (len(selected) > 1 and row.kind != "multiple"):
        raise AttemptError("Phương án đã chọn không hợp lệ cho câu hỏi này.", 422, "bad_option")
    # The stored answer is as new or newer: this save is a repeat, arrived late, or was overtaken by a save
    # from another window; acknowledge what is kept, so that the page shows that.
    kept = list(row.selected or [])
    return SaveResult(position, kept, row.seq, row.saved_at or now, now, row.seq == seq and kept == selected)


def save_prediction(attempt_id: int, user_id: int, value: int | None) -> datetime:
    """Store the prediction while the attempt is open (within the grace after the deadline).

    One conditional update, as for an answer: the state is checked by the statement that writes, so a
    prediction racing a finish waits for the finish's lock and then finds the attempt finished, instead of
    changing (and re-ranking) an attempt already submitted.
    """
    now = clock.now()
    try:
        store_prediction(attempt_id, user_id, value, now)
    except AttemptError:
        db.session.rollback()
        _writable_attempt(attempt_id, user_id, now)
        raise
    db.session.commit()
    return now


def store_prediction(attempt_id: int, user_id: int, value: int | None, now: datetime) -> None:
    """The prediction's conditional update, flush-only; ALREADY_FINISHED when the attempt no longer takes it."""
    if value is not None and not 0 <= value <= 10_000_000:
        raise AttemptError("Số dự đoán phải là số nguyên không âm.", 422, "bad_prediction")
    stored = db.session.execute(
        update(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user_id, Attempt.state == "in_progress",
                              Attempt.deadline >= now - grace())
        .values(prediction=value).execution_options(synchronize_session=False)).rowcount == 1
    if not stored:
        raise ALREADY_FINISHED
