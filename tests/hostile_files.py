"""Hostile files, generated on demand (never stored): what an attacker with an organiser's upload form tries."""

from __future__ import annotations

import io
import zipfile

import openpyxl

BOMB_LEVELS = "abcdefghi"


def corner_workbook() -> bytes:
    """A 5 KB workbook with cells A1 and XFD1048576: a reader that builds the grid allocates 17 billion cells."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Mã đơn vị"
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def inflating_workbook(inflated_mb: int = 150) -> bytes:
    """A small workbook whose one sheet XML inflates to ``inflated_mb`` MB (one cell of repeated text)."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
                continue
            with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                part.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                           b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
                block = b"x" * (1024 * 1024)
                for _ in range(inflated_mb):
                    part.write(block)
                part.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def inflating_docx(inflated_mb: int = 150) -> bytes:
    """A .docx-shaped zip with one part that inflates to ``inflated_mb`` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        with target.open("word/document.xml", "w", force_zip64=True) as part:
            block = b" " * (1024 * 1024)
            for _ in range(inflated_mb):
                part.write(block)
    return out.getvalue()


def yaml_alias_bomb() -> bytes:
    """The 'billion laughs' in YAML: nine levels of nine aliases, about 560 bytes, 387 million strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip(BOMB_LEVELS, BOMB_LEVELS[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("questions: [{id: x, topic: t, text: q, options: *i, answer: A}]")
    return ("\n".join(lines) + "\n").encode()


def nested(depth: int, opening: str = "[", closing: str = "]") -> bytes:
    return (opening * depth + closing * depth).encode()


def csv_rows(header: str, row: str, count: int) -> bytes:
    """A CSV with ``count`` data rows; ``row`` may use {n}."""
    return (header + "\n" + "".join(row.format(n=n) + "\n" for n in range(count))).encode()
