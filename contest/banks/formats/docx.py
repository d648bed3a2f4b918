"""Word documents (.docx) as ward staff type them. Pure: no Flask, no database.

Two layouts, which may be mixed:

* numbered paragraphs: a question starts with "Câu 1:", "Câu 1.", "Câu hỏi 1:" or "1." (plain numbers count
  only in documents that never write "Câu"); options start with "A.", "A)", "a." or "a)" — several may share a
  line when separated by tabs; the key is the option marked in **bold**, underlined, highlighted or coloured
  (on its letter or its whole text), or a line "Đáp án: B" (which wins over marks). Optional lines
  "Giải thích:", "Nguồn:"/"Căn cứ:", "Độ khó:", "Mã câu:", "Loại:" belong to the question above them.
  A heading (Heading styles) or a line "Chủ đề: …" sets the topic of the questions after it.
* a table with one question per row, headed like the Excel template (Câu hỏi, A, B, C, D, Đáp án, …); when the
  answer cell is blank the marked option cell is the key.

Problems name the question by its number in the document.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from contest.banks.formats.tabular import OPTION_LETTERS, match_header, read_sheet
from contest.banks.formats.tabular import _columns as table_columns
from contest.banks.parsing import BankProblem, ParsedBank, ParseOptions, build_question
from contest.sheets import Sheet, cell_int, zip_problem
from contest.vntext import clean, fold

_CAU = re.compile(r"^\s*c[aâ]u(?:\s+h[oỏ]i)?\s*(?:s[oố]\s*)?(\d{1,5})\s*[:.)\-–]?\s*(.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,5})\s*[.):]\s*(.*)$")
_OPTION = re.compile(r"^\s*([A-Fa-f])\s*[.)]\s*")
_INLINE_OPTION = re.compile(r"(?:\t|\s{2,})\s*([A-Fa-f])\s*[.)]\s+")
_FIELDS = {
    "answer": ("dap an dung", "dap an", "answer"),
    "explanation": ("giai thich", "huong dan giai"),
    "source": ("nguon", "can cu"),
    "difficulty": ("do kho", "muc do"),
    "code": ("ma cau hoi", "ma cau"),
    "kind": ("loai cau hoi", "loai cau", "loai"),
    "topic": ("chu de", "linh vuc"),
}
_SECTION = re.compile(r"^\s*(?:ph[aầ]n|chuy[eê]n đ[eề]|ch[uủ] đ[eề])\s+[IVXLC\d]+\s*[:.\-–]\s*", re.IGNORECASE)
_NO_KEY = ("thiếu đáp án đúng: đánh dấu phương án đúng (in đậm, gạch chân, tô sáng hoặc tô màu) hoặc thêm dòng "
           "“Đáp án: B”.")


@dataclass
class _Line:
    text: str
    marks: list[bool]
    heading: bool = False


@dataclass
class _Question:
    number: int
    topic: str
    stem: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    marked: list[bool] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    last_field: str | None = None  # an explanation may run over several paragraphs


def parse_docx(data: bytes, options: ParseOptions) -> ParsedBank:
    """Parse a Word document."""
    bank = ParsedBank(format="docx")
    if (problem := zip_problem(data)) is not None:  # a zip bomb is refused before python-docx inflates it
        return ParsedBank(format="docx", errors=[BankProblem(None, None, problem)])
    try:
        from docx import Document
        from docx.table import Table

        document = Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except Exception:  # python-docx raises many kinds for a file that is not a .docx
        bank.errors.append(BankProblem(None, None, "Không mở được tệp Word: tệp hỏng hoặc không phải định dạng "
                                                   ".docx (tệp .doc cũ cần lưu lại thành .docx)."))
        return bank
    reader = _Reader(bank, options.default_topic)
    try:
        items: list[object] = []
        for block in blocks:
            if isinstance(block, Table):
                items.append(block)
            else:
                items.extend(_lines(block))
        reader.numbered_ok = not any(isinstance(i, _Line) and _CAU.match(i.text) for i in items)
        for item in items:
            if isinstance(item, _Line):
                reader.line(item)
            else:
                reader.finish()
                reader.table(item)
        reader.finish()
    except Exception:  # a malformed part deep inside a .docx must be a report, never a crash
        bank.questions.clear()
        bank.errors.append(BankProblem(None, None, "Không đọc được nội dung tệp Word: tệp có phần bị hỏng. Hãy "
                                                   "mở tệp trong Word và lưu lại thành .docx."))
    return bank


def _lines(paragraph) -> list[_Line]:
    """A paragraph as lines (a manual line break splits it), each character with its "marked" flag."""
    style = getattr(paragraph.style, "name", "") or ""
    heading = fold(style).startswith(("heading", "tieu de")) and not fold(style).startswith("title")
    chars: list[str] = []
    marks: list[bool] = []
    for piece in paragraph.iter_inner_content():
        for run in getattr(piece, "runs", None) or [piece]:
            text = run.text
            flag = _marked(run)
            chars.append(text)
            marks.extend([flag] * len(text))
    joined = "".join(chars)
    lines, start = [], 0
    for part in joined.split("\n"):
        lines.append(_Line(part, marks[start:start + len(part)], heading))
        start += len(part) + 1
    return lines


def _marked(run) -> bool:
    """Whether a run carries a key mark: bold, underline, highlight, shading or a colour other than black."""
    try:
        font = run.font
        if font.bold or (run.style is not None and run.style.font.bold):
            return True
        if font.underline:
            return True
        if font.highlight_color is not None:
            return True
        properties = run._r.rPr
        if properties is not None:
            for shade in properties.iterchildren():
                if shade.tag.endswith("}shd"):
                    fill = next((v for k, v in shade.attrib.items() if k.endswith("}fill")), None)
                    if fill and fill.lower() not in ("auto", "ffffff"):
                        return True
        color = font.color
        if color.type is not None:
            rgb = color.rgb
            if rgb is not None:
                return str(rgb).upper() != "000000"
            theme = color.theme_color
            return theme is not None and "TEXT_1" not in str(theme) and "DARK_1" not in str(theme)
    except Exception:  # an odd run property must not stop the reading
        return False
    return False


def _field(text: str) -> tuple[str, str] | None:
    """A labelled line such as "Đáp án: B" as (field, value)."""
    folded = fold(text)
    for name, labels in _FIELDS.items():
        for label in labels:
            if folded.startswith(label):
                rest = folded[len(label):].lstrip()
                if rest.startswith((":", "：")):
                    value = text.split(":", 1)[1] if ":" in text else text.split("：", 1)[-1]
                    return name, clean(value)
    return None


class _Reader:
    """Walks the document's lines and tables, one question at a time."""

    def __init__(self, bank: ParsedBank, topic: str):
        self.bank = bank
        self.topic = topic
        self.current: _Question | None = None
        self.numbered_ok = True
        self.tables = 0

    def line(self, line: _Line) -> None:
        text = line.text
        if not clean(text):
            return
        if line.heading:
            self.finish()
            self.topic = clean(_SECTION.sub("", clean(text))) or self.topic
            return
        start = _CAU.match(text) or (_NUMBERED.match(text) if self.numbered_ok else None)
        if start:
            self.finish()
            self.current = _Question(number=int(start.group(1)), topic=self.topic)
            if clean(start.group(2)):
                self.current.stem.append(start.group(2))
            return
        labelled = _field(text)
        if labelled and labelled[0] == "topic":
            self.finish()
            self.topic = labelled[1] or self.topic
            return
        if self.current is None:
            return
        question = self.current
        if labelled:
            question.fields[labelled[0]] = labelled[1]
            question.last_field = labelled[0]
            return
        if _OPTION.match(text):
            for label, option, marked in _split_options(text, line.marks):
                question.labels.append(label)
                question.options.append(option)
                question.marked.append(marked)
            return
        if not question.options:
            question.stem.append(text)
        elif question.last_field == "explanation":
            question.fields["explanation"] += " " + clean(text)
        else:
            self.bank.warnings.append(BankProblem("question", question.number,
                                                  f"Bỏ qua đoạn “{clean(text)[:60]}” nằm sau các phương án."))

    def finish(self) -> None:
        question, self.current = self.current, None
        if question is None:
            return
        problems = []
        expected = "ABCDEF"[:len(question.labels)]
        labels = "".join(label.upper() for label in question.labels)
        if len(labels) <= 6 and labels != expected:
            problems.append(f"các phương án phải ghi lần lượt {', '.join(expected)} (tệp ghi "
                            f"{', '.join(labels)}).")
        answer: str | None = question.fields.get("answer") or None
        marked = [OPTION_LETTERS[i] for i, m in enumerate(question.marked) if m and i < len(OPTION_LETTERS)]
        if answer is None:
            if marked and len(marked) == len(question.options) and len(marked) > 1:
                problems.append("mọi phương án đều được đánh dấu (in đậm, gạch chân hoặc tô màu) nên không biết "
                                "đâu là đáp án; bỏ đánh dấu ở phương án sai hoặc thêm dòng “Đáp án: …”.")
            elif marked:
                answer = ", ".join(marked)
        elif marked and len(marked) < len(question.options):
            from contest.banks.parsing import parse_letters

            if sorted(parse_letters(answer) or []) != marked:
                self.bank.warnings.append(BankProblem("question", question.number,
                                                      f"Dòng “Đáp án: {answer}” khác phương án được đánh dấu "
                                                      f"({', '.join(marked)}); đã dùng dòng Đáp án."))
        parsed, found = build_question(
            code=question.fields.get("code"), topic=question.topic,
            kind=question.fields.get("kind"), text=" ".join(question.stem), options=question.options,
            answer=answer, explanation=question.fields.get("explanation"),
            difficulty=question.fields.get("difficulty"), source=question.fields.get("source"),
            where="question", number=question.number)
        if problems and "thiếu đáp án đúng." in found:
            found.remove("thiếu đáp án đúng.")
        found = [_NO_KEY if p == "thiếu đáp án đúng." else p for p in found]
        problems.extend(found)
        self.bank.errors.extend(BankProblem("question", question.number, p[0].upper() + p[1:]) for p in problems)
        if parsed is not None and not problems:
            self.bank.questions.append(parsed)

    def table(self, table) -> None:
        self.tables += 1
        grid: list[list[str]] = []
        marks: list[list[bool]] = []
        for row in table.rows:
            texts, flags = [], []
            for cell in row.cells:
                lines = [line for paragraph in cell.paragraphs for line in _lines(paragraph)]
                texts.append(clean(" ".join(line.text for line in lines)))
                chars = [m for line in lines for ch, m in zip(line.text, line.marks, strict=False) if not ch.isspace()]
                flags.append(bool(chars) and all(chars))
            grid.append(texts)
            marks.append(flags)
        if not grid:
            return
        sheet = Sheet(name=self.topic, header_row=1, header=grid[0],
                      rows=[(i + 1, list(cells)) for i, cells in enumerate(grid) if i > 0])
        columns = table_columns(sheet)
        if "text" not in columns:
            if "text" not in match_header(grid[0]) and len(grid) > 1:
                self.bank.warnings.append(BankProblem(None, None, f"Bảng thứ {self.tables} không có cột "
                                                                  "“Câu hỏi” nên được bỏ qua."))
            return
        numbers: dict[int, int] = {}
        marked: dict[int, list[str]] = {}
        for ordinal, (row_index, cells) in enumerate(sheet.rows, start=1):
            try:
                numbers[row_index] = cell_int(cells, columns.get("number")) or ordinal
            except ValueError:
                numbers[row_index] = ordinal
            flags = marks[row_index - 1]
            letters = [letter for letter in OPTION_LETTERS
                       if f"option_{letter}" in columns and columns[f"option_{letter}"] < len(flags)
                       and flags[columns[f"option_{letter}"]]]
            options = sum(1 for letter in OPTION_LETTERS if f"option_{letter}" in columns
                          and columns[f"option_{letter}"] < len(cells) and cells[columns[f"option_{letter}"]])
            if letters and len(letters) < options:
                marked[row_index] = letters
        read_sheet(sheet, columns, self.bank, where="question", numbers=numbers, marked=marked)


def _split_options(text: str, marks: list[bool]) -> list[tuple[str, str, bool]]:
    """One or more options on a line ("A. …<tab>B. …"), each with whether it is marked as the key."""
    first = _OPTION.match(text)
    assert first is not None
    cuts = [(first.start(1), first.end(), first.group(1))]
    expected = ord(first.group(1).upper()) + 1
    for found in _INLINE_OPTION.finditer(text, first.end()):
        if ord(found.group(1).upper()) == expected:
            cuts.append((found.start(1), found.end(), found.group(1)))
            expected += 1
    options = []
    for index, (label_at, body_at, label) in enumerate(cuts):
        end = cuts[index + 1][0] if index + 1 < len(cuts) else len(text)
        body = text[body_at:end]
        body_marks = [m for ch, m in zip(body, marks[body_at:end], strict=False) if not ch.isspace()]
        label_marked = label_at < len(marks) and marks[label_at]
        marked = label_marked or (bool(body_marks) and all(body_marks))
        options.append((label, clean(body), marked))
    return options
