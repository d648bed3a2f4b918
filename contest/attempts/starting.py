"""Starting an attempt: a taker's (or resuming the one in progress) and an organiser's practice; the questions
are drawn, shuffled and frozen in the attempt.

The attempts allowed are enforced by the database (a unique number per person and round, at most one
unfinished attempt); a start that loses a race retries and then resumes the winner's attempt or is refused.
"""

from __future__ import annotations

import json
import os
import random
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import make_transient_to_detached

from contest import clock
from contest.accounts.models import User
from contest.attempts.draw_cache import DrawData, RoundTerms, Starter, draw_data, round_terms
from contest.attempts.drawing import DrawError, draw_questions, option_order
from contest.attempts.expiry import finish_if_overdue
from contest.attempts.models import Attempt, AttemptQuestion
from contest.attempts.terms import OPEN_STATES, AttemptError, group_of
from contest.contests.models import Round
from contest.extensions import db

START_RETRIES = 3


def open_attempt(user_id: int, round_id: int) -> Attempt | None:
    """The user's unfinished attempt in the round, finished first if its time is up."""
    attempt = db.session.scalar(select(Attempt).where(Attempt.round_id == round_id, Attempt.user_id == user_id,
                                                      Attempt.state.in_(OPEN_STATES)))
    if attempt is not None and finish_if_overdue(attempt):
        return None
    return attempt


def _check_can_start(user: User | Starter, terms: RoundTerms, moment: datetime) -> str:
    """Return the user's group if they may start an attempt now; raise AttemptError with the reason."""
    if not terms.is_published:
        raise AttemptError("Cuộc thi chưa được công bố.", 404, "not_found")
    state = terms.state(moment)
    if state == "upcoming":
        raise AttemptError("Đợt thi chưa mở. Vui lòng quay lại khi đợt thi bắt đầu.", 409, "not_open")
    if state == "closed":
        raise AttemptError("Đợt thi đã kết thúc.", 409, "closed")
    group = group_of(user)
    if group is None or group not in terms.groups:
        raise AttemptError("Cuộc thi này không dành cho đối tượng của tài khoản bạn.", 403, "wrong_audience")
    if not terms.lines.get(group):
        raise AttemptError("Đợt thi chưa có đề. Vui lòng liên hệ Ban tổ chức.", 409, "no_blueprint")
    if terms.requires_cccd and not terms.has_cccd:
        raise AttemptError("Bạn cần khai báo số CCCD trước khi dự thi.", 409, "cccd_required")
    return group


def drawing_rng() -> random.Random:
    """A start's own generator for its draw and shuffles, seeded with 256 fresh bits from the operating system.
    Nobody can foresee a draw without that seed, and every start has its own; asking the system for every number
    (SystemRandom) cost a start about 100 system calls."""
    return random.Random(os.urandom(32))


def start_attempt(user: User | Starter, round_: Round | RoundTerms, rng: random.Random | None = None) -> Attempt:
    """Start an attempt (or return the one in progress): draw, shuffle and freeze the questions.

    ``round_`` is the round, or its terms as :func:`draw_cache.round_terms` just read them for ``user`` (the
    start route reads them first, for its session and ward checks; ``user`` is then the account as that
    statement read it, a :class:`draw_cache.Starter`). The attempts allowed are enforced by the database: each
    attempt takes the next number under a unique (round, person, number) key, and at most one attempt per person
    and round may be unfinished; a start that loses a race retries and then resumes the winner's attempt or is
    refused.

    Starts in a round's first minute are the peak load, so a start sends three statements once the round's
    draw data is cached (:func:`draw_cache.draw_data`): the round's terms with the person's attempts in it, the
    attempt, and its frozen questions in one bulk insert.
    """
    return _start(user, round_, rng, keep=True)


def start_attempt_id(user: User | Starter, round_: Round | RoundTerms, rng: random.Random | None = None) -> int:
    """The id of the attempt :func:`start_attempt` starts or resumes, for the start route, whose redirect needs
    nothing else: a new attempt is not put in the session (building it cost a start a twentieth of its time)."""
    return _start(user, round_, rng, keep=False)


def _start(user: User | Starter, round_: Round | RoundTerms, rng: random.Random | None, *, keep: bool):
    rng = rng or drawing_rng()
    terms = round_ if isinstance(round_, RoundTerms) else None
    for _ in range(START_RETRIES):
        moment = clock.now()
        terms = terms or _terms(round_.id, user)
        if any(state in OPEN_STATES for _, state in terms.mine):
            existing = open_attempt(user.id, terms.id)
            if existing is not None:
                return existing if keep else existing.id
            terms = _terms(terms.id, user)  # it was past its deadline: finished just now
        group = _check_can_start(user, terms, moment)
        used = len(terms.mine)
        allowed = 1 if terms.kind == "survey" else terms.attempts_allowed
        if used >= allowed:
            if terms.kind == "survey":
                raise AttemptError("Bạn đã làm bài khảo sát này. Mỗi người chỉ làm một lần.", 409,
                                   "no_attempts_left")
            raise AttemptError(f"Bạn đã dùng hết {allowed} lượt dự thi của đợt này.", 409, "no_attempts_left")
        number = max((n for n, _ in terms.mine), default=0) + 1
        try:
            attempt_id, values = _create_attempt(user, terms, group, number, moment, draw_data(terms), rng)
            if not keep:
                db.session.commit()
                return attempt_id
            attempt = _kept(attempt_id, values)
            _commit_keeping(attempt)
            return attempt
        except (IntegrityError, OperationalError):
            # Another start of the same person won the race (or SQLite was busy): look again.
            db.session.rollback()
            terms = None
    existing = open_attempt(user.id, round_.id)
    if existing is not None:
        return existing if keep else existing.id
    raise AttemptError("Hệ thống đang bận; vui lòng bấm bắt đầu lại sau ít giây.", 503, "busy")


def start_practice(organiser: User, round_: Round, group: str, rng: random.Random | None = None) -> Attempt:
    """Start an organiser's practice attempt ("Làm thử") in ``group`` (or resume the one in progress): drawn,
    timed and graded as a taker's, before the round opens or after it too, but it never counts and no figure,
    standing or export ever includes it (``Attempt.is_practice``)."""
    terms = _terms(round_.id, organiser)
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
    last = max((n for n, _ in terms.mine), default=0)
    # The round's end bounds a taker's deadline; a practice before the round opens or after it closes has
    # the time limit only.
    attempt = _kept(*_create_attempt(organiser, terms, group, last + 1, moment, draw_data(terms),
                                     rng or drawing_rng(), practice=True,
                                     until_close=terms.state(moment) == "open"))
    _commit_keeping(attempt)
    return attempt


def _terms(round_id: int, user: User | Starter) -> RoundTerms:
    terms = round_terms(round_id, user.id)
    if terms is None:
        raise AttemptError("Không tìm thấy đợt thi.", 404, "not_found")
    return terms


def _commit_keeping(attempt: Attempt) -> None:
    """Commit the start without expiring what it wrote: the attempt holds what the database holds, so that the
    page it leads to needs no statement to read it back."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _create_attempt(user: User | Starter, terms: RoundTerms, group: str, number: int, moment: datetime, draw: DrawData,
                    rng: random.Random, *, practice: bool = False,
                    until_close: bool = True) -> tuple[int, dict]:
    """Write the attempt and its frozen questions; return its id and the values of its row."""
    # Only the banks chosen for the round: another bank imported or edited meanwhile changes nothing here.
    try:
        chosen = draw_questions(terms.lines[group], draw.pools, rng)
    except DrawError as exc:
        raise AttemptError("Ngân hàng câu hỏi không đủ câu cho đề thi này. Vui lòng báo Ban tổ chức.", 409,
                           "bank_short") from exc
    rows = []
    total = 0.0
    for position, question_id in enumerate(chosen, start=1):
        (topic_id, kind, text_, options, correct, weights, points, explanation, source,
         encoded) = draw.snapshots[question_id]
        order = option_order(len(options), kind, rng)
        total += points
        # The JSON columns as SQLAlchemy's JSON type writes them (json.dumps; None is JSON null), built from the
        # options encoded once per round: the bulk insert below sends them as they are.
        rows.append((position, question_id, topic_id, kind, text_, "[" + ", ".join([encoded[i] for i in order]) + "]",
                     len(options), "[" + ", ".join(map(str, sorted(order.index(i) for i in correct))) + "]",
                     json.dumps([weights[i] for i in order]) if weights else "null", points, explanation, source,
                     "null", 0))
    deadline = moment + timedelta(minutes=terms.time_limit_minutes)
    if until_close:
        deadline = min(deadline, terms.closes_at)
    values = {"round_id": terms.id, "user_id": user.id, "unit_id": user.unit_id, "group": group, "number": number,
              "state": "in_progress", "started_at": moment, "deadline": deadline, "finished_at": None,
              "auto_finished": False, "score": None, "max_score": round(total, 6), "duration_seconds": None,
              "prediction": None, "counts": False, "disqualified_reason": None, "disqualified_at": None,
              "is_practice": practice}
    # Statements sent as the driver takes them, not through the unit of work or Core's per-value processing:
    # their bookkeeping cost a start more than the statements themselves.
    connection = db.session.connection()
    sql, processors = _insert_attempt_sql(connection.dialect)
    attempt_id = connection.exec_driver_sql(sql, tuple(
        value if process is None or value is None else process(value)
        for value, process in zip([values[name] for name in _ATTEMPT_COLUMNS], processors, strict=True))).scalar_one()
    connection.exec_driver_sql(_insert_questions_sql(connection.dialect.paramstyle),
                               [(attempt_id, *row) for row in rows])
    return attempt_id, values


def _kept(attempt_id: int, values: dict) -> Attempt:
    """The attempt just written, as the database now holds it, in the session without reading it back."""
    attempt = Attempt(id=attempt_id, **values)
    make_transient_to_detached(attempt)
    db.session.add(attempt)
    return attempt


# Every column of the attempt but its id, each with its type's conversion for the driver (the timestamps').
_ATTEMPT_COLUMNS = tuple(c.name for c in Attempt.__table__.columns if c.name != "id")


@lru_cache(maxsize=4)
def _insert_attempt_sql(dialect) -> tuple[str, tuple]:
    columns = [Attempt.__table__.c[name] for name in _ATTEMPT_COLUMNS]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(dialect.identifier_preparer.quote(c.name) for c in columns)
    return (f"INSERT INTO {Attempt.__tablename__} ({names}) VALUES ({', '.join([mark] * len(columns))}) RETURNING id",
            tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns))


# The frozen questions go to the driver as they are (no per-row processing by SQLAlchemy: it cost a start a tenth
# of its time); saved_at and awarded are left NULL.
_QUESTION_COLUMNS = ("attempt_id", "position", "question_id", "topic_id", "kind", "text", "options", "option_count",
                     "correct", "weights", "points", "explanation", "source", "selected", "seq")


@lru_cache(maxsize=4)
def _insert_questions_sql(paramstyle: str) -> str:
    mark = "?" if paramstyle == "qmark" else "%s"
    return (f"INSERT INTO {AttemptQuestion.__tablename__} ({', '.join(_QUESTION_COLUMNS)})"
            f" VALUES ({', '.join([mark] * len(_QUESTION_COLUMNS))})")
