"""Standings of a round from the database: counting attempts, the prediction's actual value, the unit table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from contest.attempts.grading import FinishedAttempt, counting_attempt
from contest.attempts.models import Attempt
from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.standings import Entry, Ranked, UnitRow, prediction_actual, rank_participants, unit_table


@dataclass
class Standings:
    """A round's ranking for one audience group."""

    ranked: list[Ranked]
    actual: int | None
    actual_is_final: bool
    units: list[UnitRow]
    unit_of: dict[int, int | None]

    def rank_of(self, user_id: int) -> Ranked | None:
        return next((r for r in self.ranked if r.entry.user_id == user_id), None)


def round_standings(round_: Round, group: str) -> Standings:
    """Rank the participants of ``group`` in ``round_`` by their counting attempt (see rank_participants)."""
    rows = db.session.execute(
        select(Attempt.id, Attempt.user_id, Attempt.unit_id, Attempt.number, Attempt.score, Attempt.max_score,
               Attempt.duration_seconds, Attempt.finished_at, Attempt.prediction)
        .where(Attempt.round_id == round_.id, Attempt.group == group, Attempt.state == "finished")
    ).all()
    by_user: dict[int, list] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    entries: list[Entry] = []
    unit_of: dict[int, int | None] = {}
    max_score = 0.0
    for user_id, attempts in by_user.items():
        chosen = counting_attempt([FinishedAttempt(a.id, a.number, a.score or 0.0, a.duration_seconds or 0.0,
                                                   a.finished_at) for a in attempts], round_.counting)
        row = next(a for a in attempts if a.id == chosen.attempt_id)
        max_score = max(max_score, row.max_score or 0.0)
        unit_of[user_id] = row.unit_id
        entries.append(Entry(row.id, user_id, row.score or 0.0, row.prediction, row.duration_seconds or 0.0,
                             row.finished_at))
    if round_.prediction_actual is not None:
        actual, final = round_.prediction_actual, True
    else:
        actual = prediction_actual(round_.prediction_kind, [e.score for e in entries], max_score)
        final = False
    ranked = rank_participants(entries, actual if round_.prediction_kind != "none" else None)
    units = unit_table((unit_of[r.entry.user_id], r.entry.score) for r in ranked)
    return Standings(ranked, actual, final, units, unit_of)
