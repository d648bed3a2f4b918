"""Certificates as PDF (pure): A4 landscape pages drawn with fpdf2 in a shipped TTF that covers Vietnamese.

Plain data in (who, what, which round, the organiser's signature block), PDF bytes out: no Flask, no database.
Text is normalised to Unicode NFC, so every Vietnamese letter is one precomposed glyph of the font (DejaVu
Serif covers them all); the font is embedded as a subset, so a PDF of 500 certificates stays small.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF

FONT_FAMILY = "DejaVuSerif"
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}
NATIONAL_HEADING = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc")
RED = (153, 27, 27)
INK = (17, 24, 39)


@dataclass(frozen=True)
class Signature:
    """The organiser's signature block of a contest: who issues, where, and who signs."""

    issuer: str
    place: str
    signer_title: str
    signer_name: str


@dataclass(frozen=True)
class Certificate:
    """One certificate: a prize (``award`` set, e.g. "Giải Nhất") or a participation (``award`` empty)."""

    person: str
    unit: str
    contest: str
    round: str
    issued_on: date
    award: str = ""
    result: str = ""


def document_date(day: date, place: str = "") -> str:
    """The date line of an administrative document: "Tây Mỗ, ngày 05 tháng 02 năm 2026" (a day below 10 and
    a month below 3 take a leading zero, as Nghị định 30/2020/NĐ-CP asks)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


class _Sheet(FPDF):
    """An A4 landscape document in the shipped font, without automatic page breaks."""

    def __init__(self, font_dir: Path):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.set_creator("HoiThi")
        for style, name in FONT_FILES.items():
            self.add_font(FONT_FAMILY, style=style, fname=str(font_dir / name))

    def centred(self, text: str, size: float, *, bold: bool = False, colour=INK, x: float = 20, width: float = 257,
                height: float | None = None) -> None:
        """Write ``text`` centred in a column, wrapping long lines."""
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)
        height = height or size * 0.5
        for line in _nfc(text).splitlines() or [""]:
            line_width = self.get_string_width(line)
            if line_width <= width - 2 * self.c_margin:
                # A line that fits is placed directly, on the baseline a cell would use: fpdf2's line breaking
                # (multi_cell), and even a cell, cost most of the time of a 500-page file.
                self.text(x + (width - line_width) / 2, self.get_y() + height / 2 + 0.3 * self.font_size, line)
                self.set_y(self.get_y() + height)
            else:
                self.set_x(x)
                self.multi_cell(width, height, line, align="C", new_x="LMARGIN", new_y="NEXT")


def _page(pdf: _Sheet, cert: Certificate, signature: Signature) -> None:
    pdf.add_page()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, 281, 194)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, 275, 188)

    pdf.set_y(18)
    pdf.centred(signature.issuer.upper(), 11, bold=True, x=14, width=120, height=5.5)
    pdf.set_y(18)
    pdf.centred(NATIONAL_HEADING[0], 11, bold=True, x=150, width=134, height=5.5)
    pdf.centred(NATIONAL_HEADING[1], 11, bold=True, x=150, width=134, height=5.5)
    pdf.set_line_width(0.3)
    pdf.line(192, pdf.get_y() + 0.5, 242, pdf.get_y() + 0.5)  # the rule under the motto, as on official papers

    pdf.set_y(46)
    pdf.centred("GIẤY CHỨNG NHẬN", 30, bold=True, colour=RED, height=14)
    pdf.ln(4)
    pdf.centred("Chứng nhận ông/bà", 14, height=8)
    pdf.centred(cert.person, 24, bold=True, height=12)
    if cert.unit:
        pdf.centred(f"Đơn vị: {_nfc(cert.unit)}", 14, height=8)
    pdf.ln(3)
    if cert.award:
        pdf.centred("Đã đạt", 14, height=8)
        pdf.centred(cert.award.upper(), 20, bold=True, colour=RED, height=10)
    else:
        pdf.centred("Đã tham gia và hoàn thành bài thi", 14, height=8)
    pdf.centred(f"{_nfc(cert.contest)} – {_nfc(cert.round)}", 15, bold=True, height=8)
    if cert.result:
        pdf.centred(cert.result, 13, height=7)

    pdf.set_y(148)
    pdf.centred(document_date(cert.issued_on, _nfc(signature.place)), 12, x=160, width=120, height=6)
    pdf.centred(signature.signer_title.upper(), 12, bold=True, x=160, width=120, height=6)
    pdf.set_y(186)
    pdf.centred(signature.signer_name, 13, bold=True, x=160, width=120, height=6)


def certificates_pdf(certificates: Sequence[Certificate], signature: Signature, font_dir: Path,
                     title: str = "Giấy chứng nhận") -> bytes:
    """One PDF with a page per certificate, in the given order."""
    pdf = _Sheet(font_dir)
    pdf.set_title(_nfc(title))
    for cert in certificates:
        _page(pdf, cert, signature)
    return bytes(pdf.output())
