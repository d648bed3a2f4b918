"""Use cases of an attempt: start (or resume), save an answer, save the prediction, finish, sweep.

The server holds the clock: the deadline is ``min(start + time limit, round close)``; a save later than the
deadline plus a short grace for the network is refused; an attempt found past its deadline is finished with
the answers saved so far and the deadline as its finish time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import JSON, bindparam, func, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import make_transient_to_detached

from contest import clock
from contest.accounts.models import User
from contest.accounts.service import has_cccd
from contest.attempts.drawing import Candidate, DrawError, Line, draw_questions, shuffle_options
from contest.attempts.grading import FinishedAttempt, GradedItem, counting_attempt, score_attempt
from contest.attempts.models import Attempt, AttemptQuestion
from contest.banks.models import Question
from contest.contests.models import Round, round_banks
from contest.database import UTCDateTime
from contest.extensions import db

OPEN_STATES = ("in_progress", "overdue")
START_RETRIES = 3


class AttemptError(Exception):
    """A rule of the attempt was broken; ``message`` is for the taker, in Vietnamese."""

    def __init__(self, message: str, status: int = 409, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


NOT_FOUND = AttemptError("Không tìm thấy bài thi này trong tài khoản của bạn.", 404, "not_found")
TOO_LATE = AttemptError("Đã hết giờ làm bài nên câu trả lời vừa chọn không được ghi nhận. Bài thi đã được nộp "
                        "với các câu trả lời đã lưu trước đó.", 409, "too_late")
ALREADY_FINISHED = AttemptError("Bài thi đã được nộp; không thể thay đổi câu trả lời.", 409, "finished")


def grace() -> timedelta:
    """How long after the deadline a save in flight is still accepted."""
    return timedelta(seconds=float(current_app.config["SAVE_GRACE_SECONDS"]))


def group_of(user: User) -> str | None:
    """The audience group a user takes contests in."""
    if user.role == "resident":
        return "residents"
    if user.role in ("official", "unit_manager"):
        return "officials"
    return None


def attempts_allowed(round_: Round) -> int:
    """How many attempts a person may start in the round: a knowledge survey is taken once, whatever is set."""
    return 1 if round_.contest.kind == "survey" else round_.attempts_allowed


def attempts_used(user_id: int, round_id: int) -> int:
    """How many attempts the user has started in the round."""
    return db.session.scalar(select(func.count(Attempt.id)).where(Attempt.round_id == round_id,
                                                                  Attempt.user_id == user_id)) or 0


def open_attempt(user_id: int, round_id: int) -> Attempt | None:
    """The user's unfinished attempt in the round, finished first if its time is up."""
    attempt = db.session.scalar(select(Attempt).where(Attempt.round_id == round_id, Attempt.user_id == user_id,
                                                      Attempt.state.in_(OPEN_STATES)))
    if attempt is not None and finish_if_overdue(attempt):
        return None
    return attempt


@dataclass(frozen=True)
class _RoundTerms:
    """What a start checks of the round's contest and blueprint, read afresh by every start (one statement)."""

    is_published: bool
    kind: str
    groups: tuple[str, ...]
    requires_cccd: bool
    contest_id: int
    lines: dict[str, list[Line]]  # the blueprint's lines per group


def _check_can_start(user: User, round_: Round, terms: _RoundTerms, moment: datetime) -> str:
    """Return the user's group if they may start an attempt now; raise AttemptError with the reason."""
    if not terms.is_published:
        raise AttemptError("Cuộc thi chưa được công bố.", 404, "not_found")
    state = round_.state(moment)
    if state == "upcoming":
        raise AttemptError("Đợt thi chưa mở. Vui lòng quay lại khi đợt thi bắt đầu.", 409, "not_open")
    if state == "closed":
        raise AttemptError("Đợt thi đã kết thúc.", 409, "closed")
    group = group_of(user)
    if group is None or group not in terms.groups:
        raise AttemptError("Cuộc thi này không dành cho đối tượng của tài khoản bạn.", 403, "wrong_audience")
    if not terms.lines.get(group):
        raise AttemptError("Đợt thi chưa có đề. Vui lòng liên hệ Ban tổ chức.", 409, "no_blueprint")
    if terms.requires_cccd and not has_cccd(user, terms.contest_id):
        raise AttemptError("Bạn cần khai báo số CCCD trước khi dự thi.", 409, "cccd_required")
    return group


def start_attempt(user: User, round_: Round, rng: random.Random | None = None) -> Attempt:
    """Start an attempt (or return the one in progress): draw, shuffle and freeze the questions.

    The attempts allowed are enforced by the database: each attempt takes the next number under a unique
    (round, person, number) key, and at most one attempt per person and round may be unfinished; a start
    that loses a race retries and then resumes the winner's attempt or is refused.

    Starts in a round's first minute are the peak load, so a start sends four statements once the round's
    draw data is cached (:func:`_draw_data`): the round's terms with the draw data's version, the person's
    attempts in the round, the attempt, and its frozen questions in one bulk insert.
    """
    rng = rng or random.SystemRandom()
    for _ in range(START_RETRIES):
        moment = clock.now()
        mine = _numbers_and_states(user.id, round_.id)
        if any(state in OPEN_STATES for _, state in mine):
            existing = open_attempt(user.id, round_.id)
            if existing is not None:
                return existing
            mine = _numbers_and_states(user.id, round_.id)  # it was past its deadline: finished just now
        terms, draw = _draw_data(round_)
        group = _check_can_start(user, round_, terms, moment)
        used = len(mine)
        allowed = 1 if terms.kind == "survey" else round_.attempts_allowed
        if used >= allowed:
            if terms.kind == "survey":
                raise AttemptError("Bạn đã làm bài khảo sát này. Mỗi người chỉ làm một lần.", 409,
                                   "no_attempts_left")
            raise AttemptError(f"Bạn đã dùng hết {allowed} lượt dự thi của đợt này.", 409, "no_attempts_left")
        number = max((n for n, _ in mine), default=0) + 1
        try:
            attempt = _create_attempt(user, round_, group, number, moment, terms.lines[group], draw, rng)
            _commit_keeping(attempt)
            return attempt
        except (IntegrityError, OperationalError):
            # Another start of the same person won the race (or SQLite was busy): look again.
            db.session.rollback()
    existing = open_attempt(user.id, round_.id)
    if existing is not None:
        return existing
    raise AttemptError("Hệ thống đang bận; vui lòng bấm bắt đầu lại sau ít giây.", 503, "busy")


def start_practice(organiser: User, round_: Round, group: str, rng: random.Random | None = None) -> Attempt:
    """Start an organiser's practice attempt ("Làm thử") in ``group`` (or resume the one in progress): drawn,
    timed and graded as a taker's, before the round opens or after it too, but it never counts and no figure,
    standing or export ever includes it (``Attempt.is_practice``)."""
    terms, draw = _draw_data(round_)
    if group not in terms.groups:
        raise AttemptError("Cuộc thi này không có đối tượng đã chọn.", 409, "wrong_audience")
    if not terms.lines.get(group):
        raise AttemptError("Đợt thi chưa có đề cho đối tượng này: hãy soạn cấu trúc đề trước khi làm thử.", 409,
                           "no_blueprint")
    existing = open_attempt(organiser.id, round_.id)
    if existing is not None:
        if existing.is_practice:
            return existing
        raise AttemptError("Bạn đang có một bài thi chưa nộp trong đợt này.", 409, "busy")
    moment = clock.now()
    last = max((n for n, _ in _numbers_and_states(organiser.id, round_.id)), default=0)
    # The round's end bounds a taker's deadline; a practice before the round opens or after it closes has
    # the time limit only.
    attempt = _create_attempt(organiser, round_, group, last + 1, moment, terms.lines[group], draw,
                              rng or random.SystemRandom(), practice=True,
                              until_close=round_.state(moment) == "open")
    _commit_keeping(attempt)
    return attempt


def _numbers_and_states(user_id: int, round_id: int) -> list[tuple[int, str]]:
    """The number and state of each attempt the user has started in the round."""
    return [tuple(row) for row in db.session.execute(_NUMBERS_AND_STATES, {"round_id": round_id, "user_id": user_id})]


def _commit_keeping(attempt: Attempt) -> None:
    """Commit the start without expiring what it wrote: the attempt holds what the database holds, so that the
    page it leads to needs no statement to read it back."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


@dataclass(frozen=True)
class _DrawData:
    """A round's drawable questions (active, in its banks) with the snapshot each attempt freezes."""

    candidates: tuple[Candidate, ...]
    snapshots: dict[int, tuple]  # id -> (topic_id, kind, text, options, correct, weights, points, explanation,
    #                                     source)


# The draw data's version and the round's terms in one statement, written once per dialect (a start in the
# stampede should not rebuild a query): the contest's terms, the blueprint as text, and a fingerprint of the
# questions in the round's banks. The fingerprint comes from the database, so that every app server sees an
# import, an edit or a retirement made by any other: a changed question gets a new ``updated_at``, an added or
# removed one changes the count and the sum of ids, a retired one the active count.
_DRAW_VERSION_SQL = (
    "SELECT c.is_published, c.kind, c.audience, c.requires_cccd,"
    " (SELECT {concat}(b.\"group\" || ':' || b.topic_id || ':' || coalesce(b.difficulty, '') || ':' || b.count,"
    " ';') FROM blueprint_items b WHERE b.round_id = :round_id) AS bp, q.n, q.ids, q.changed, q.active"
    " FROM contests c, (SELECT count(*) AS n, sum(id) AS ids, max(updated_at) AS changed,"
    " sum(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS active FROM questions"
    " WHERE bank_id IN (SELECT bank_id FROM round_banks WHERE round_id = :round_id)) q"
    " WHERE c.id = :contest_id"
)
_DRAW_VERSION = {"sqlite": text(_DRAW_VERSION_SQL.format(concat="group_concat")),
                 "postgresql": text(_DRAW_VERSION_SQL.format(concat="string_agg"))}
_NUMBERS_AND_STATES = text("SELECT number, state FROM attempts WHERE round_id = :round_id AND user_id = :user_id")


def _draw_data(round_: Round) -> tuple[_RoundTerms, _DrawData]:
    """The round's terms (read afresh) and its draw data, cached per process under the database's version.

    This function is the only place that reads or drops the cache's entries.
    """
    row = db.session.execute(_DRAW_VERSION[db.engine.dialect.name],
                             {"round_id": round_.id, "contest_id": round_.contest_id}).one()
    lines: dict[str, list[Line]] = {}
    for part in sorted((row.bp or "").split(";")):
        if part:
            group, topic_id, difficulty, count = part.split(":")
            lines.setdefault(group, []).append(Line(int(topic_id), difficulty or None, int(count)))
    groups = ("residents", "officials") if row.audience == "both" else (row.audience,)
    terms = _RoundTerms(bool(row.is_published), row.kind, groups, bool(row.requires_cccd), round_.contest_id, lines)
    version = (row.n, row.ids, row.changed, row.active)
    cache: dict = current_app.extensions.setdefault("hoithi_draw_data", {})
    hit = cache.get(round_.id)
    if hit is not None and hit[0] == version:
        return terms, hit[1]
    in_banks = Question.bank_id.in_(select(round_banks.c.bank_id).where(round_banks.c.round_id == round_.id))
    rows = db.session.execute(
        select(Question.id, Question.topic_id, Question.difficulty, Question.kind, Question.text, Question.options,
               Question.correct, Question.weights, Question.points, Question.explanation, Question.source)
        .where(Question.status == "active", in_banks)).all()
    draw = _DrawData(tuple(Candidate(r.id, r.topic_id, r.difficulty) for r in rows),
                     {r.id: (r.topic_id, r.kind, r.text, r.options, r.correct, r.weights, r.points, r.explanation,
                             r.source) for r in rows})
    if len(cache) >= 256:
        cache.clear()
    cache[round_.id] = (version, draw)
    return terms, draw


def _create_attempt(user: User, round_: Round, group: str, number: int, moment: datetime, lines: list[Line],
                    draw: _DrawData, rng: random.Random, *, practice: bool = False,
                    until_close: bool = True) -> Attempt:
    # Only the banks chosen for the round: another bank imported or edited meanwhile changes nothing here.
    try:
        chosen = draw_questions(lines, draw.candidates, rng)
    except DrawError as exc:
        raise AttemptError("Ngân hàng câu hỏi không đủ câu cho đề thi này. Vui lòng báo Ban tổ chức.", 409,
                           "bank_short") from exc
    rows = []
    total = 0.0
    for position, question_id in enumerate(chosen, start=1):
        topic_id, kind, text_, options, correct, weights, points, explanation, source = draw.snapshots[question_id]
        options, correct, weights = shuffle_options(options, correct, weights, kind, rng)
        total += points
        rows.append({"position": position, "question_id": question_id, "topic_id": topic_id,
                     "kind": kind, "text": text_, "options": options, "option_count": len(options),
                     "correct": correct, "weights": weights, "points": points, "explanation": explanation,
                     "source": source, "selected": None, "seq": 0, "saved_at": None, "awarded": None})
    deadline = moment + timedelta(minutes=round_.time_limit_minutes)
    if until_close:
        deadline = min(deadline, round_.closes_at)
    values = {"round_id": round_.id, "user_id": user.id, "unit_id": user.unit_id, "group": group, "number": number,
              "state": "in_progress", "started_at": moment, "deadline": deadline, "finished_at": None,
              "auto_finished": False, "score": None, "max_score": round(total, 6), "duration_seconds": None,
              "prediction": None, "counts": False, "disqualified_reason": None, "disqualified_at": None,
              "is_practice": practice}
    # Core inserts, not the unit of work: its bookkeeping for one new object cost more than the statements.
    attempt_id = db.session.execute(_INSERT_ATTEMPT, values).inserted_primary_key[0]
    for row in rows:
        row["attempt_id"] = attempt_id
    db.session.execute(_INSERT_QUESTIONS, rows)
    # The attempt as the database now holds it, in the session without reading it back.
    attempt = Attempt(id=attempt_id, **values)
    make_transient_to_detached(attempt)
    db.session.add(attempt)
    return attempt


_INSERT_ATTEMPT = Attempt.__table__.insert()
_INSERT_QUESTIONS = AttemptQuestion.__table__.insert()


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
# (which locks the attempt's row before it reads the answers, see _lock_for_finish) either sees this answer
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
        _store_prediction(attempt_id, user_id, value, now)
    except AttemptError:
        db.session.rollback()
        _writable_attempt(attempt_id, user_id, now)
        raise
    db.session.commit()
    return now


def _store_prediction(attempt_id: int, user_id: int, value: int | None, now: datetime) -> None:
    """The prediction's conditional update, flush-only; ALREADY_FINISHED when the attempt no longer takes it."""
    if value is not None and not 0 <= value <= 10_000_000:
        raise AttemptError("Số dự đoán phải là số nguyên không âm.", 422, "bad_prediction")
    stored = db.session.execute(
        update(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user_id, Attempt.state == "in_progress",
                              Attempt.deadline >= now - grace())
        .values(prediction=value).execution_options(synchronize_session=False)).rowcount == 1
    if not stored:
        raise ALREADY_FINISHED


def submit_attempt(attempt: Attempt, *, prediction: int | None, with_prediction: bool, manual: bool) -> Attempt:
    """The taker's submit, one use case in one transaction: the prediction typed on the submit page (when the
    round asks for one) and the finish with its grade are stored together, or nothing is (a refused submit,
    e.g. unanswered questions in a round that requires them all, leaves the attempt as it was); the caller
    commits nothing else."""
    if not attempt.is_open:
        return attempt
    try:
        if with_prediction:
            try:
                _store_prediction(attempt.id, attempt.user_id, prediction, clock.now())
            except AttemptError as refused:
                if refused is not ALREADY_FINISHED:
                    raise
                # Past the deadline and its grace (or finished meanwhile): too late for the prediction; the
                # finish below grades the answers saved in time, as it would without one.
        grade_and_finish(attempt, manual=manual)
    except AttemptError:
        db.session.rollback()
        raise
    db.session.commit()
    db.session.refresh(attempt)
    return attempt


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


def review_allowed(attempt: Attempt, moment: datetime) -> bool:
    """Whether the taker may see the correct answers of a finished attempt now (the round's review policy)."""
    if attempt.is_open:
        return False
    policy = attempt.round.review_policy
    if policy == "after_submit":
        return True
    if policy == "after_close":
        return moment >= attempt.round.closes_at
    return False


def unanswered_count(attempt: Attempt) -> int:
    """Questions with no option chosen."""
    return sum(1 for q in attempt.questions if not q.selected)
