"""Whole-contest standings (sum or best of rounds) and the weekly announcement of a round."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from contest.attempts.models import Attempt
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.leaderboard import UnitLine, for_audience, lowest_participation
from contest.ranking.lookups import participant_count
from contest.ranking.models import RoundResult
from contest.ranking.refresh import fresh_results
from contest.ranking.standings import OverallRanked, RoundScore, rank_overall, score_bands
from contest.ranking.store import FINISHED_NOT_DISQUALIFIED, GROUP_CODES
from contest.ranking.unit_figures import unit_lines
from contest.units.models import Unit


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
