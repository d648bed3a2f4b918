"""Figures of participation and results, computed in the database (aggregates, never one object per attempt).

Used by the dashboard, the unit statistics page and the exports. ``unit_ids`` restricts every figure to the
units a unit manager may see (None: all units).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Integer, case, cast, distinct, func, select

from contest import clock
from contest.attempts.models import Attempt
from contest.collation import sort_key
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.reports.periods import Period, utc_bounds
from contest.units.models import Unit

FULL_SCORE_SLACK = 1e-9
SCORE_BINS = 10  # the score distribution in tenths of the maximum


@dataclass
class UnitFigures:
    """One unit's participation and results in a period or round."""

    unit_id: int | None
    participants: int = 0
    attempts: int = 0
    mean_percent: float | None = None  # mean of each participant's best score, as a fraction of the maximum
    full_scores: int = 0  # participants with at least one full score


@dataclass
class UnitLine:
    """A unit with its headcount and figures, as reports list them."""

    unit: Unit
    figures: UnitFigures

    @property
    def rate(self) -> float | None:
        """Participants ÷ headcount (None without a headcount)."""
        if not self.unit.headcount:
            return None
        return self.figures.participants / self.unit.headcount


@dataclass
class GroupCounts:
    """Participants and attempts per audience group, and in total."""

    by_group: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def participants(self) -> int:
        return sum(p for p, _ in self.by_group.values())

    @property
    def attempts(self) -> int:
        return sum(a for _, a in self.by_group.values())


def _ratio():
    return case((Attempt.max_score > 0, Attempt.score / Attempt.max_score), else_=None)


def _full():
    return case(((Attempt.max_score > 0) & (Attempt.score >= Attempt.max_score - FULL_SCORE_SLACK), 1), else_=0)


def _scoped(query, *, round_ids: Iterable[int] | None = None, start: datetime | None = None,
            end: datetime | None = None, unit_ids: set[int] | None = None, group: str | None = None,
            moment=Attempt.finished_at):
    if round_ids is not None:
        query = query.where(Attempt.round_id.in_(list(round_ids)))
    if start is not None:
        query = query.where(moment >= start)
    if end is not None:
        query = query.where(moment < end)
    if unit_ids is not None:
        query = query.where(Attempt.unit_id.in_(sorted(unit_ids)))
    if group is not None:
        query = query.where(Attempt.group == group)
    return query


def unit_figures(*, round_ids: Iterable[int] | None = None, start: datetime | None = None,
                 end: datetime | None = None, unit_ids: set[int] | None = None,
                 group: str | None = None) -> dict[int | None, UnitFigures]:
    """Per unit: distinct participants, finished attempts, mean best score (fraction of the maximum) and
    participants with a full score, over finished attempts (finished in [start, end) when given)."""
    per_user = _scoped(
        select(Attempt.unit_id.label("unit_id"), Attempt.user_id, func.count(Attempt.id).label("n"),
               func.max(_ratio()).label("best"), func.max(_full()).label("full"))
        .where(Attempt.state == "finished"),
        round_ids=round_ids, start=start, end=end, unit_ids=unit_ids, group=group,
    ).group_by(Attempt.unit_id, Attempt.user_id).subquery()
    rows = db.session.execute(
        select(per_user.c.unit_id, func.count(), func.sum(per_user.c.n), func.avg(per_user.c.best),
               func.sum(per_user.c.full)).group_by(per_user.c.unit_id)
    ).all()
    return {unit_id: UnitFigures(unit_id, int(p), int(n or 0), None if mean is None else float(mean), int(full or 0))
            for unit_id, p, n, mean, full in rows}


def unit_lines(figures: dict[int | None, UnitFigures], unit_ids: set[int] | None) -> list[UnitLine]:
    """Every unit in scope (those without any participant too), in Vietnamese alphabetical order, with its
    figures."""
    query = select(Unit)
    if unit_ids is not None:
        query = query.where(Unit.id.in_(sorted(unit_ids)))
    units = sorted(db.session.scalars(query), key=lambda u: (sort_key(u.name), u.id))
    return [UnitLine(u, figures.get(u.id) or UnitFigures(u.id)) for u in units]


def group_counts(*, round_ids: Iterable[int] | None = None, start: datetime | None = None,
                 end: datetime | None = None, unit_ids: set[int] | None = None) -> GroupCounts:
    """Participants (distinct people) and attempts started (not abandoned) per audience group."""
    rows = db.session.execute(
        _scoped(select(Attempt.group, func.count(distinct(Attempt.user_id)), func.count(Attempt.id))
                .where(Attempt.state != "abandoned"),
                round_ids=round_ids, start=start, end=end, unit_ids=unit_ids, moment=Attempt.started_at)
        .group_by(Attempt.group)
    ).all()
    return GroupCounts({group: (int(p), int(n)) for group, p, n in rows})


def vn_day(column):
    """The Vietnam calendar day of a UTC timestamp column, computed by the database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Ho_Chi_Minh", column))
    return func.date(column, "+7 hours")  # SQLite stores naive UTC; Vietnam has no daylight saving


def attempts_per_day(*, round_ids: Iterable[int], unit_ids: set[int] | None = None) -> list[tuple[date, int]]:
    """Attempts started per Vietnam day, in date order."""
    day = vn_day(Attempt.started_at).label("day")
    rows = db.session.execute(
        _scoped(select(day, func.count(Attempt.id)).where(Attempt.state != "abandoned"),
                round_ids=round_ids, unit_ids=unit_ids).group_by(day).order_by(day)
    ).all()
    return [(d if isinstance(d, date) else date.fromisoformat(str(d)), int(n)) for d, n in rows]


def score_distribution(*, round_ids: Iterable[int], unit_ids: set[int] | None = None) -> list[int]:
    """How many participants' best score falls in each tenth of the maximum (the last bin holds 90–100 %)."""
    per_user = _scoped(select(func.max(_ratio()).label("best")).where(Attempt.state == "finished"),
                       round_ids=round_ids, unit_ids=unit_ids).group_by(Attempt.user_id).subquery()
    # Truncate in SQL with an explicit floor so PostgreSQL (which rounds casts) and SQLite agree.
    tenth = cast(func.floor(per_user.c.best * SCORE_BINS), Integer) if db.session.get_bind().dialect.name \
        == "postgresql" else cast(per_user.c.best * SCORE_BINS, Integer)
    bins = [0] * SCORE_BINS
    for value, count in db.session.execute(select(tenth, func.count()).where(per_user.c.best.is_not(None))
                                           .group_by(tenth)):
        bins[min(max(int(value), 0), SCORE_BINS - 1)] += int(count)
    return bins


def contest_round_ids(contest: Contest) -> list[int]:
    """The ids of a contest's rounds."""
    return list(db.session.scalars(select(Round.id).where(Round.contest_id == contest.id)))


def today_bounds() -> tuple[datetime, datetime]:
    """Today in Vietnam as a UTC interval."""
    today = clock.to_vn(clock.now()).date()
    return utc_bounds(Period(today, today))


@dataclass(frozen=True)
class RoundGroupFigures:
    """Participation and results of one round and audience group."""

    contest: str
    round: str
    group: str
    participants: int
    attempts: int
    mean_percent: float | None
    full_scores: int


def round_group_figures(*, start: datetime | None = None, end: datetime | None = None,
                        unit_ids: set[int] | None = None) -> list[RoundGroupFigures]:
    """Per round and audience group with finished attempts in [start, end): the same figures as per unit."""
    per_user = _scoped(
        select(Attempt.round_id, Attempt.group, Attempt.user_id, func.count(Attempt.id).label("n"),
               func.max(_ratio()).label("best"), func.max(_full()).label("full"))
        .where(Attempt.state == "finished"), start=start, end=end, unit_ids=unit_ids,
    ).group_by(Attempt.round_id, Attempt.group, Attempt.user_id).subquery()
    rows = db.session.execute(
        select(Contest.title, Round.title, per_user.c.group, func.count(), func.sum(per_user.c.n),
               func.avg(per_user.c.best), func.sum(per_user.c.full))
        .join(Round, Round.id == per_user.c.round_id).join(Contest, Contest.id == Round.contest_id)
        .group_by(Contest.id, Contest.title, Round.id, Round.number, Round.title, per_user.c.group)
        .order_by(Contest.id, Round.number, per_user.c.group)
    ).all()
    return [RoundGroupFigures(c, r, g, int(p), int(n or 0), None if m is None else float(m), int(f or 0))
            for c, r, g, p, n, m, f in rows]
