"""The unit model."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db

# Kinds of unit, with the Vietnamese label shown to organisers and accepted in import files. A ward (or commune)
# is a tenant: its contests, banks and organisers are its own; the city above it runs city-wide contests and
# surveys; offices, centres and residential groups sit below a ward.
UNIT_KINDS = {
    "city": "Thành phố, tỉnh",
    "ward": "Phường, xã",
    "office": "Cơ quan, phòng chuyên môn",
    "centre": "Trung tâm",
    "public_service": "Đơn vị sự nghiệp",
    "organisation": "Tổ chức chính trị – xã hội",
    "residential": "Tổ dân phố",
    "other": "Khác",
}


class Unit(db.Model):
    """A unit: the city, a ward, or a unit of a ward (residents belong to a residential group, officials to
    their office)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    headcount: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    @property
    def kind_label(self) -> str:
        """The Vietnamese name of the unit's kind."""
        return UNIT_KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"
