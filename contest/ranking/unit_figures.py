"""Unit figures from the database: the unit statistics' totals added up by SQL (the one definition, see
``ranking.leaderboard``), every unit's own figures and leaderboard lines, and the collective ranking's rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select

from contest.attempts.models import Attempt
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.leaderboard import (
    CollectiveRow,
    UnitFigures,
    UnitLine,
    collective_parameters,
    collective_ranking,
    roll_up,
)
from contest.ranking.store import FINISHED_NOT_DISQUALIFIED, FULL_SCORE
from contest.ranking.wards import collective_level
from contest.units.models import Unit

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
    """The contest's collective ranking of its top-level units (each with its subtree) over ``rounds``: the
    wards of a city contest taken in several wards (``wards.collective_level``)."""
    lines = collective_level(lines if lines is not None else unit_lines(rounds), contest.owner_unit_id)
    params = collective_parameters(contest.collective_formula, contest.collective_params)
    return collective_ranking(lines, contest.collective_formula, params, prizes or {})
