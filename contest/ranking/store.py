"""Writing a round's standings into ``round_results``: the tie-break chain as SQL, run over the counting
attempts, stored per dialect. ``service.refresh_results`` and ``service.fresh_results`` are the only callers.

On SQLite the new standings are first ranked into a temporary table of the connection (the attempts are read
already sorted by score through ``ix_attempts_ranking``; each row's position is its rowid, so no window
function is needed), then copied over the round's old lines in one short transaction. Ranking does not
write the database file, so a refresh run apart (:func:`refresh_sqlite_apart`) holds SQLite's single write
lock only for the copy, and takers' autosaves wait that long at most, not for the whole ranking.

On PostgreSQL one statement writes only the lines that changed and deletes the lines that are gone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import (
    and_,
    case,
    column,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    select,
    table,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.engine import Connection

from contest.attempts.models import Attempt
from contest.contests.models import Round
from contest.ranking.models import RoundResult
from contest.ranking.standings import tie_break_order

# round_results.unit_id of an attempt without a unit (a key column cannot be NULL).
NO_UNIT = 0
# round_results.group_code of each audience group.
GROUP_CODES = {"residents": 1, "officials": 2}
# |prediction − actual| of an attempt without a prediction: after every prediction (standings.chain_key).
NO_PREDICTION_GAP = 2**63 - 1
FULL_SCORE_EPSILON = 1e-9
# standings.is_full_score in SQL.
FULL_SCORE = (Attempt.max_score > 0) & (Attempt.score >= Attempt.max_score - FULL_SCORE_EPSILON)
# The attempts a unit's "attempts" figure counts, written as ix_attempts_finished's condition (a literal, not
# a bound parameter: SQLite uses a partial index only for a query that repeats its condition). An organiser's
# practice attempt is never one of them.
FINISHED_NOT_DISQUALIFIED = and_(Attempt.state == literal_column("'finished'"),
                                 Attempt.disqualified_reason.is_(None), Attempt.is_practice.is_(False))
# The sort of a million lines and the B-tree they are copied into fit in this much page cache instead of
# spilling to temporary files; the connection's default is restored afterwards.
REFRESH_CACHE_KIB = 256 * 1024

STAGING = table("hoithi_ranking", column("position"), column("group_code"), column("unit_id"), column("attempt_id"),
                schema="temp")
_COLUMNS = ("round_id", "group_code", "unit_id", "rank", "attempt_id")


@dataclass(frozen=True)
class Chain:
    """What ranking a round needs: its id, the contest's order of tie-break steps and the actual value."""

    round_id: int
    steps: tuple[str, ...]
    actual: int | None

    @classmethod
    def of(cls, round_: Round, actual: int | None, steps: tuple[str, ...] | None = None) -> Chain:
        """The round's chain: ``steps`` (service.ranking_order), else the contest's order."""
        return cls(round_.id, steps if steps is not None else tie_break_order(round_.contest.tie_break),
                   actual if round_.prediction_kind != "none" else None)

    def order_by(self) -> list:
        """The chain as ORDER BY terms (standings.rank_participants; ties end on the attempt id)."""
        terms: list = []
        for step in self.steps:
            if step == "score":
                terms.append(Attempt.score.desc())
            elif step == "prediction" and self.actual is not None:
                # One term for standings.chain_key's (no prediction, gap): cheaper to sort than two.
                terms.append(func.coalesce(func.abs(Attempt.prediction - self.actual), NO_PREDICTION_GAP))
            elif step == "duration":
                terms.append(Attempt.duration_seconds)
            elif step == "finished":
                terms.append(Attempt.finished_at)
        terms.append(Attempt.id)
        return terms


def counting(round_id: int):
    """The condition of a round's counting attempts (as ix_attempts_ranking's, so that it is used)."""
    return and_(Attempt.round_id == round_id, Attempt.counts)


def live_actual(connection: Connection, round_id: int, kind: str) -> int | None:
    """The prediction's actual value from the counting attempts now: full scores, or participants."""
    if kind == "none":
        return None
    query = select(func.count()).select_from(Attempt).where(counting(round_id))
    if kind == "full_score_count":
        query = query.where(FULL_SCORE)
    return connection.scalar(query) or 0


# ---------------------------------------------------------------------------------------------------------
# SQLite


def _groups(connection: Connection, round_id: int) -> list[str]:
    """The groups with counting attempts in the round, each found by one seek of the ranking index."""
    groups: list[str] = []
    while True:
        query = select(func.min(Attempt.group)).where(counting(round_id))
        if groups:
            query = query.where(Attempt.group > groups[-1])
        group = connection.scalar(query)
        if group is None:
            return groups
        groups.append(group)


def _rank_into_staging(connection: Connection, chain: Chain) -> dict[int, int]:
    """Rank the round's counting attempts into the connection's temporary table, group after group, in
    order; return each group's offset (a line's rank is its position less its group's offset)."""
    connection.exec_driver_sql("DROP TABLE IF EXISTS temp.hoithi_ranking")
    connection.exec_driver_sql('CREATE TEMP TABLE hoithi_ranking (position INTEGER PRIMARY KEY, '
                               'group_code INTEGER NOT NULL, unit_id INTEGER NOT NULL, attempt_id INTEGER NOT NULL)')
    offsets: dict[int, int] = {}
    placed = 0
    for group in _groups(connection, chain.round_id):
        code = GROUP_CODES[group]
        offsets[code] = placed
        # Rows are inserted in the SELECT's order and each gets the next rowid: the position.
        placed += connection.execute(insert(STAGING).from_select(
            ["group_code", "unit_id", "attempt_id"],
            select(literal(code), func.coalesce(Attempt.unit_id, NO_UNIT), Attempt.id)
            .where(counting(chain.round_id), Attempt.group == group).order_by(*chain.order_by()))).rowcount
    return offsets


def _staged_rank(offsets: dict[int, int]):
    if not offsets:
        return STAGING.c.position
    return STAGING.c.position - case(offsets, value=STAGING.c.group_code)


def _copy_staging(connection: Connection, round_id: int, offsets: dict[int, int]) -> None:
    """Replace the round's stored lines by the temporary table's (the caller holds the write lock)."""
    connection.execute(delete(RoundResult).where(RoundResult.round_id == round_id))
    connection.execute(insert(RoundResult).from_select(
        list(_COLUMNS),
        select(literal(round_id), STAGING.c.group_code, STAGING.c.unit_id, _staged_rank(offsets),
               STAGING.c.attempt_id).order_by(STAGING.c.position)))


class _BigCache:
    """Within the block, the connection sorts and copies in memory (REFRESH_CACHE_KIB of page cache for the
    database and for its temporary tables, instead of spilling to temporary files); its settings are
    restored for the pooled connection's next user."""

    PRAGMAS = ("main.cache_size", "temp.cache_size")

    def __init__(self, connection: Connection):
        self.connection = connection

    def __enter__(self):
        run = self.connection.exec_driver_sql
        self.saved = [run(f"PRAGMA {pragma}").scalar() for pragma in self.PRAGMAS]
        for pragma in self.PRAGMAS:
            run(f"PRAGMA {pragma} = -{REFRESH_CACHE_KIB}")
        return self

    def __exit__(self, *exc):
        run = self.connection.exec_driver_sql
        run("DROP TABLE IF EXISTS temp.hoithi_ranking")
        for pragma, value in zip(self.PRAGMAS, self.saved, strict=True):
            run(f"PRAGMA {pragma} = {int(value)}")


def store_sqlite(connection: Connection, chain: Chain) -> None:
    """Rank and store in the caller's transaction, which holds (or takes at its first write) the lock."""
    with _BigCache(connection):
        offsets = _rank_into_staging(connection, chain)
        _copy_staging(connection, chain.round_id, offsets)


@dataclass(frozen=True)
class Refreshed:
    """What a refresh run apart did, for the benchmark and the logs (seconds)."""

    ranking_seconds: float
    locked_seconds: float


def refresh_sqlite_apart(engine, round_: Round, *, frozen_actual: int | None, at,
                         steps: tuple[str, ...] | None = None, claimed_at=None) -> Refreshed:
    """Recompute a round's standings on a connection of its own, taking the write lock only to copy them.

    The ranking is read in one read transaction (one snapshot of the attempts, no lock on the database
    file) into the connection's temporary table; then a short IMMEDIATE transaction replaces the round's
    lines with them, and stores the actual value they were ranked against (``frozen_actual`` for a closed
    round, the live one otherwise) and when (``at``). (Comparing the new lines with the stored ones first,
    to skip an unchanged copy, cost more than the copy whenever anything had changed: a new finisher moves
    every place after theirs.) ``steps``: the chain's order (the contest's when None). ``claimed_at``: the
    round's ``results_refreshed_at`` as the refresh claimed it; should a use case have stored standings since
    (it stores another moment), the copy, ranked before them, is dropped.
    """
    round_id, kind, closed = round_.id, round_.prediction_kind, round_.closed_at is not None
    steps = steps if steps is not None else tie_break_order(round_.contest.tie_break)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection, _BigCache(connection):
        started = time.perf_counter()
        run = connection.exec_driver_sql
        run("BEGIN")
        try:
            actual = frozen_actual if closed else live_actual(connection, round_id, kind)
            offsets = _rank_into_staging(connection, Chain(round_id, steps, actual if kind != "none" else None))
        finally:
            run("COMMIT")
        ranked = time.perf_counter()
        # Foreign keys are not checked during the copy (SQLite checks them per row, which tripled the time
        # the lock is held): its only key is the round, whose row is updated first in the same transaction,
        # so that a round deleted meanwhile stops the copy instead of leaving lines behind.
        run("PRAGMA foreign_keys = OFF")
        try:
            run("BEGIN IMMEDIATE")
            try:
                still = Round.results_refreshed_at == claimed_at if claimed_at is not None else true()
                kept = connection.execute(update(Round).where(Round.id == round_id, still)
                                          .values(prediction_actual=actual, results_refreshed_at=at)).rowcount
                if kept:
                    _copy_staging(connection, round_id, offsets)
            except BaseException:
                run("ROLLBACK")
                raise
            run("COMMIT")
        finally:
            run("PRAGMA foreign_keys = ON")
        return Refreshed(ranked - started, time.perf_counter() - ranked)


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL


def refresh_postgresql_apart(engine, round_: Round, *, frozen_actual: int | None, at,
                             steps: tuple[str, ...] | None = None) -> None:
    """Recompute a round's standings in a transaction of their own (a page's refresh, never the page's use
    case). The round's row is updated first, as ``service.refresh_results`` does: a use case re-ranking the
    same round holds that row, so the two follow each other instead of upserting the same lines at once."""
    round_id, kind, closed = round_.id, round_.prediction_kind, round_.closed_at is not None
    steps = steps if steps is not None else tie_break_order(round_.contest.tie_break)
    with engine.begin() as connection:
        kept = connection.execute(update(Round).where(Round.id == round_id).values(results_refreshed_at=at)).rowcount
        if not kept:
            return
        actual = frozen_actual if closed else live_actual(connection, round_id, kind)
        connection.execute(update(Round).where(Round.id == round_id).values(prediction_actual=actual))
        store_postgresql(connection, Chain(round_id, steps, actual if kind != "none" else None))


def store_postgresql(connection: Connection, chain: Chain) -> None:
    """One statement, so that the upsert and the deletion of the lines that are gone see the same counting
    attempts (each statement of a READ COMMITTED transaction has its own snapshot)."""
    rank = func.row_number().over(partition_by=Attempt.group, order_by=chain.order_by())
    new = select(literal(chain.round_id).label("round_id"), case(GROUP_CODES, value=Attempt.group).label("group_code"),
                 func.coalesce(Attempt.unit_id, NO_UNIT).label("unit_id"), rank.label("rank"),
                 Attempt.id.label("attempt_id")).where(counting(chain.round_id)).cte("new")
    same_place = and_(RoundResult.round_id == new.c.round_id, RoundResult.group_code == new.c.group_code,
                      RoundResult.unit_id == new.c.unit_id, RoundResult.rank == new.c.rank)
    changed = select(*(new.c[name] for name in _COLUMNS)).select_from(new.outerjoin(RoundResult, same_place)) \
        .where(RoundResult.attempt_id.is_distinct_from(new.c.attempt_id))
    statement = postgresql_insert(RoundResult).from_select(list(_COLUMNS), changed)
    upserted = statement.on_conflict_do_update(
        index_elements=["round_id", "group_code", "unit_id", "rank"],
        set_={"attempt_id": statement.excluded.attempt_id}).cte("upserted")
    kept = exists().where(new.c.group_code == RoundResult.group_code, new.c.unit_id == RoundResult.unit_id,
                          new.c.rank == RoundResult.rank)
    connection.execute(delete(RoundResult).where(RoundResult.round_id == chain.round_id, ~kept)
                       .add_cte(upserted))
