"""Standings from the database: the stored per-round results, closing a round, unit leaderboards, the
collective ranking, whole-contest standings and the weekly announcement.

The ranking itself is the tie-break chain of ``standings.rank_participants``; here it runs as one SQL
statement over the counting attempts (``Attempt.counts``) and is stored in ``round_results`` so that pages
of a million-attempt round read a few rows. When those stored results are stale is decided in exactly one
place, :func:`_stale`; :func:`refresh_results` (in a use case's transaction) and a page's refresh run apart
(:func:`fresh_results`, on connections of its own) are the only writers. Pages and exports call
:func:`fresh_results` before they read; use cases that store something derived from the standings call
:func:`current_results`, which never commits: each use case commits once, at its end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, case, func, select, text, update
from sqlalchemy.exc import OperationalError

from contest import clock
from contest.attempts.models import Attempt
from contest.attempts.service import grace, grade_and_finish
from contest.audit.service import diff, record
from contest.contests.models import Contest, Round
from contest.database import UTCDateTime
from contest.extensions import db
from contest.ranking.leaderboard import (
    CollectiveRow,
    UnitFigures,
    UnitLine,
    collective_parameters,
    collective_ranking,
    for_audience,
    lowest_participation,
    roll_up,
)
from contest.ranking.models import ResultPublication, RoundResult
from contest.ranking.standings import (
    Entry,
    OverallRanked,
    RoundScore,
    chain_key,
    is_full_score,
    prediction_gap,
    rank_overall,
    score_bands,
    tie_break_order,
)
from contest.ranking.store import (
    FINISHED_NOT_DISQUALIFIED,
    FULL_SCORE,
    GROUP_CODES,
    NO_UNIT,
    Chain,
    refresh_postgresql_apart,
    refresh_sqlite_apart,
    store_postgresql,
    store_sqlite,
)
from contest.ranking.store import live_actual as store_live_actual
from contest.units.models import Unit


class RankingError(Exception):
    """A ranking rule was broken; the message is for the organiser, in Vietnamese."""


# ---------------------------------------------------------------------------------------------------------
# Stored results: when they are stale (one place), and recomputing them (one writer).


def _stale(round_: Round, now: datetime) -> bool:
    """The one staleness rule: never computed, or an open round's standings older than the refresh interval
    (a closed round's results change only through the use cases that change them)."""
    return _stale_at(round_.results_refreshed_at, round_.closed_at, now)


def _stale_at(refreshed: datetime | None, closed: datetime | None, now: datetime) -> bool:
    """:func:`_stale` on the round's stored moments (public_page reads them without loading the round)."""
    max_age = timedelta(seconds=int(current_app.config["STANDINGS_REFRESH_SECONDS"]))
    return refreshed is None or (closed is None and now - refreshed >= max_age)


def _due(round_: Round, now: datetime) -> bool:
    """Whether the round is past its close (plus the save grace) and not closed yet."""
    return _due_at(round_.closed_at, round_.closes_at, now)


def _due_at(closed: datetime | None, closes: datetime, now: datetime) -> bool:
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
    first by attempts.service.grade_and_finish, which only flushes: their grades, the close and the final
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


# ---------------------------------------------------------------------------------------------------------
# Reading the stored standings.


@dataclass(frozen=True)
class StandingLine:
    """A line of the standings as pages show it."""

    rank: int
    group: str
    user_id: int
    attempt_id: int
    unit_id: int | None
    score: float
    max_score: float
    duration_seconds: float
    finished_at: datetime
    prediction: int | None
    prediction_gap: int | None


def _lines(query, actual: int | None, params: dict | None = None) -> list[StandingLine]:
    return [StandingLine(r.rank, r.group, r.user_id, r.attempt_id, r.unit_id or None, r.score or 0.0,
                         r.max_score or 0.0, r.duration_seconds or 0.0, r.finished_at, r.prediction,
                         prediction_gap(r.prediction, actual))
            for r in db.session.execute(query, params)]


def _standing_query():
    return (select(RoundResult.rank, Attempt.group, Attempt.user_id, RoundResult.attempt_id,
                   RoundResult.unit_id, Attempt.score, Attempt.max_score, Attempt.duration_seconds,
                   Attempt.finished_at, Attempt.prediction)
            .join(Attempt, Attempt.id == RoundResult.attempt_id))


def _actual(round_: Round) -> int | None:
    return round_.prediction_actual if round_.prediction_kind != "none" else None


def _units_of(round_id: int, group: str):
    """The units that have lines in a round's group, as a recursive CTE that seeks from one unit to the next
    along the key (one seek per unit, not a read of every line)."""
    here = and_(RoundResult.round_id == round_id, RoundResult.group_code == GROUP_CODES.get(group, 0))
    units = select(func.min(RoundResult.unit_id).label("unit_id")).where(here).cte("units", recursive=True)
    following = select(func.min(RoundResult.unit_id)).where(here, RoundResult.unit_id > units.c.unit_id)
    return units.union_all(select(following.scalar_subquery()).where(units.c.unit_id.is_not(None)))


def top_results(round_: Round, group: str, limit: int = 50, unit_id: int | None = None,
                offset: int = 0) -> list[StandingLine]:
    """The best ``limit`` of a group (of one unit when given), in rank order, from the stored standings."""
    query = _standing_query().where(RoundResult.round_id == round_.id,
                                    RoundResult.group_code == GROUP_CODES.get(group, 0))
    if unit_id is not None:  # one range of the key
        query = query.where(RoundResult.unit_id == unit_id).offset(offset)
    else:  # ranks are 1..n: the lines ranked offset+1..offset+limit, one short range per unit
        units = _units_of(round_.id, group)
        query = query.join(units, units.c.unit_id == RoundResult.unit_id) \
            .where(RoundResult.rank > offset, RoundResult.rank <= offset + limit)
    return _lines(query.order_by(RoundResult.rank).limit(limit), _actual(round_))


def result_of(round_: Round, user_id: int) -> StandingLine | None:
    """A person's line in the round's stored standings (None if they have no counted attempt).

    The stored lines carry no index by person (it would be rewritten at every recomputation): the line is
    found by a binary search over the person's unit, whose lines are in the order of the tie-break chain,
    on the sort key of their finished attempts (the counting one first), in about twenty seeks. Should the
    attempt have changed since the standings were stored, the unit's lines are read instead.
    """
    actual = _actual(round_)
    steps = ranking_order(round_)
    attempts = db.session.connection().execute(_FINISHED_OF, {"round_id": round_.id, "user_id": user_id}).all()
    for attempt in sorted(attempts, key=lambda a: not a.counts):
        place = (round_.id, GROUP_CODES.get(attempt.group, 0), attempt.unit_id or NO_UNIT)
        where = dict(zip(("round_id", "group_code", "unit_id"), place, strict=True))
        rank = _search_rank(place, attempt, steps, actual)
        lines = _lines(_LINE_AT, actual, {**where, "rank": rank}) if rank is not None \
            else _lines(_LINE_OF, actual, {**where, "user_id": user_id})
        if lines and lines[0].user_id == user_id:
            return lines[0]
    return None


def _entry(row) -> Entry | None:
    if row.score is None or row.duration_seconds is None or row.finished_at is None:
        return None
    return Entry(row.id, row.user_id, row.score, row.prediction, row.duration_seconds, row.finished_at)


# The statements of the binary search, built once: a statement object used again is executed without
# SQLAlchemy adapting its cached compiled form to a new object (which cost more than the seek itself).
_IN_UNIT = (RoundResult.round_id == bindparam("round_id"), RoundResult.group_code == bindparam("group_code"),
            RoundResult.unit_id == bindparam("unit_id"))
_LAST_IN_UNIT = select(func.max(RoundResult.rank)).where(*_IN_UNIT)
_PROBE = select(RoundResult.rank, Attempt.id, Attempt.user_id, Attempt.score, Attempt.prediction,
                Attempt.duration_seconds, Attempt.finished_at) \
    .join(Attempt, Attempt.id == RoundResult.attempt_id) \
    .where(*_IN_UNIT, RoundResult.rank >= bindparam("from_rank")).order_by(RoundResult.rank).limit(1)

_LINE_AT = _standing_query().where(*_IN_UNIT, RoundResult.rank == bindparam("rank"))
_LINE_OF = _standing_query().where(*_IN_UNIT, Attempt.user_id == bindparam("user_id")).limit(1)
_FINISHED_OF = select(Attempt.id, Attempt.user_id, Attempt.group, Attempt.unit_id, Attempt.score,
                      Attempt.prediction, Attempt.duration_seconds, Attempt.finished_at, Attempt.counts) \
    .where(Attempt.round_id == bindparam("round_id"), Attempt.user_id == bindparam("user_id"),
           Attempt.state == "finished", Attempt.is_practice.is_(False))


def _search_rank(place: tuple[int, int, int], attempt, steps, actual: int | None) -> int | None:
    """The rank at which ``attempt`` is stored in the unit's range ``place``, by binary search on the
    chain's sort key (standings.chain_key, the order the lines were ranked in); None if it is not there."""
    target = _entry(attempt)
    if target is None:
        return None
    key = chain_key(target, actual, steps)
    connection = db.session.connection()
    where = dict(zip(("round_id", "group_code", "unit_id"), place, strict=True))
    last = connection.execute(_LAST_IN_UNIT, where).scalar()
    if last is None:
        return None
    low, high, found = 1, last, None
    while low <= high:  # the first line whose key is not below the attempt's
        line = connection.execute(_PROBE, {**where, "from_rank": (low + high) // 2}).first()
        entry = _entry(line) if line is not None else None
        if line is None or entry is None:
            return None
        line_key = chain_key(entry, actual, steps)
        if line_key < key:
            low = line.rank + 1
        else:
            found = line
            high = (low + high) // 2 - 1
    return found.rank if found is not None and found.id == attempt.id else None


def participant_count(round_: Round, group: str) -> int:
    """How many people are ranked in the group: the last rank, read from the end of each unit's range."""
    units = _units_of(round_.id, group)
    last = select(func.max(RoundResult.rank)).where(RoundResult.round_id == round_.id,
                                                    RoundResult.group_code == GROUP_CODES.get(group, 0),
                                                    RoundResult.unit_id == units.c.unit_id).scalar_subquery()
    return db.session.scalar(select(func.max(last)).select_from(units)) or 0


# The public results pages' version, in one statement written once per dialect: the contest's public terms
# and ranking settings, the newest publication of its results, and each round's stored-results moments.
# Everything a cached page shows comes from these (within a round's refresh interval); what they do not
# cover (a person's consent to be named, a unit renamed) reaches the page when its entry expires.
_PAGE_VERSION_SQL = (
    "SELECT c.id AS contest_id, c.is_published, c.kind, c.audience, c.tie_break, c.overall_rule,"
    " c.prize_highest_only, c.collective_formula, {params} AS collective_params, c.unit_prizes_first,"
    " c.unit_prizes_second, c.unit_prizes_third, c.unit_prizes_consolation,"
    " (SELECT max(p.id) FROM result_publications p WHERE p.contest_id = c.id) AS publication,"
    " r.id AS round_id, r.number, r.results_refreshed_at, r.closed_at, r.closes_at"
    " FROM contests c JOIN rounds r ON r.contest_id = c.id WHERE c.slug = :slug ORDER BY r.number"
)
_PAGE_VERSION = {
    "sqlite": text(_PAGE_VERSION_SQL.format(params="c.collective_params")).columns(
        results_refreshed_at=UTCDateTime(), closed_at=UTCDateTime(), closes_at=UTCDateTime()),
    "postgresql": text(_PAGE_VERSION_SQL.format(params="CAST(c.collective_params AS TEXT)")).columns(
        results_refreshed_at=UTCDateTime(), closed_at=UTCDateTime(), closes_at=UTCDateTime()),
}


def public_page(slug: str, variant: tuple, numbers: list[int] | None, build: Callable[[], str]) -> str:
    """A public results page of the contest ``slug`` as rendered for anonymous visitors, reused while the
    results it shows are unchanged (at most STANDINGS_REFRESH_SECONDS).

    Polling viewers of a big round would otherwise keep the app's workers from the takers' autosaves. A hit
    costs one statement and no ORM work: the version of what the page shows (the contest's terms and
    settings, its publications, the moments the rounds' standings were stored, ``_PAGE_VERSION``) is read,
    and if none of the rounds the page shows (``numbers``; every round when None) is due for a refresh or
    a close, the page stored under that version is served. Otherwise ``build`` makes the page, refreshing
    what it must, as it always does. The key comes from the database, so that every app server keys the
    same standings alike; the entries are per process and live at most the refresh interval.
    ``build`` is called for signed-in visitors (their own rank, their name in the menu) every time.
    This function is the only place that reads or drops the cache's entries.
    """
    from flask_login import current_user

    if current_user.is_authenticated:
        return build()
    rows = db.session.execute(_PAGE_VERSION[db.engine.dialect.name], {"slug": slug}).all()
    now = clock.now()
    shown = [r for r in rows if numbers is None or r.number in numbers]
    if not shown or not rows[0].is_published or rows[0].kind != "contest" or any(
            _stale_at(r.results_refreshed_at, r.closed_at, now) or _due_at(r.closed_at, r.closes_at, now)
            for r in shown):
        return build()  # a 404, or results to refresh first: never cached under a version read before
    first = rows[0]
    key = (slug, variant, tuple(first[:14]), tuple((r.round_id, r.number, r.results_refreshed_at, r.closed_at)
                                                   for r in shown))
    cache: dict = current_app.extensions.setdefault("hoithi_results_pages", {})
    moment = time.monotonic()
    hit = cache.get(key)
    if hit is not None and moment - hit[0] < int(current_app.config["STANDINGS_REFRESH_SECONDS"]):
        return hit[1]
    html = build()
    if len(cache) >= 512:
        cache.clear()
    cache[key] = (moment, html)
    return html


# ---------------------------------------------------------------------------------------------------------
# Unit leaderboards and the collective ranking.


# The one definition of unit statistics (see leaderboard's docstring), added up by the database.
_RATIO = case((Attempt.max_score > 0, Attempt.score / Attempt.max_score), else_=0.0)
UNASSIGNED = "(Chưa xác định đơn vị)"


def _in_scope(round_ids: list[int] | None, group: str | None, start: datetime | None, end: datetime | None,
              unit_ids: set[int] | None) -> list:
    where = []
    if round_ids is not None:
        where.append(Attempt.round_id == round_ids[0] if len(round_ids) == 1 else Attempt.round_id.in_(round_ids))
    if group:
        where.append(Attempt.group == group)
    if start is not None:
        where.append(Attempt.finished_at >= start)
    if end is not None:
        where.append(Attempt.finished_at < end)
    if unit_ids is not None:
        where.append(Attempt.unit_id.in_(sorted(unit_ids)))
    return where


def figure_totals(keys: tuple, round_ids: list[int] | None = None, group: str | None = None, *,
                  start: datetime | None = None, end: datetime | None = None,
                  unit_ids: set[int] | None = None) -> dict[tuple, list]:
    """The unit statistics' totals over the attempts in scope, per value of ``keys`` (columns of Attempt, the
    audience group among them): [participants, counted results, score sum, Σ score ÷ maximum, full scores,
    attempts]. ``round_ids`` None: every round; ``start``/``end``: finished in [start, end).

    Over one round (group and unit as keys) both queries read an index in its order (ix_attempts_counting,
    ix_attempts_finished), so neither sorts nor looks up the table; a person has one counting attempt per
    round, so participants are counted without DISTINCT (which cost a second at a million). Over several
    rounds a person is counted once per key.
    """
    if round_ids is not None and not round_ids:
        return {}
    where = _in_scope(round_ids, group, start, end, unit_ids)
    one_round = round_ids is not None and len(round_ids) == 1
    people = func.count() if one_round else func.count(func.distinct(Attempt.user_id))
    counted = select(*keys, people, func.count(), func.sum(Attempt.score), func.sum(_RATIO),
                     func.sum(case((FULL_SCORE, 1), else_=0))).where(*where, Attempt.counts)
    # As ix_attempts_finished's condition is written, so that SQLite uses it.
    attempts = select(*keys, func.count()).where(*where, FINISHED_NOT_DISQUALIFIED)
    totals: dict[tuple, list] = {}
    for *key, participants, results, score_sum, ratio_sum, full in db.session.execute(counted.group_by(*keys)):
        totals[tuple(key)] = [participants or 0, results or 0, float(score_sum or 0.0), float(ratio_sum or 0.0),
                              int(full or 0), 0]
    for *key, count in db.session.execute(attempts.group_by(*keys)):
        totals.setdefault(tuple(key), [0, 0, 0.0, 0.0, 0, 0])[5] = count
    return totals


def unit_figures(rounds: list[Round] | None, group: str | None = None, *, start: datetime | None = None,
                 end: datetime | None = None, unit_ids: set[int] | None = None,
                 unassigned: bool = False) -> list[UnitFigures]:
    """Every unit's own figures (of ``unit_ids`` when given) over ``rounds`` (one round, all of a contest, or
    None: every round), by the one definition of unit statistics; with ``unassigned``, a last line for the
    attempts without a unit when there are any."""
    round_ids = None if rounds is None else [r.id for r in rounds]
    totals = figure_totals((Attempt.group, Attempt.unit_id), round_ids, group, start=start, end=end,
                           unit_ids=unit_ids)
    by_unit: dict[int | None, list] = {}
    for (_group, unit_id), values in totals.items():
        current = by_unit.setdefault(unit_id, [0, 0, 0.0, 0.0, 0, 0])
        for i, value in enumerate(values):
            current[i] += value
    query = select(Unit) if unit_ids is None else select(Unit).where(Unit.id.in_(sorted(unit_ids)))
    out = []
    for unit in db.session.scalars(query):
        out.append(_figures(unit.id, unit.name, unit.parent_id, unit.headcount, unit.code, unit.kind,
                            by_unit.get(unit.id)))
    if unassigned and None in by_unit:
        out.append(_figures(None, UNASSIGNED, None, None, "", "", by_unit[None]))
    return out


def _figures(unit_id, name, parent_id, headcount, code, kind, values) -> UnitFigures:
    participants, results, score_sum, ratio_sum, full, attempts = values or (0, 0, 0.0, 0.0, 0, 0)
    return UnitFigures(unit_id, name, parent_id, headcount, participants, attempts, score_sum, full, results,
                       ratio_sum, code, kind)


def unit_lines(rounds: list[Round] | None, group: str | None = None, *, start: datetime | None = None,
               end: datetime | None = None, unit_ids: set[int] | None = None) -> list[UnitLine]:
    """The leaderboard lines of every unit in scope (subtrees added up), in tree order."""
    return roll_up(unit_figures(rounds, group, start=start, end=end, unit_ids=unit_ids))


def collective_rows(contest: Contest, rounds: list[Round], prizes: dict[int, dict[str, int]] | None = None,
                    lines: list[UnitLine] | None = None) -> list[CollectiveRow]:
    """The contest's collective ranking of its top-level units (each with its subtree) over ``rounds``."""
    lines = [ln for ln in (lines if lines is not None else unit_lines(rounds)) if ln.depth == 0]
    params = collective_parameters(contest.collective_formula, contest.collective_params)
    return collective_ranking(lines, contest.collective_formula, params, prizes or {})


def top_level_unit_of() -> dict[int, int]:
    """Each unit's top-level ancestor (itself when it has no parent)."""
    parents = dict(db.session.execute(select(Unit.id, Unit.parent_id)).all())
    top = {}
    for unit_id in parents:
        current, seen = unit_id, set()
        while parents.get(current) and parents[current] in parents and current not in seen:
            seen.add(current)
            current = parents[current]
        top[unit_id] = current
    return top


# ---------------------------------------------------------------------------------------------------------
# Whole-contest standings and the weekly announcement.


def contest_standings(contest: Contest, group: str, limit: int = 50) -> tuple[list[OverallRanked], int]:
    """The whole contest's ranking of a group (sum or best of rounds, as configured): the first ``limit``
    and how many people are ranked."""
    for round_ in contest.rounds:
        fresh_results(round_)
    rows = db.session.execute(
        select(Attempt.user_id, RoundResult.round_id, Attempt.score, Attempt.duration_seconds,
               Attempt.finished_at)
        .join(Attempt, Attempt.id == RoundResult.attempt_id)
        .where(RoundResult.round_id.in_([r.id for r in contest.rounds]),
               RoundResult.group_code == GROUP_CODES.get(group, 0)))
    ranked = rank_overall((RoundScore(r.user_id, r.round_id, r.score or 0.0, r.duration_seconds or 0.0,
                                      r.finished_at) for r in rows), contest.overall_rule)
    return ranked[:limit], len(ranked)


@dataclass
class Announcement:
    """The weekly announcement of a round."""

    participants: dict[str, int]
    attempts: int
    bands: dict[str, int]
    units: list[UnitLine]
    lowest: list[UnitLine]


def announcement(round_: Round) -> Announcement:
    """Participants by group, the score bands of the counted results, and participation per unit."""
    fresh_results(round_)
    participants = {g: participant_count(round_, g) for g in round_.contest.groups}
    attempts = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.round_id == round_.id, FINISHED_NOT_DISQUALIFIED)) or 0
    bands = score_bands(db.session.execute(
        select(Attempt.score, Attempt.max_score, func.count()).where(Attempt.round_id == round_.id, Attempt.counts)
        .group_by(Attempt.score, Attempt.max_score)).all())
    # A residents' contest names no office as lowest participation, an officials' one no residential group.
    kinds = dict(db.session.execute(select(Unit.id, Unit.kind)).all())
    lines = for_audience(unit_lines([round_]), kinds, round_.contest.audience)
    return Announcement(participants, attempts, bands, lines, lowest_participation(lines))


def full_score(line: StandingLine) -> bool:
    """Whether a standings line is a full score."""
    return is_full_score(line.score, line.max_score)


def save_ranking_settings(contest: Contest, *, tie_break: list[str], overall_rule: str, prize_highest_only: bool,
                          collective_formula: str, collective_params: dict,
                          unit_prizes: dict[str, int]) -> list[Round]:
    """Store how the contest ranks people and units; return the published rounds that keep their order.

    A changed tie-break order re-ranks every round whose winners are not published yet (open or closed); a
    published round stays ranked by the order it was published with (:func:`ranking_order`), and the new
    order reaches its public pages only through a correction (publishing.correct_order). The organiser is
    told which rounds wait for one."""
    if sorted(tie_break) != sorted(tie_break_order(None)):
        raise RankingError("Mỗi tiêu chí xếp hạng phải có mặt đúng một lần.")
    before = {"tie_break": contest.tie_break, "overall_rule": contest.overall_rule,
              "prize_highest_only": contest.prize_highest_only, "collective_formula": contest.collective_formula,
              "collective_params": contest.collective_params,
              **{f"unit_prizes_{t}": getattr(contest, f"unit_prizes_{t}") for t in unit_prizes}}
    contest.tie_break = ",".join(tie_break)
    contest.overall_rule = overall_rule
    contest.prize_highest_only = prize_highest_only
    contest.collective_formula = collective_formula
    contest.collective_params = collective_params
    for tier, count in unit_prizes.items():
        setattr(contest, f"unit_prizes_{tier}", count)
    after = {**before, "tie_break": contest.tie_break, "overall_rule": overall_rule,
             "prize_highest_only": prize_highest_only, "collective_formula": collective_formula,
             "collective_params": collective_params, **{f"unit_prizes_{t}": n for t, n in unit_prizes.items()}}
    record("contest.edit", target=contest, summary=f"Sửa cách xếp hạng và trao giải: {contest.title}",
           changes=diff(before, after))
    kept: list[Round] = []
    if tie_break_order(before["tie_break"]) != tie_break_order(contest.tie_break):
        for round_ in sorted(contest.rounds, key=lambda r: r.number):
            if ranking_order(round_) != tie_break_order(contest.tie_break):
                kept.append(round_)  # published: ranked by its publication's order
            elif round_.results_refreshed_at is not None:
                refresh_results(round_)
    db.session.commit()
    return kept
