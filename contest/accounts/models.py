"""Users, their consents, and per-contest CCCD identities."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db
from contest.units.models import Unit

ROLES = {
    "resident": "Người dân",
    "official": "Cán bộ, công chức, viên chức",
    "organiser": "Ban tổ chức",
    "unit_manager": "Phụ trách đơn vị",
}
GENDERS = {"nam": "Nam", "nu": "Nữ", "khac": "Khác"}
CONSENT_KINDS = {
    "participate": "Đồng ý tham gia và cho phép xử lý dữ liệu cá nhân để tổ chức cuộc thi",
    "publish_name": "Đồng ý công bố họ tên và đơn vị nếu đạt giải",
}


class User(UserMixin, db.Model):
    """Anyone who logs in: residents by phone, officials by phone or e-mail, organisers by any login."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="resident", index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(10), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    birth_date: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(String(5))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    managed_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    position: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(255))
    occupation: Mapped[str | None] = mapped_column(String(120))
    # Latest answer to the "publish my name if I win" consent; the history is in Consent.
    publish_name: Mapped[bool] = mapped_column(Boolean, default=False)
    is_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    is_simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the person asks for their data to be deleted; organisers act on it (results may be kept
    # anonymised where the contest's rules require, as the law allows).
    deletion_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A correction of birth date, phone or gender the person asked for (what they wrote), until handled.
    correction_request: Mapped[str | None] = mapped_column(String(1000))
    correction_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when an organiser has erased the person's data on request; the account stays, anonymous and locked.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Carried by every session and remember-me cookie (``get_id``); raising it ends them all (a password
    # change or reset, a lock, an erasure, signing out).
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    managed_unit: Mapped[Unit | None] = relationship(foreign_keys=[managed_unit_id])
    consents: Mapped[list[Consent]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                   order_by="Consent.id")

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password`` (never the password)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """What the session and the remember-me cookie hold: the id and the session version."""
        return f"{self.id}:{self.session_version or 1}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses locked accounts
        return not self.is_locked

    @property
    def is_organiser(self) -> bool:
        return self.role == "organiser"

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Consent(db.Model):
    """One consent given or withdrawn, with the wording's version: the record the law asks us to keep."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    wording_version: Mapped[str] = mapped_column(String(20), default="2026-1")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user: Mapped[User] = relationship(back_populates="consents")


class ContestIdentity(db.Model):
    """A CCCD given for one contest: only a keyed hash (to refuse duplicates) and the last 4 digits."""

    __tablename__ = "contest_identities"
    __table_args__ = (
        UniqueConstraint("contest_id", "cccd_hash"),
        UniqueConstraint("contest_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cccd_hash: Mapped[str] = mapped_column(String(64))
    cccd_last4: Mapped[str] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
