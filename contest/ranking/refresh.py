"""Refreshing and closing a round's stored results: when they are stale (one place), recomputing them (one
writer), and closing a round.

The ranking itself is the tie-break chain of ``standings.rank_participants``; here it runs as one SQL
statement over the counting attempts (``Attempt.counts``) and is stored in ``round_results`` so that pages
of a million-attempt round read a few rows. When those stored results are stale is decided in exactly one
place, :func:`_stale` (:func:`stale_at` on the stored moments); :func:`refresh_results` (in a use case's
transaction) and a page's refresh run apart (:func:`fresh_results`, on connections of its own) are the only
writers. Pages and exports call :func:`fresh_results` before they read; use cases that store something
derived from the standings call :func:`current_results`, which never commits: each use case commits once,
at its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError

from contest import clock
from contest.attempts.finishing import grade_and_finish
from contest.attempts.models import Attempt
from contest.attempts.terms import grace
from contest.audit.service import record
from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.models import ResultPublication
from contest.ranking.standings import tie_break_order
from contest.ranking.store import (
    Chain,
    refresh_postgresql_apart,
    refresh_sqlite_apart,
    store_postgresql,
    store_sqlite,
)
from contest.ranking.store import live_actual as store_live_actual


class RankingError(Exception):
    """A ranking rule was broken; the message is for the organiser, in Vietnamese."""


def _stale(round_: Round, now: datetime) -> bool:
    """The one staleness rule: never computed, or an open round's standings older than the refresh interval
    (a closed round's results change only through the use cases that change them)."""
    return stale_at(round_.results_refreshed_at, round_.closed_at, now)


def stale_at(refreshed: datetime | None, closed: datetime | None, now: datetime) -> bool:
    """:func:`_stale` on the round's stored moments (page_cache.public_page reads them without loading the
    round)."""
    max_age = timedelta(seconds=int(current_app.config["STANDINGS_REFRESH_SECONDS"]))
    return refreshed is None or (closed is None and now - refreshed >= max_age)


def _due(round_: Round, now: datetime) -> bool:
    """Whether the round is past its close (plus the save grace) and not closed yet."""
    return due_at(round_.closed_at, round_.closes_at, now)


def due_at(closed: datetime | None, closes: datetime, now: datetime) -> bool:
    """:func:`_due` on the round's stored moments."""
    return closed is None and now > closes + grace()


def fresh_results(round_: Round) -> Round:
    """Make the stored standings of ``round_`` current enough for a page or an export, and return the round.

    For the start of a page or an export, before it writes anything; a use case that stores something derived
    from the standings calls :func:`current_results` instead (and so does this, when the session already
    holds uncommitted changes). A round past its close (plus the save grace) is closed — actual value
    frozen, final standings stored — by :func:`close_round`, a use case of its own. Stale standings of an open round (:func:`_stale`) are recomputed apart from the session: the refresh is
    claimed, and the standings ranked and stored, on connections of their own, so that this never commits
    nor rolls back the caller's transaction. A viewer who loses the claim, or whose refresh cannot write
    (a use case holds the lock past the busy timeout), shows the standings stored before.
    """
    now = clock.now()
    if not (_due(round_, now) or _stale(round_, now)):
        return round_
    if _session_has_written():
        # Called inside a use case after all: never commit it, nor wait on another connection for its locks.
        return current_results(round_)
    if _due(round_, now):
        close_round(round_, actor=AUTOMATIC)
    else:
        _refresh_apart(round_, now)
        db.session.refresh(round_)
    return round_


def _session_has_written() -> bool:
    """Whether the session holds changes not committed yet (a connection of its own would wait for them)."""
    if db.session.new or db.session.dirty or db.session.deleted:
        return True
    if not db.session().in_transaction():
        return False
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":  # the driver opens a transaction at the first write only
        return bool(connection.connection.dbapi_connection.in_transaction)
    return connection.scalar(text("SELECT txid_current_if_assigned()")) is not None


def current_results(round_: Round) -> Round:
    """Make the stored standings of ``round_`` current within the caller's transaction, and return the round.

    For the use cases that store something derived from the standings (a correction, a publication): stale
    standings (:func:`_stale`) are recomputed by :func:`refresh_results` in the use case's own transaction,
    so that what it stores and what it was derived from are committed together. Flushes only. A round past
    its close is not closed here (closing is a use case of its own): it is ranked as it stands.
    """
    if _stale(round_, clock.now()):
        refresh_results(round_)
    return round_


def _refresh_apart(round_: Round, now: datetime) -> None:
    """Claim the refresh of an open round and recompute it, each on a connection of its own."""
    refreshed = round_.results_refreshed_at
    # Claim the refresh so that concurrent viewers do not all recompute: the loser shows the winner's. The
    # claim is stored a microsecond before ``now`` and the new standings at ``now``: a page cached while they
    # are computed (public_page keys on this moment) is never taken for the new one. It is kept even if the
    # recomputation fails: viewers don't all retry.
    condition = Round.results_refreshed_at.is_(None) if refreshed is None \
        else Round.results_refreshed_at == refreshed
    claim = now - timedelta(microseconds=1)
    try:
        with db.engine.begin() as connection:
            claimed = connection.execute(update(Round).where(Round.id == round_.id, condition)
                                         .values(results_refreshed_at=claim)).rowcount
    except OperationalError:  # SQLite: a use case holds the write lock past the busy timeout
        current_app.logger.warning("standings of round %s not claimed", round_.id, exc_info=True)
        return
    if claimed != 1:
        return
    steps = ranking_order(round_)
    try:
        if db.engine.dialect.name == "sqlite":
            # Ranked apart, so that the write lock is held only for the copy; from a snapshot, so the copy is
            # dropped should a use case store standings in between.
            refresh_sqlite_apart(db.engine, round_, frozen_actual=round_.prediction_actual, at=now, steps=steps,
                                 claimed_at=claim)
        else:
            refresh_postgresql_apart(db.engine, round_, frozen_actual=round_.prediction_actual, at=now,
                                     steps=steps)
    except OperationalError:
        # The database stayed locked past the busy timeout: the page shows the standings stored before (the
        # claim makes the next viewer after the refresh interval try again).
        current_app.logger.warning("standings of round %s not recomputed", round_.id, exc_info=True)


def ranking_order(round_: Round) -> tuple[str, ...]:
    """The order of the tie-break chain the round is ranked by: once its winners are published, the order of
    its latest publication (a changed order reaches a published round only through a correction,
    publishing.correct_order); before, its contest's."""
    published = db.session.execute(
        select(ResultPublication.tie_break).where(ResultPublication.contest_id == round_.contest_id,
                                                  ResultPublication.round_id == round_.id)
        .order_by(ResultPublication.id.desc()).limit(1)).first()
    return tie_break_order(published.tie_break if published is not None else round_.contest.tie_break)


def live_actual(round_: Round) -> int | None:
    """The prediction's actual value from the counting attempts now: full scores, or participants."""
    return store_live_actual(db.session.connection(), round_.id, round_.prediction_kind)


def refresh_results(round_: Round, order: tuple[str, ...] | None = None) -> None:
    """Recompute and store the ranking of every group of the round (the only writer of round_results), in
    the session's transaction: a use case that changes what the standings are computed from (close,
    disqualify, reinstate, a new tie-break order) stores them with its change, atomically. Flushes only.
    ``order``: the tie-break order to rank by (:func:`ranking_order` when None).

    An open round is ranked against the live actual value, stored as provisional in
    ``Round.prediction_actual``; a closed round against its frozen value.
    """
    started = clock.now()
    if round_.closed_at is None:
        round_.prediction_actual = live_actual(round_)
    # Written first: on SQLite the transaction then holds the write lock before it reads, so that what it
    # ranks is what it stores over.
    round_.results_refreshed_at = started
    db.session.flush()
    chain = Chain.of(round_, round_.prediction_actual, order or ranking_order(round_))
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        store_postgresql(connection, chain)
    else:
        store_sqlite(connection, chain)


@dataclass(frozen=True)
class _System:
    """The actor of what the system does by itself (the audit log names it)."""

    login: str = "tự động"
    id: None = None


AUTOMATIC = _System()


def close_round(round_: Round, *, forced: bool = False, actor=None) -> bool:
    """Close a round: finish its overdue attempts, freeze the prediction's actual value, store the final
    standings, record it; return False when it was already closed. Refused before the round's end.

    A use case of its own (one commit), never called inside another. The attempts still open are finished
    first by attempts.finishing.grade_and_finish, which only flushes: their grades, the close and the final
    standings are stored together or not at all.
    """
    now = clock.now()
    if round_.closed_at is not None:
        return False
    if now <= round_.closes_at and not forced:
        raise RankingError("Đợt thi chưa kết thúc nên chưa thể chốt kết quả.")
    # Attempts still open at the close are finished with what they saved (their deadline is at most the close).
    for attempt in db.session.scalars(select(Attempt).where(Attempt.round_id == round_.id,
                                                            Attempt.state.in_(("in_progress", "overdue")))).all():
        grade_and_finish(attempt, manual=False)
    claimed = db.session.execute(update(Round).where(Round.id == round_.id, Round.closed_at.is_(None))
                                 .values(closed_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(round_)
    if claimed != 1:  # closed meanwhile by another request
        return False
    round_.prediction_actual = live_actual(round_)
    refresh_results(round_)
    record("round.close", target=round_, summary=f"Chốt kết quả {round_.title} ({round_.contest.title})",
           changes={"prediction_actual": round_.prediction_actual}, actor=actor)
    db.session.commit()
    return True


def close_due_rounds(actor=None) -> list[Round]:
    """Close every round past its end (plus grace) that is not closed yet; return them."""
    cutoff = clock.now() - grace()
    rounds = db.session.scalars(select(Round).where(Round.closed_at.is_(None), Round.closes_at < cutoff)).all()
    return [r for r in rounds if close_round(r, actor=actor)]

