"""What a contest's poster says (pure): its rounds with their dates and prizes, in Vietnamese.

Plain attributes of the contest and its rounds in, sentences out; the template lays them on an A4 page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contest.clock import to_vn

PRIZE_WORDS = (("prizes_first", "giải Nhất"), ("prizes_second", "giải Nhì"), ("prizes_third", "giải Ba"),
               ("prizes_consolation", "giải Khuyến khích"))
STEPS = (
    "Quét mã QR bằng camera điện thoại hoặc Zalo (hoặc gõ địa chỉ bên dưới vào trình duyệt).",
    "Đăng ký bằng số điện thoại của mình, đọc kỹ thể lệ cuộc thi.",
    "Trong thời gian mở đợt thi, bấm “Bắt đầu làm bài”, trả lời các câu hỏi và nộp bài trước khi hết giờ.",
)


@dataclass(frozen=True)
class RoundLine:
    """One round on the poster."""

    title: str
    window: str
    prizes: str
    is_over: bool


@dataclass(frozen=True)
class PosterFacts:
    """Everything the poster tells besides the title and the QR code."""

    period: str
    rounds: list[RoundLine]
    steps: tuple[str, ...] = STEPS


def day_text(moment: datetime) -> str:
    """A moment as a Vietnamese date with the time when it is not midnight: "20:00 ngày 07/12/2026"."""
    local = to_vn(moment)
    day = local.strftime("%d/%m/%Y")
    return f"{local:%H:%M} ngày {day}" if (local.hour, local.minute) != (0, 0) else f"ngày {day}"


def prizes_text(round_) -> str:
    """ "1 giải Nhất, 2 giải Nhì, 3 giải Ba" (the tiers with a count), or a sentence when there are none."""
    parts = [f"{getattr(round_, field)} {words}" for field, words in PRIZE_WORDS if getattr(round_, field, 0)]
    return ", ".join(parts) if parts else "Ban Tổ chức sẽ thông báo cơ cấu giải thưởng."


def poster_facts(contest, moment: datetime) -> PosterFacts:
    """The poster's period, rounds (window and prizes, the finished ones marked) and the three steps."""
    rounds = sorted(contest.rounds, key=lambda r: r.number)
    lines = [RoundLine(r.title, f"Từ {day_text(r.opens_at)} đến {day_text(r.closes_at)}", prizes_text(r),
                       r.closes_at <= moment) for r in rounds]
    if rounds:
        first, last = min(r.opens_at for r in rounds), max(r.closes_at for r in rounds)
        period = f"Từ {day_text(first)} đến {day_text(last)}"
    else:
        period = "Thời gian thi sẽ được Ban Tổ chức thông báo."
    return PosterFacts(period, lines)
