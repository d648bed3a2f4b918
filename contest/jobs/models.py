"""The job record: what runs in the background, how far it got, and what it produced."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db

STATUSES = ("queued", "running", "done", "failed")
STATUS_TEXT = {"queued": "Đang chờ xử lý", "running": "Đang xử lý", "done": "Đã xong",
               "failed": "Không thành công"}


class Job(db.Model):
    """One piece of background work. Stored in the database (not in Redis or a process) so that the app
    server that shows it need not be the one that accepted it, nor the one that runs it."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_owner", "owner_id", "created_at"), Index("ix_jobs_status", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0–100
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Only the person who asked sees the job and its file (None: started from the command line).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    result_path: Mapped[str | None] = mapped_column(String(500))
    filename: Mapped[str | None] = mapped_column(String(200))
    mimetype: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)  # for the user, in Vietnamese
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_text(self) -> str:
        """The status in Vietnamese."""
        return STATUS_TEXT.get(self.status, self.status)

    @property
    def finished(self) -> bool:
        """Done or failed: nothing more will change."""
        return self.status in ("done", "failed")
