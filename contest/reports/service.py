"""Figures of participation and results for the console: the dashboard's computed in the database
(aggregates, never one object per attempt) — per audience group, per day and the score distribution — and
the periodic report's from one read of the period's attempts, pivoted with pandas by the pure functions of
``contest.reports.frames`` (per unit, and per round and audience group).

Participants, attempts, mean score and full scores follow the one definition of unit statistics
(``ranking.leaderboard``, added up by ``ranking.unit_figures.figure_totals``; ``reports.frames`` computes the same
from rows, and tests/reports compares the two); the per-unit lines are rolled up by ``ranking.leaderboard``.
``unit_ids`` restricts every figure to the units a unit manager may see (None: all units).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Integer, case, cast, func, or_, select

from contest import clock
from contest.attempts.models import Attempt
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.leaderboard import UnitFigures, UnitLine, roll_up
from contest.ranking.store import FINISHED_NOT_DISQUALIFIED
from contest.ranking.unit_figures import figure_totals
from contest.reports.frames import ROUND_COLUMNS, attempt_frame, round_group_table, unit_totals
from contest.reports.periods import Period, utc_bounds
from contest.units.models import Unit

SCORE_BINS = 10  # the score distribution in tenths of the maximum


@dataclass
class GroupCounts:
    """Participants and attempts per audience group, and in total (the one definition of unit statistics)."""

    by_group: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def participants(self) -> int:
        return sum(p for p, _ in self.by_group.values())

    @property
    def attempts(self) -> int:
        return sum(a for _, a in self.by_group.values())


def _scoped(query, *, round_ids: Iterable[int] | None = None, unit_ids: set[int] | None = None):
    if round_ids is not None:
        query = query.where(Attempt.round_id.in_(list(round_ids)))
    if unit_ids is not None:
        query = query.where(Attempt.unit_id.in_(sorted(unit_ids)))
    return query


def group_counts(*, round_ids: Iterable[int] | None = None, start: datetime | None = None,
                 end: datetime | None = None, unit_ids: set[int] | None = None) -> GroupCounts:
    """Participants and attempts per audience group (finished in [start, end) when given), as the unit
    statistics count them."""
    totals = figure_totals((Attempt.group,), None if round_ids is None else list(round_ids), start=start,
                           end=end, unit_ids=unit_ids)
    return GroupCounts({group: (values[0], values[5]) for (group,), values in totals.items()})


def vn_day(column):
    """The Vietnam calendar day of a UTC timestamp column, computed by the database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Ho_Chi_Minh", column))
    return func.date(column, "+7 hours")  # SQLite stores naive UTC; Vietnam has no daylight saving


def attempts_per_day(*, round_ids: Iterable[int], unit_ids: set[int] | None = None) -> list[tuple[date, int]]:
    """Attempts per Vietnam day of their finish, in date order: the unit statistics' attempts (finished, not
    disqualified), so that the days add up to the dashboard's count."""
    day = vn_day(Attempt.finished_at).label("day")
    rows = db.session.execute(
        _scoped(select(day, func.count(Attempt.id)).where(FINISHED_NOT_DISQUALIFIED),
                round_ids=round_ids, unit_ids=unit_ids).group_by(day).order_by(day)
    ).all()
    return [(d if isinstance(d, date) else date.fromisoformat(str(d)), int(n)) for d, n in rows]


def score_distribution(*, round_ids: Iterable[int], unit_ids: set[int] | None = None) -> list[int]:
    """How many counted results (one per person and round: the counting attempt, never a disqualified one)
    fall in each tenth of the maximum (the last bin holds 90–100 %)."""
    ratio = case((Attempt.max_score > 0, Attempt.score / Attempt.max_score), else_=None)
    # Truncate in SQL with an explicit floor so PostgreSQL (which rounds casts) and SQLite agree.
    tenth = cast(func.floor(ratio * SCORE_BINS), Integer) if db.session.get_bind().dialect.name \
        == "postgresql" else cast(ratio * SCORE_BINS, Integer)
    bins = [0] * SCORE_BINS
    query = _scoped(select(tenth, func.count()).where(Attempt.counts, Attempt.max_score > 0),
                    round_ids=round_ids, unit_ids=unit_ids)
    for value, count in db.session.execute(query.group_by(tenth)):
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


@dataclass
class PeriodicFigures:
    """The periodic report's two pivots: every unit's line over the contests' rounds (subtrees added up, in
    tree order) and each round and audience group with attempts."""

    units: list[UnitLine]
    rounds: list[RoundGroupFigures]


def period_attempts(start: datetime, end: datetime, unit_ids: set[int] | None = None) -> pd.DataFrame:
    """The attempts finished in [start, end) that count or are finished and not disqualified, within
    ``unit_ids`` (None: all): one read, as rows of ``frames.ATTEMPT_COLUMNS``."""
    # Both flags as 0/1 integers: a Boolean column would be converted row by row in Python.
    counts, finished = case((Attempt.counts, 1), else_=0), case((FINISHED_NOT_DISQUALIFIED, 1), else_=0)
    query = _scoped(select(Attempt.round_id, Attempt.group, Attempt.unit_id, Attempt.user_id, Attempt.score,
                           Attempt.max_score, counts, finished)
                    .where(Attempt.finished_at >= start, Attempt.finished_at < end,
                           or_(Attempt.counts, FINISHED_NOT_DISQUALIFIED)), unit_ids=unit_ids)
    # Core rows through the session's connection: the ORM's per-row loading would cost more than the read.
    return attempt_frame(db.session.connection().execute(query).all())


def periodic_figures(start: datetime, end: datetime, unit_ids: set[int] | None = None) -> PeriodicFigures:
    """The periodic report's figures for attempts finished in [start, end): per unit over the contests'
    rounds (every unit in scope, with or without attempts) and per round and audience group over every round
    (surveys too), from one read of the attempts (pivots: ``contest.reports.frames``)."""
    attempts = period_attempts(start, end, unit_ids)
    rounds = pd.DataFrame(db.session.execute(select(Round.id, Round.contest_id, Round.number, Contest.title,
                                                    Round.title, Contest.kind).join(Contest)).all(),
                          columns=[*ROUND_COLUMNS, "kind"])
    totals = unit_totals(attempts, rounds.loc[rounds["kind"] == "contest", "round_id"])
    by_unit = {int(unit): values for unit, values in zip(totals.index, totals.itertuples(index=False), strict=True)
               if not pd.isna(unit)}
    query = select(Unit) if unit_ids is None else select(Unit).where(Unit.id.in_(sorted(unit_ids)))
    figures = []
    for unit in db.session.scalars(query):
        values = by_unit.get(unit.id)
        figures.append(UnitFigures(unit.id, unit.name, unit.parent_id, unit.headcount, code=unit.code, kind=unit.kind,
                                   **({} if values is None else {
                                       "participants": int(values.participants), "attempts": int(values.attempts),
                                       "score_sum": float(values.score_sum), "full_scores": int(values.full_scores),
                                       "results": int(values.results), "ratio_sum": float(values.ratio_sum)})))
    table = round_group_table(attempts, rounds)
    return PeriodicFigures(roll_up(figures), [RoundGroupFigures(*row) for row in table.itertuples(index=False)])
