"""Contest, round and blueprint models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db
from contest.sharing.codes import new_share_code
from contest.units.models import Unit

CONTEST_KINDS = {"contest": "Cuộc thi (xếp hạng công khai, có giải)", "survey": "Khảo sát kiến thức (kết quả riêng)"}
AUDIENCES = {"residents": "Người dân", "officials": "Cán bộ, công chức, viên chức",
             "both": "Cả người dân và cán bộ (xếp hạng riêng)"}
GROUPS = {"residents": "Người dân", "officials": "Cán bộ, công chức, viên chức"}
COUNTING_RULES = {"best": "Lần có kết quả cao nhất", "first": "Lần làm đầu tiên", "last": "Lần làm cuối cùng"}
REVIEW_POLICIES = {
    "after_submit": "Xem đáp án ngay sau khi nộp bài",
    "after_close": "Xem đáp án sau khi đợt thi kết thúc",
    "never": "Không công bố đáp án",
}
# Review policies that keep the keys from takers while the round can still draw: no other round's review
# shows the key of a question such a round can still draw (attempts.review).
WITHHOLDING_POLICIES = ("after_close", "never")
PREDICTION_KINDS = {
    "none": "Không có câu hỏi dự đoán",
    "full_score_count": "Dự đoán số người đạt điểm tuyệt đối",
    "participant_count": "Dự đoán số người tham gia",
}
DIFFICULTIES = {"easy": "Dễ", "medium": "Trung bình", "hard": "Khó"}
OVERALL_RULES = {"sum": "Tổng điểm các đợt", "best": "Kết quả cao nhất trong các đợt"}
COLLECTIVE_FORMULAS = {
    "hai_duong_2024": "Xếp theo tỷ lệ tham gia, rồi điểm trung bình; đơn vị dưới ngưỡng tham gia không xếp hạng "
                      "(như thể lệ Hải Dương 2024)",
    "quang_nam_2022": "Cộng điểm: điểm tham gia theo tỷ lệ cộng điểm các giải cá nhân của đơn vị "
                      "(như thể lệ Quảng Nam 2022)",
}


# The banks a round draws from (many-to-many): its blueprint counts and the draw look only at these, so that
# importing or editing another bank never changes what an open round draws.
round_banks = Table(
    "round_banks",
    db.metadata,
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("bank_id", ForeignKey("banks.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Contest(db.Model):
    """A contest (public ranking, prizes) or a knowledge survey (private results)."""

    __tablename__ = "contests"
    __table_args__ = (
        CheckConstraint("kind IN ('contest', 'survey')", name="kind"),
        CheckConstraint("audience IN ('residents', 'officials', 'both')", name="audience"),
        CheckConstraint("overall_rule IN ('sum', 'best')", name="overall_rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10), default="contest")
    audience: Mapped[str] = mapped_column(String(10), default="residents")
    summary: Mapped[str | None] = mapped_column(String(500))
    rules: Mapped[str] = mapped_column(Text, default="")
    requires_cccd: Mapped[bool] = mapped_column(Boolean, default=False)
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Ranking settings (see contest.ranking): the tie-break steps in order, comma-separated; how rounds add
    # up; whether a person keeps only their highest prize across rounds; the collective formula.
    tie_break: Mapped[str] = mapped_column(String(60), default="score,prediction,duration,finished")
    overall_rule: Mapped[str] = mapped_column(String(10), default="sum")
    prize_highest_only: Mapped[bool] = mapped_column(Boolean, default=False)
    collective_formula: Mapped[str] = mapped_column(String(30), default="hai_duong_2024")
    collective_params: Mapped[dict | None] = mapped_column(JSON)
    unit_prizes_first: Mapped[int] = mapped_column(default=0)
    unit_prizes_second: Mapped[int] = mapped_column(default=0)
    unit_prizes_third: Mapped[int] = mapped_column(default=0)
    unit_prizes_consolation: Mapped[int] = mapped_column(default=0)
    # The short share link /c/<share_code> (contest.sharing) and the signature block of its certificates
    # (contest.certificates): who issues them, the place on the date line, the signer's title and name.
    share_code: Mapped[str | None] = mapped_column(String(16), unique=True, index=True, default=new_share_code)
    certificate_issuer: Mapped[str | None] = mapped_column(String(200))
    certificate_place: Mapped[str | None] = mapped_column(String(80))
    certificate_signer_title: Mapped[str | None] = mapped_column(String(200))
    certificate_signer_name: Mapped[str | None] = mapped_column(String(120))

    # The unit that owns the contest (contest.units.scope): a ward's contest is run by the ward's organisers and
    # open to the ward's people; a city's (or None: the whole deployment) by the city's, open to everyone.
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)

    rounds: Mapped[list[Round]] = relationship(back_populates="contest", cascade="all, delete-orphan",
                                               order_by="Round.number")
    owner_unit: Mapped[Unit | None] = relationship(foreign_keys=[owner_unit_id])

    @property
    def groups(self) -> list[str]:
        """The audience groups taking part, each ranked apart."""
        return ["residents", "officials"] if self.audience == "both" else [self.audience]


class Round(db.Model):
    """One round (đợt, tuần) of a contest: its window, its rules and its blueprint."""

    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("contest_id", "number"),
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("time_limit_minutes > 0", name="time_limit"),
        CheckConstraint("attempts_allowed >= 1", name="attempts_allowed"),
        CheckConstraint("counting IN ('best', 'first', 'last')", name="counting"),
        CheckConstraint("review_policy IN ('after_submit', 'after_close', 'never')", name="review_policy"),
        CheckConstraint("prediction_kind IN ('none', 'full_score_count', 'participant_count')",
                        name="prediction_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    time_limit_minutes: Mapped[int] = mapped_column(default=20)
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    counting: Mapped[str] = mapped_column(String(10), default="best")
    all_required: Mapped[bool] = mapped_column(Boolean, default=False)
    review_policy: Mapped[str] = mapped_column(String(20), default="after_close")
    prediction_kind: Mapped[str] = mapped_column(String(20), default="none")
    prediction_prompt: Mapped[str | None] = mapped_column(String(500))
    # Frozen by the system when the round closes.
    prediction_actual: Mapped[int | None]
    prizes_first: Mapped[int] = mapped_column(default=0)
    prizes_second: Mapped[int] = mapped_column(default=0)
    prizes_third: Mapped[int] = mapped_column(default=0)
    prizes_consolation: Mapped[int] = mapped_column(default=0)
    # The minimum score of each tier, a whole percentage of the maximum (None: no threshold); a prize nobody
    # reaches stays unawarded (ranking.prizes).
    prize_min_first: Mapped[int | None]
    prize_min_second: Mapped[int | None]
    prize_min_third: Mapped[int | None]
    prize_min_consolation: Mapped[int | None]
    # When the close was processed (actual value frozen, final standings stored), and when the stored
    # standings (contest.ranking.models.RoundResult) were last computed.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contest: Mapped[Contest] = relationship(back_populates="rounds")
    blueprint: Mapped[list[BlueprintItem]] = relationship(back_populates="round", cascade="all, delete-orphan",
                                                          order_by="BlueprintItem.id")
    banks = relationship("Bank", secondary=round_banks, order_by="Bank.name")

    def state(self, moment: datetime) -> str:
        """``upcoming``, ``open`` or ``closed`` at ``moment``."""
        if moment < self.opens_at:
            return "upcoming"
        return "open" if moment < self.closes_at else "closed"

    def question_count(self, group: str) -> int:
        """How many questions an attempt of ``group`` draws."""
        return sum(item.count for item in self.blueprint if item.group == group)


class BlueprintItem(db.Model):
    """Draw ``count`` questions of a topic (and optionally a difficulty) for one audience group."""

    __tablename__ = "blueprint_items"
    __table_args__ = (
        UniqueConstraint("round_id", "group", "topic_id", "difficulty"),
        CheckConstraint("count > 0", name="count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    group: Mapped[str] = mapped_column(String(10), default="residents")
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="RESTRICT"))
    difficulty: Mapped[str | None] = mapped_column(String(10))
    count: Mapped[int]

    round: Mapped[Round] = relationship(back_populates="blueprint")
    topic = relationship("Topic")
