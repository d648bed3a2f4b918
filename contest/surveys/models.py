"""The survey figures stored once per change of a round's finished attempts (derived data, safe to drop)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db


class SurveyFigures(db.Model):
    """A round's figures for every unit (topic marks, score bands, item analysis) as JSON, and the version of
    the round's finished attempts they were computed from: when that version changes, they are recomputed."""

    __tablename__ = "survey_figures"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    payload: Mapped[str] = mapped_column(Text)
