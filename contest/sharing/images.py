"""The images of a share link (pure): its QR code as PNG or SVG (segno, generated here, no outside service)
and the 1200 × 630 preview card that Zalo and Facebook show for a pasted link (Pillow)."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

CARD_SIZE = (1200, 630)
# Medium error correction: a poster photocopied or a little worn on a notice board still scans.
ERROR_LEVEL = "m"


def qr_png(url: str, scale: int = 10) -> bytes:
    """The QR code of ``url`` as a PNG."""
    out = io.BytesIO()
    segno.make(url, error=ERROR_LEVEL, micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str, title: str = "") -> bytes:
    """The QR code of ``url`` as an SVG that scales to any print size."""
    out = io.BytesIO()
    segno.make(url, error=ERROR_LEVEL, micro=False).save(out, kind="svg", scale=8, border=4,
                                                          title=title or None, xmldecl=True)
    return out.getvalue()


def preview_card(title: str, subtitle: str, link_text: str, url: str, font_path: Path) -> bytes:
    """A 1200 × 630 PNG: the title (wrapped), a subtitle, the share link in words and its QR code."""
    width, height = CARD_SIZE
    card = Image.new("RGB", CARD_SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, width, 18), fill=(153, 27, 27))
    draw.rectangle((0, height - 18, width, height), fill=(153, 27, 27))

    code = segno.make(url, error=ERROR_LEVEL, micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=9, border=2)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    card.paste(qr, (width - qr.width - 50, (height - qr.height) // 2))

    text_width = width - qr.width - 140
    heading = ImageFont.truetype(str(font_path), 54)
    small = ImageFont.truetype(str(font_path), 30)
    lines = _wrap(_nfc(title), heading, text_width, draw)[:4]
    y = 70
    for line in lines:
        draw.text((60, y), line, font=heading, fill=(17, 24, 39))
        y += 70
    y += 20
    for line in _wrap(_nfc(subtitle), small, text_width, draw)[:3]:
        draw.text((60, y), line, font=small, fill=(55, 65, 81))
        y += 42
    draw.text((60, height - 100), _nfc(link_text), font=small, fill=(153, 27, 27))
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _wrap(text: str, font, width: int, draw) -> list[str]:
    """Greedy word wrap measured with the font itself."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if draw.textlength(candidate, font=font) <= width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        if current:
            lines.append(current)
    return lines
