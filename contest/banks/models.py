"""Bank, topic and question models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db

QUESTION_KINDS = {"single": "Một đáp án đúng", "multiple": "Nhiều đáp án đúng", "true_false": "Đúng / Sai"}


class Bank(db.Model):
    """A named set of questions loaded from one file."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(String(255))
    file_hash: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The unit that owns the bank (contest.units.scope): a ward's bank is its own; a city's (or None: the whole
    # deployment) is drawable, not editable, by the wards below it.
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)

    questions: Mapped[list[Question]] = relationship(back_populates="bank")


class Topic(db.Model):
    """A CCHC area (chủ đề); blueprints draw questions per topic."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Question(db.Model):
    """A question with its options and key; retired (never deleted) when dropped from its bank file."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("bank_id", "code"),
        CheckConstraint("kind IN ('single', 'multiple', 'true_false')", name="kind"),
        CheckConstraint("status IN ('active', 'retired')", name="status"),
        Index("ix_questions_draw", "topic_id", "difficulty", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(80))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(10), default="single")
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    correct: Mapped[list[int]] = mapped_column(JSON)
    weights: Mapped[list[float] | None] = mapped_column(JSON)
    points: Mapped[float] = mapped_column(default=1.0)
    explanation: Mapped[str | None] = mapped_column(Text)
    difficulty: Mapped[str] = mapped_column(String(10), default="medium")
    source: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    bank: Mapped[Bank] = relationship(back_populates="questions")
    topic: Mapped[Topic] = relationship()
