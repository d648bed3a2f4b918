"""Standings from the database: the stored per-round results, closing a round, unit leaderboards, the
collective ranking, whole-contest standings and the weekly announcement.

The ranking itself is the tie-break chain of ``standings.rank_participants``; here it runs as one SQL
statement over the counting attempts (``Attempt.counts``) and is stored in ``round_results`` so that pages
of a million-attempt round read a few rows. When those stored results are stale is decided in exactly one
place, :func:`fresh_results`; :func:`refresh_results` is the only writer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from contest import clock
from contest.attempts.models import Attempt
from contest.attempts.service import finish_attempt, grace
from contest.audit.service import diff, record
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.leaderboard import (
    CollectiveRow,
    UnitFigures,
    UnitLine,
    collective_parameters,
    collective_ranking,
    lowest_participation,
    roll_up,
)
from contest.ranking.models import RoundResult
from contest.ranking.standings import (
    OverallRanked,
    RoundScore,
    is_full_score,
    prediction_gap,
    rank_overall,
    score_bands,
    tie_break_order,
)
from contest.units.models import Unit

FULL_SCORE_EPSILON = 1e-9
REFRESH_CACHE_KIB = 256 * 1024
# standings.is_full_score in SQL.
FULL_SCORE = (Attempt.max_score > 0) & (Attempt.score >= Attempt.max_score - FULL_SCORE_EPSILON)


class RankingError(Exception):
    """A ranking rule was broken; the message is for the organiser, in Vietnamese."""


# ---------------------------------------------------------------------------------------------------------
# Stored results: when they are stale (one place), and recomputing them (one writer).


def fresh_results(round_: Round) -> Round:
    """Make the stored standings of ``round_`` current enough to show, and return the round.

    The one staleness rule: a round past its close (plus the save grace) is closed first — actual value
    frozen, final standings stored — and a closed round's results change only through the use cases that
    change them (disqualify, reinstate); an open round's results are recomputed when older than
    ``STANDINGS_REFRESH_SECONDS`` or never computed.
    """
    now = clock.now()
    if round_.closed_at is None and now > round_.closes_at + grace():
        close_round(round_, actor=AUTOMATIC)
        return round_
    refreshed = round_.results_refreshed_at
    max_age = timedelta(seconds=int(current_app.config["STANDINGS_REFRESH_SECONDS"]))
    if refreshed is None or (round_.closed_at is None and now - refreshed >= max_age):
        # Claim the refresh so that concurrent viewers do not all recompute: the loser shows the winner's.
        condition = Round.results_refreshed_at.is_(None) if refreshed is None \
            else Round.results_refreshed_at == refreshed
        claimed = db.session.execute(update(Round).where(Round.id == round_.id, condition)
                                     .values(results_refreshed_at=now)
                                     .execution_options(synchronize_session=False)).rowcount
        if claimed == 1:
            refresh_results(round_)
            db.session.commit()
        else:
            db.session.rollback()
        db.session.refresh(round_)
    return round_


def live_actual(round_: Round) -> int | None:
    """The prediction's actual value from the counting attempts now: full scores, or participants."""
    if round_.prediction_kind == "none":
        return None
    query = select(func.count()).select_from(Attempt).where(Attempt.round_id == round_.id, Attempt.counts)
    if round_.prediction_kind == "full_score_count":
        query = query.where(FULL_SCORE)
    return db.session.scalar(query) or 0


def _order_by(round_: Round, actual: int | None) -> list:
    """The contest's tie-break chain (standings.rank_participants) as SQL ORDER BY terms."""
    terms: list = []
    for step in tie_break_order(round_.contest.tie_break):
        if step == "score":
            terms.append(Attempt.score.desc())
        elif step == "prediction" and actual is not None:
            terms += [case((Attempt.prediction.is_(None), 1), else_=0), func.abs(Attempt.prediction - actual)]
        elif step == "duration":
            terms.append(Attempt.duration_seconds)
        elif step == "finished":
            terms.append(Attempt.finished_at)
    terms.append(Attempt.id)
    return terms


def refresh_results(round_: Round) -> None:
    """Recompute and store the ranking of every group of the round (the only writer of round_results).

    An open round is ranked against the live actual value, stored as provisional in
    ``Round.prediction_actual``; a closed round against its frozen value. Flushes only.

    The whole ranking is computed each time, but only the places whose line changed are written, and the
    places past the new end of a group are deleted: the stored rows end up exactly the new ranking, while
    a refresh that changes nothing (or a little at the bottom) writes nothing (or a little) — no million-row
    delete and re-insert, no index churn, no write lock held on SQLite for the unchanged part.
    """
    if round_.closed_at is None:
        round_.prediction_actual = live_actual(round_)
    actual = round_.prediction_actual if round_.prediction_kind != "none" else None
    rank = func.row_number().over(partition_by=Attempt.group, order_by=_order_by(round_, actual))
    ranked = select(Attempt.round_id, Attempt.group, rank.label("rank"), Attempt.user_id,
                    Attempt.id.label("attempt_id"), Attempt.unit_id) \
        .where(Attempt.round_id == round_.id, Attempt.counts)
    if db.session.get_bind().dialect.name == "postgresql":
        _store_postgresql(round_.id, ranked)
    else:
        _store_sqlite(round_.id, ranked)
    round_.results_refreshed_at = clock.now()
    db.session.flush()


_COLUMNS = ("round_id", "group", "rank", "user_id", "attempt_id", "unit_id")


def _changed(new):
    """The lines of the new ranking ``new`` that differ from the stored one at the same place (or are new)."""
    stored = and_(RoundResult.round_id == new.c.round_id, RoundResult.group == new.c.group,
                  RoundResult.rank == new.c.rank)
    return select(*(new.c[name] for name in _COLUMNS)) \
        .select_from(new.outerjoin(RoundResult, stored)) \
        .where(or_(RoundResult.attempt_id.is_distinct_from(new.c.attempt_id),
                   RoundResult.unit_id.is_distinct_from(new.c.unit_id)))


def _upsert(dialect_insert, rows):
    statement = dialect_insert(RoundResult).from_select(list(_COLUMNS), rows)
    return statement.on_conflict_do_update(
        index_elements=["round_id", "group", "rank"],
        set_={name: statement.excluded[name] for name in ("user_id", "attempt_id", "unit_id")})


def _store_sqlite(round_id: int, ranked) -> None:
    """SQLite holds the write lock of this transaction from the upsert on (no other writer can commit in
    between), so the groups' sizes read afterwards are those of the ranking just written."""
    connection = db.session.connection()
    # The sorter and the B-trees of a million lines fit in 256 MB of page cache instead of spilling;
    # the connection's default is restored for the pooled connection's next user.
    default = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{REFRESH_CACHE_KIB}")
    try:
        connection.execute(_upsert(sqlite_insert, _changed(ranked.subquery("new"))))
        totals = dict(connection.execute(select(Attempt.group, func.count()).where(
            Attempt.round_id == round_id, Attempt.counts).group_by(Attempt.group)).all())
        connection.execute(delete(RoundResult).where(RoundResult.round_id == round_id,
                                                     RoundResult.group.not_in(list(totals))))
        for group, total in totals.items():
            connection.execute(delete(RoundResult).where(RoundResult.round_id == round_id,
                                                         RoundResult.group == group, RoundResult.rank > total))
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(default)}")


def _store_postgresql(round_id: int, ranked) -> None:
    """One statement, so that the upsert and the deletion of the tail see the same counting attempts (each
    statement of a READ COMMITTED transaction has its own snapshot)."""
    new = ranked.add_columns(func.count().over(partition_by=Attempt.group).label("total")).cte("new")
    totals = select(new.c.group, func.max(new.c.total).label("total")).group_by(new.c.group).cte("totals")
    upserted = _upsert(postgresql_insert, _changed(new)).cte("upserted")
    past_end = func.coalesce(select(totals.c.total).where(totals.c.group == RoundResult.group).scalar_subquery(), 0)
    db.session.execute(delete(RoundResult).where(RoundResult.round_id == round_id, RoundResult.rank > past_end)
                       .add_cte(upserted))


@dataclass(frozen=True)
class _System:
    """The actor of what the system does by itself (the audit log names it)."""

    login: str = "tự động"
    id: None = None


AUTOMATIC = _System()


def close_round(round_: Round, *, forced: bool = False, actor=None) -> bool:
    """Close a round: finish its overdue attempts, freeze the prediction's actual value, store the final
    standings, record it; return False when it was already closed. Refused before the round's end."""
    now = clock.now()
    if round_.closed_at is not None:
        return False
    if now <= round_.closes_at and not forced:
        raise RankingError("Đợt thi chưa kết thúc nên chưa thể chốt kết quả.")
    # Attempts still open at the close are finished with what they saved (their deadline is at most the close).
    for attempt in db.session.scalars(select(Attempt).where(Attempt.round_id == round_.id,
                                                            Attempt.state.in_(("in_progress", "overdue")))):
        finish_attempt(attempt, manual=False)
    claimed = db.session.execute(update(Round).where(Round.id == round_.id, Round.closed_at.is_(None))
                                 .values(closed_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(round_)
        return False
    db.session.refresh(round_)
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


def _lines(query, actual: int | None) -> list[StandingLine]:
    return [StandingLine(r.rank, r.group, r.user_id, r.attempt_id, r.unit_id, r.score or 0.0, r.max_score or 0.0,
                         r.duration_seconds or 0.0, r.finished_at, r.prediction, prediction_gap(r.prediction, actual))
            for r in db.session.execute(query)]


def _standing_query():
    return (select(RoundResult.rank, RoundResult.group, RoundResult.user_id, RoundResult.attempt_id,
                   RoundResult.unit_id, Attempt.score, Attempt.max_score, Attempt.duration_seconds,
                   Attempt.finished_at, Attempt.prediction)
            .join(Attempt, Attempt.id == RoundResult.attempt_id))


def _actual(round_: Round) -> int | None:
    return round_.prediction_actual if round_.prediction_kind != "none" else None


def top_results(round_: Round, group: str, limit: int = 50, unit_id: int | None = None,
                offset: int = 0) -> list[StandingLine]:
    """The best ``limit`` of a group (of one unit when given), in rank order, from the stored standings."""
    query = _standing_query().where(RoundResult.round_id == round_.id, RoundResult.group == group)
    if unit_id is not None:
        query = query.where(RoundResult.unit_id == unit_id).offset(offset)
    elif offset:
        query = query.where(RoundResult.rank > offset)  # ranks are 1..n: a keyset, not a slow OFFSET
    return _lines(query.order_by(RoundResult.rank).limit(limit), _actual(round_))


def result_of(round_: Round, user_id: int) -> StandingLine | None:
    """A person's line in the round's stored standings (None if they have no counted attempt)."""
    lines = _lines(_standing_query().where(RoundResult.round_id == round_.id, RoundResult.user_id == user_id)
                   .limit(1), _actual(round_))
    return lines[0] if lines else None


def participant_count(round_: Round, group: str) -> int:
    """How many people are ranked in the group (the last rank, read from the end of the index)."""
    return db.session.scalar(select(RoundResult.rank).where(RoundResult.round_id == round_.id,
                                                            RoundResult.group == group)
                             .order_by(RoundResult.rank.desc()).limit(1)) or 0


def cached_page(round_: Round, variant: tuple, render: Callable[[], str]) -> str:
    """A public results page of the round as rendered for anonymous visitors, reused for a short while.

    Polling viewers of a big round would otherwise keep the app's workers from the takers' autosaves. The
    cache key holds when the stored standings were computed, so new standings are never hidden behind it;
    an entry lives at most STANDINGS_REFRESH_SECONDS (names follow a changed consent within that time).
    The cache is per app and per process; this function is the only place that reads or drops its entries.
    """
    cache: dict = current_app.extensions.setdefault("hoithi_results_pages", {})
    key = (round_.id, round_.results_refreshed_at, round_.closed_at, variant)
    moment = time.monotonic()
    hit = cache.get(key)
    if hit is not None and moment - hit[0] < int(current_app.config["STANDINGS_REFRESH_SECONDS"]):
        return hit[1]
    html = render()
    if len(cache) >= 512:
        cache.clear()
    cache[key] = (moment, html)
    return html


# ---------------------------------------------------------------------------------------------------------
# Unit leaderboards and the collective ranking.


def unit_figures(rounds: list[Round], group: str | None = None) -> list[UnitFigures]:
    """Every unit's own figures over ``rounds`` (one round, or all of a contest): distinct participants,
    finished attempts (not disqualified), counted results, their score sum and full scores."""
    round_ids = [r.id for r in rounds]
    counted = select(Attempt.unit_id, func.count(func.distinct(Attempt.user_id)), func.count(),
                     func.sum(Attempt.score),
                     func.sum(case((FULL_SCORE, 1), else_=0))) \
        .where(Attempt.round_id.in_(round_ids), Attempt.counts)
    attempts = select(Attempt.unit_id, func.count()) \
        .where(Attempt.round_id.in_(round_ids), Attempt.state == "finished", Attempt.disqualified_reason.is_(None))
    if group:
        counted = counted.where(Attempt.group == group)
        attempts = attempts.where(Attempt.group == group)
    figures = {row[0]: row[1:] for row in db.session.execute(counted.group_by(Attempt.unit_id))}
    tries = dict(db.session.execute(attempts.group_by(Attempt.unit_id)).all())
    out = []
    for unit in db.session.scalars(select(Unit)):
        people, results, score_sum, full = figures.get(unit.id, (0, 0, 0.0, 0))
        out.append(UnitFigures(unit.id, unit.name, unit.parent_id, unit.headcount, people, tries.get(unit.id, 0),
                               float(score_sum or 0.0), int(full or 0), results))
    return out


def unit_lines(rounds: list[Round], group: str | None = None) -> list[UnitLine]:
    """The leaderboard lines of every unit (subtrees added up), in tree order."""
    return roll_up(unit_figures(rounds, group))


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
        select(RoundResult.user_id, RoundResult.round_id, Attempt.score, Attempt.duration_seconds,
               Attempt.finished_at)
        .join(Attempt, Attempt.id == RoundResult.attempt_id)
        .where(RoundResult.round_id.in_([r.id for r in contest.rounds]), RoundResult.group == group))
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
        Attempt.round_id == round_.id, Attempt.state == "finished", Attempt.disqualified_reason.is_(None))) or 0
    bands = score_bands(db.session.execute(
        select(Attempt.score, Attempt.max_score, func.count()).where(Attempt.round_id == round_.id, Attempt.counts)
        .group_by(Attempt.score, Attempt.max_score)).all())
    lines = unit_lines([round_])
    return Announcement(participants, attempts, bands, lines, lowest_participation(lines))


def full_score(line: StandingLine) -> bool:
    """Whether a standings line is a full score."""
    return is_full_score(line.score, line.max_score)


def save_ranking_settings(contest: Contest, *, tie_break: list[str], overall_rule: str, prize_highest_only: bool,
                          collective_formula: str, collective_params: dict, unit_prizes: dict[str, int]) -> None:
    """Store how the contest ranks people and units; the stored standings of open rounds follow."""
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
    # A changed chain re-ranks every round that is not published yet (a published list stays as it was).
    if before["tie_break"] != contest.tie_break:
        for round_ in contest.rounds:
            if round_.results_refreshed_at is not None:
                refresh_results(round_)
    db.session.commit()
