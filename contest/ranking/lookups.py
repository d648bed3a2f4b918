"""Reading a round's stored standings: the top of a group (of a unit), a person's line found by a binary
search over their unit's range, and how many people are ranked.

The lines are those :func:`ranking.refresh.refresh_results` stored; callers make them fresh first
(:func:`ranking.refresh.fresh_results`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, select

from contest.attempts.models import Attempt
from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.models import RoundResult
from contest.ranking.refresh import ranking_order
from contest.ranking.standings import Entry, chain_key, is_full_score, prediction_gap
from contest.ranking.store import GROUP_CODES, NO_UNIT


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


def full_score(line: StandingLine) -> bool:
    """Whether a standings line is a full score."""
    return is_full_score(line.score, line.max_score)
