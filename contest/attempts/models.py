"""Attempt and its frozen questions (each carrying the taker's saved answer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db

STATES = {
    "in_progress": "Đang làm bài",
    "overdue": "Đã hết giờ, chờ nộp",
    "finished": "Đã nộp bài",
    "abandoned": "Đã hủy",
}


class Attempt(db.Model):
    """One try of one person in one round; the deadline is set by the server when it starts."""

    __tablename__ = "attempts"
    __table_args__ = (
        # The attempts allowed are counted by number: two simultaneous starts cannot both take the same one.
        UniqueConstraint("round_id", "user_id", "number"),
        CheckConstraint("state IN ('in_progress', 'overdue', 'finished', 'abandoned')", name="state"),
        CheckConstraint("number >= 1", name="number"),
        # At most one unfinished attempt per person and round: a double tap on "start" resumes it.
        Index("uq_attempts_one_open", "round_id", "user_id", unique=True,
              sqlite_where=text("state IN ('in_progress', 'overdue')"),
              postgresql_where=text("state IN ('in_progress', 'overdue')")),
        Index("ix_attempts_sweep", "state", "deadline"),
        Index("ix_attempts_round_group", "round_id", "group", "state"),
        # The counting attempts of a round (one per person) by unit: what the unit figures add up. It covers
        # every column they read, so that they never look up a million rows. On SQLite the condition is
        # written as SQLAlchemy writes ``Attempt.counts`` there (``counts = 1``): SQLite uses a partial index
        # only for queries that repeat its condition. (The ranking's own index follows the class.)
        Index("ix_attempts_counting", "round_id", "group", "unit_id", "score", "prediction", "duration_seconds",
              "finished_at", "user_id", "max_score", sqlite_where=text("counts = 1"),
              postgresql_where=text("counts")),
        # The finished attempts that are not disqualified nor practice, by unit: the "attempts" of the unit
        # figures (ranking.store.FINISHED_NOT_DISQUALIFIED repeats this condition word for word).
        Index("ix_attempts_finished", "round_id", "group", "unit_id",
              sqlite_where=text("state = 'finished' AND disqualified_reason IS NULL AND is_practice IS 0"),
              postgresql_where=text("state = 'finished' AND disqualified_reason IS NULL AND is_practice IS false")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    group: Mapped[str] = mapped_column(String(10))
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(12), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_finished: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float | None]
    max_score: Mapped[float] = mapped_column(default=0.0)
    duration_seconds: Mapped[float | None]
    prediction: Mapped[int | None]
    # Whether this is the person's counting attempt in the round (set on finish by the round's counting rule;
    # a disqualified attempt never counts).
    counts: Mapped[bool] = mapped_column(Boolean, default=False)
    disqualified_reason: Mapped[str | None] = mapped_column(String(500))
    disqualified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An organiser's "Làm thử": taken as a taker takes the round, never counting and never in any figure.
    is_practice: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    questions: Mapped[list[AttemptQuestion]] = relationship(back_populates="attempt", cascade="all, delete-orphan",
                                                            order_by="AttemptQuestion.position")
    round = relationship("Round")
    user = relationship("User")
    unit = relationship("Unit")

    @property
    def is_open(self) -> bool:
        return self.state in ("in_progress", "overdue")


# The counting attempts of a round in the order of the tie-break chain's usual head (score, best first, then
# time taken and the moment of submission): the ranking reads them already sorted by score, so that the
# database sorts only the people who share a score (the prediction step, which depends on the actual value,
# is sorted there), and without any sort at all when the chain starts with score, time, submission. It
# covers every column the ranking reads.
Index("ix_attempts_ranking", Attempt.round_id, Attempt.group, Attempt.score.desc(), Attempt.duration_seconds,
      Attempt.finished_at, Attempt.prediction, Attempt.unit_id, Attempt.user_id, sqlite_where=text("counts = 1"),
      postgresql_where=text("counts"))


class AttemptQuestion(db.Model):
    """A question as the taker saw it, frozen at start (options in the taker's order), with their answer.

    ``selected`` and ``correct`` are indices into this row's ``options``; ``seq`` is the client's counter,
    so that an older save arriving late never overwrites a newer one.
    """

    __tablename__ = "attempt_questions"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    option_count: Mapped[int]
    correct: Mapped[list[int]] = mapped_column(JSON)
    weights: Mapped[list[float] | None] = mapped_column(JSON)
    points: Mapped[float] = mapped_column(default=1.0)
    explanation: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    selected: Mapped[list[int] | None] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(default=0)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    awarded: Mapped[float | None]

    attempt: Mapped[Attempt] = relationship(back_populates="questions")
