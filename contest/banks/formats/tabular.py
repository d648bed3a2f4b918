"""The organiser template in Excel (.xlsx) or CSV: one question per row. Pure: no Flask, no database.

Columns (any order; headers matched ignoring case, diacritics, Unicode form, spaces, a trailing ":" or "*"
and anything in brackets): STT, Mã câu, Chủ đề, Câu hỏi, Phương án A … F, Đáp án, Loại câu, Độ khó, Điểm,
Trọng số, Giải thích, Nguồn. Only the question, two options and the answer are required. Without a topic
column each sheet's name is the topic; a blank topic cell takes the topic above it (merged cells). A header
spread over two rows (a merged "Phương án" over A, B, C, D) is read as one. Problems name the row as Excel
shows it (header = row 1), and the sheet when the workbook has several.
"""

from __future__ import annotations

import math
import re
import string

from contest.banks.parsing import BankProblem, ParsedBank, ParseOptions, build_question
from contest.sheets import Sheet, SheetError, cell_text, match_columns, read_table
from contest.vntext import fold

OPTION_LETTERS = string.ascii_uppercase[:6]
_OPTION_ALIASES = ("{L}", "Phương án {L}", "Đáp án {L}", "Lựa chọn {L}", "Option {L}", "PA {L}", "Answer {L}",
                   "Choice {L}", "Câu trả lời {L}", "Phương án trả lời {L}")
ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("STT", "TT", "Số thứ tự", "Số TT", "No", "#"),
    "code": ("Mã câu", "Mã câu hỏi", "Mã", "Mã số", "Code", "ID"),
    "topic": ("Chủ đề", "Lĩnh vực", "Nhóm", "Category", "Topic", "Nhóm câu hỏi", "Chuyên đề"),
    "text": ("Câu hỏi", "Nội dung câu hỏi", "Nội dung", "Question", "Đề bài", "Câu hỏi trắc nghiệm"),
    **{f"option_{letter}": tuple(a.format(L=letter) for a in _OPTION_ALIASES) for letter in OPTION_LETTERS},
    "answer": ("Đáp án", "Đáp án đúng", "Answer", "Correct", "Correct answer", "Key", "ĐA", "Phương án đúng"),
    "kind": ("Loại câu", "Loại", "Loại câu hỏi", "Kiểu", "Dạng câu hỏi", "Type", "Kind"),
    "difficulty": ("Độ khó", "Mức độ", "Mức độ khó", "Difficulty", "Level"),
    "points": ("Điểm", "Số điểm", "Points"),
    "weights": ("Trọng số", "Tỷ lệ điểm", "Weights"),
    "explanation": ("Giải thích", "Giải thích đáp án", "Explanation", "Feedback"),
    "source": ("Nguồn", "Căn cứ", "Nguồn văn bản", "Căn cứ pháp lý", "Văn bản", "Source"),
}
# The organiser template: the headers the exporter writes, in order (each matches its own alias above).
TEMPLATE_HEADERS: list[tuple[str, str]] = [
    ("number", "STT"), ("code", "Mã câu"), ("topic", "Chủ đề"), ("text", "Câu hỏi"),
    *[(f"option_{letter}", f"Phương án {letter}") for letter in OPTION_LETTERS],
    ("answer", "Đáp án"), ("kind", "Loại câu"), ("difficulty", "Độ khó"), ("points", "Điểm"),
    ("weights", "Trọng số"), ("explanation", "Giải thích"), ("source", "Nguồn"),
]
# Sheets that hold instructions, never questions (the template's own "Hướng dẫn").
_SKIPPED_SHEETS = {"huong dan", "instructions", "readme"}
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def parse_xlsx(data: bytes, options: ParseOptions) -> ParsedBank:
    """Parse an Excel workbook: every sheet with a question column is read."""
    return _parse(data, "bank.xlsx", "xlsx")


def parse_csv(data: bytes, options: ParseOptions) -> ParsedBank:
    """Parse a CSV file (UTF-8 with or without BOM, comma or semicolon); its topic defaults to the file's."""
    bank = _parse(data, "bank.csv", "csv", sheet_name=options.default_topic)
    return bank


def _parse(data: bytes, filename: str, fmt: str, sheet_name: str | None = None) -> ParsedBank:
    bank = ParsedBank(format=fmt)
    try:
        sheets = read_table(data, filename)
    except SheetError as exc:
        bank.errors.append(BankProblem(None, None, str(exc)))
        return bank
    except Exception:  # a damaged file must be a report, never a crash
        bank.errors.append(BankProblem(None, None, "Không đọc được tệp: tệp hỏng hoặc không đúng định dạng."))
        return bank
    if sheet_name is not None:
        for sheet in sheets:
            sheet.name = sheet_name
    sheets = [s for s in sheets if fold(s.name) not in _SKIPPED_SHEETS]
    readable = [(s, _columns(s)) for s in sheets]
    with_questions = [(s, c) for s, c in readable if "text" in c]
    if not with_questions:
        first = sheets[0] if sheets else None
        where = f" (dòng {first.header_row})" if first else ""
        bank.errors.append(BankProblem("row" if first else None, first.header_row if first else None,
                                       "Không tìm thấy cột “Câu hỏi” ở dòng tiêu đề" + where + ". Dòng tiêu "
                                       "đề cần có các cột Câu hỏi, Phương án A, Phương án B, …, Đáp án "
                                       "(tải mẫu Excel trên trang Ngân hàng câu hỏi)."))
        return bank
    several = len(with_questions) > 1
    for sheet, columns in readable:
        if "text" not in columns and sheet.rows:
            bank.warnings.append(BankProblem(None, None, f"Trang tính “{sheet.name}” không có cột “Câu hỏi” "
                                                         "nên được bỏ qua."))
    for sheet, columns in with_questions:
        read_sheet(sheet, columns, bank, prefix=f"Trang “{sheet.name}”: " if several else "")
    return bank


def normalise_header(value: object) -> str:
    """A header cell as matched: folded, without bracketed notes, a trailing ":" "*" "." or ")"."""
    text = _BRACKETS.sub(" ", fold(value))
    return fold(text).strip(" :*.)")


def match_header(header: list[str]) -> dict[str, int]:
    """The column index of each known field in ``header``."""
    aliases = {key: tuple(normalise_header(a) for a in names) for key, names in ALIASES.items()}
    return match_columns([normalise_header(h) for h in header], aliases)


def _columns(sheet: Sheet) -> dict[str, int]:
    """Match the header; when the question or options are missing, try the header and the row under it
    together (cells merged across a two-row header), dropping that row from the data."""
    columns = match_header(sheet.header)
    if "text" in columns and "option_A" in columns or not sheet.rows:
        return columns
    second_number, second = sheet.rows[0]
    if second_number != sheet.header_row + 1:
        return columns
    # A merged cell keeps its text in its first cell only: the lower row names the split columns (A, B, …),
    # the upper row the columns merged downwards (STT, Câu hỏi, Đáp án).
    combined = []
    for index in range(max(len(sheet.header), len(second))):
        top = sheet.header[index] if index < len(sheet.header) else ""
        combined.append(cell_text(second, index) or top)
    merged = match_header(combined)
    if "text" in merged and "option_A" in merged:
        sheet.header = combined
        sheet.header_row = second_number
        sheet.rows = sheet.rows[1:]
        return merged
    return columns


def read_sheet(sheet: Sheet, columns: dict[str, int], bank: ParsedBank, *, prefix: str = "",
               where: str = "row", numbers: dict[int, int] | None = None,
               marked: dict[int, list[str]] | None = None) -> None:
    """Read the questions of one table into ``bank``.

    ``numbers`` maps a row to the number problems name (Word tables name the question, not the row);
    ``marked`` gives, per row, the option letters marked as the key when the answer cell is blank.
    """
    if "answer" not in columns and marked is None:
        bank.errors.append(BankProblem(where if where == "row" else None,
                                       sheet.header_row if where == "row" else None,
                                       prefix + "Không tìm thấy cột “Đáp án” ở dòng tiêu đề."))
        return
    if "option_A" not in columns or "option_B" not in columns:
        missing = [f"Phương án {x}" for x in "AB" if f"option_{x}" not in columns]
        bank.errors.append(BankProblem(where if where == "row" else None,
                                       sheet.header_row if where == "row" else None,
                                       prefix + "Không tìm thấy cột " + ", ".join(f"“{m}”" for m in missing)
                                       + " ở dòng tiêu đề."))
        return
    topic_above = ""
    for row_number, row in sheet.rows:
        number = numbers.get(row_number, row_number) if numbers else row_number
        if "topic" in columns:
            topic = cell_text(row, columns["topic"]) or topic_above
            topic_above = topic
        else:
            topic = sheet.name
        options = [cell_text(row, columns.get(f"option_{letter}")) for letter in OPTION_LETTERS]
        answer: object = cell_text(row, columns.get("answer"))
        if not answer and marked and marked.get(row_number):
            answer = ", ".join(marked[row_number])
        weights, weight_problem = _weights(cell_text(row, columns.get("weights")))
        question, problems = build_question(
            code=cell_text(row, columns.get("code")), topic=topic, kind=cell_text(row, columns.get("kind")),
            text=cell_text(row, columns.get("text")), options=options, answer=answer or None,
            weights=weights, points=cell_text(row, columns.get("points")) or None,
            explanation=cell_text(row, columns.get("explanation")),
            difficulty=cell_text(row, columns.get("difficulty")), source=cell_text(row, columns.get("source")),
            where=where, number=number)
        if weight_problem:
            problems.append(weight_problem)
        bank.errors.extend(BankProblem(where, number, prefix + p[0].upper() + p[1:]) for p in problems)
        if question is not None and not weight_problem:
            bank.questions.append(question)


def _weights(text: str) -> tuple[list[float] | None, str | None]:
    """Weights written as "50; 50; -100; 0" (percent per option), or nothing."""
    if not text:
        return None, None
    parts = [p for p in re.split(r"[;\s]+", text.replace("%", " ")) if p]
    try:
        values = [float(p.replace(",", ".")) for p in parts]
        if not all(math.isfinite(v) for v in values):
            raise ValueError(text)
        return values, None
    except ValueError:
        return None, f"trọng số “{text}” không đọc được: ghi phần trăm mỗi phương án, cách nhau bằng dấu ;"
