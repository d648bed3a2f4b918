"""What a contest's poster says (pure): its rounds with their dates and prizes, in Vietnamese, and the poster
as an A4 PDF.

Plain attributes of the contest and its rounds in, sentences out; the template lays them on an A4 page, and
:func:`poster_pdf` draws the same words with the shipped font.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from contest.clock import to_vn

RED = (153, 27, 27)
INK = (17, 24, 39)

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


def poster_pdf(title: str, issuer: str, summary: str, facts: PosterFacts, link_text: str, qr: bytes,
               font_dir: Path, *, with_prizes: bool = True) -> bytes:
    """The poster as an A4 portrait PDF (for an organiser who would rather not print from the browser):
    the same words as the page, the QR code ``qr`` (a PNG) 75 mm wide."""
    pdf = _Poster(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(18, 15, 18)
    pdf.set_title(_nfc(title))
    pdf.set_creator("HoiThi")
    for style, name in (("", "DejaVuSerif.ttf"), ("B", "DejaVuSerif-Bold.ttf")):
        pdf.add_font("DejaVuSerif", style=style, fname=str(font_dir / name))
    pdf.add_page()
    width = pdf.epw

    def write(text: str, size: float, *, bold: bool = False, colour=INK, align: str = "C", gap: float = 0,
              indent: float = 0) -> None:
        pdf.set_font("DejaVuSerif", "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, size * 0.5, _nfc(text), align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    if issuer:
        write(issuer.upper(), 12, bold=True, gap=2)
    write("MỜI THAM GIA" if with_prizes else "THÔNG BÁO", 12, bold=True, colour=RED, gap=2)
    write(title, 26, bold=True, gap=4)
    if summary:
        write(summary, 14, gap=5)
    write("Thời gian", 17, bold=True, colour=RED, align="L", gap=2)
    write(facts.period, 14, bold=True, align="L", gap=2)
    for line in facts.rounds:
        ended = " (đã kết thúc)" if line.is_over else ""
        write(f"• {line.title}: {line.window[0].lower()}{line.window[1:]}{ended}.", 12, align="L")
        if with_prizes:
            write(f"Giải thưởng: {line.prizes}", 12, align="L", indent=4)
        pdf.ln(1.5)
    pdf.ln(5)
    write("Ba bước để tham gia", 17, bold=True, colour=RED, align="L", gap=3)
    qr_size = 75
    top = pdf.get_y()
    if top + qr_size + 30 > pdf.h - 15:  # many rounds: the steps and the code on a page of their own
        pdf.add_page()
        top = pdf.get_y()
    steps_width = width - qr_size - 8
    for number, step in enumerate(facts.steps, start=1):
        pdf.set_font("DejaVuSerif", "", 14)
        pdf.set_text_color(*INK)
        pdf.multi_cell(steps_width, 7, f"{number}. {_nfc(step)}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.image(io.BytesIO(qr), x=pdf.l_margin + width - qr_size, y=top, w=qr_size, h=qr_size)
    pdf.set_y(max(pdf.get_y(), top + qr_size) + 2)
    write(link_text, 15, bold=True, align="R", gap=8)
    write("Miễn phí, làm bài ngay trên điện thoại. Thông tin cá nhân được bảo vệ theo quy định của pháp luật.", 11)
    return bytes(pdf.output())


class _Poster(FPDF):
    """An A4 page framed in red, every page of it."""

    def header(self) -> None:
        self.set_draw_color(*RED)
        self.set_line_width(1.2)
        self.rect(8, 8, 194, 281)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()
