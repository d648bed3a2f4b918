"""Stored standings of a round and the published results (with their corrections)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db


class RoundResult(db.Model):
    """One participant's place in a round and group, computed by ``ranking.refresh.refresh_results``.

    This table is a cache of the tie-break chain over the counting attempts, kept so that a page of a
    million-attempt round reads 50 rows instead of ranking a million. It is only ever written in one place
    (``refresh_results``), per round and as a whole; ``Round.results_refreshed_at`` says when.

    Built for that rewrite (a million rows in well under a second and a half on SQLite, see bench/rankings.py):

    - one B-tree of short rows and no secondary index. The key is the round, the group (as a number), the
      unit (0 for a person without one) and the rank, and on SQLite the table is clustered on it (WITHOUT ROWID). A unit's lines are one
      range in rank order; a page of the whole group is one short range per unit (``rank`` between two
      bounds), merged; a person's line is found by a binary search over their unit's range, since the ranks
      follow the order of the attempts (``service.result_of``). Every secondary index would be rewritten in
      random order at each recomputation, which is what cost seconds;
    - only the round is a foreign key (its deletion takes its results along); attempt and unit are plain ids, not checked per row, since every row is copied from an attempt that has them and the round
      is rewritten from the attempts whenever they change (readers join the attempt, so a deleted one never
      shows).
    """

    __tablename__ = "round_results"
    __table_args__ = ({"sqlite_with_rowid": False},)

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    # The audience group as a small number (store.GROUP_CODES): a million short rows write faster.
    group_code: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    # The attempt's unit, 0 when it has none (a key column cannot be NULL).
    unit_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    rank: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # The person, the group's name and the figures are read from the attempt.
    attempt_id: Mapped[int]


class ResultPublication(db.Model):
    """The winners of a round (or the units' prizes of a contest) as published, frozen.

    The first publication of a scope is ``publish``; every later one is a ``correction`` (đính chính) with
    its reason, shown publicly beside the list. ``winners`` holds the list as it was published: tier, group,
    rank, person, unit, score and duration (names are looked up when shown, so that a withdrawn consent to
    publication is honoured). ``prize_rules`` holds the counts and thresholds it was given by. ``tie_break`` is the order of the tie-break chain the list was ranked by: a
    published round stays ranked by it until a correction publishes another (service.ranking_order).
    """

    __tablename__ = "result_publications"
    __table_args__ = (
        CheckConstraint("kind IN ('publish', 'correction')", name="kind"),
        Index("ix_result_publications_scope", "contest_id", "round_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    # None: the units' (collective) prizes of the whole contest.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12), default="publish")
    note: Mapped[str] = mapped_column(Text, default="")
    winners: Mapped[list] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tie_break: Mapped[str | None] = mapped_column(String(60))
    # A round's prize rules as published: {"counts": {tier: n}, "thresholds": {tier: percent or None}}, so
    # that the tiers left unawarded are told as they were decided (None: published before thresholds existed,
    # or the units' prizes).
    prize_rules: Mapped[dict | None] = mapped_column(JSON)

    round = relationship("Round")
