"""Word documents (.docx) as ward staff type them. Pure: no Flask, no database.

Two layouts, which may be mixed:

* numbered paragraphs: a question starts with "Câu 1:", "Câu 1.", "Câu hỏi 1:", "Question 1." or "1." (plain
  numbers count only where no question is written "Câu …"; the key and solutions may use either); its stem may
  run over several paragraphs; options start with "A." to "H." or "a)" — several may share a line when separated
  by tabs (more than six options is an error: a question stores at most six). The key
  is the option marked in **bold**, underlined, highlighted or coloured (on its letter or its whole text), a line
  "Đáp án: B" (which wins over marks), or the answer key at the end. Optional lines "Giải thích:",
  "Nguồn:"/"Căn cứ:", "Độ khó:", "Mã câu:", "Loại:" belong to the question above them.
* a table with one question per row, headed like the Excel template (Câu hỏi, A, B, C, D, Đáp án, …); when the
  answer cell is blank the marked option cell is the key.

The convention Vietnamese testing tools document (Azota's "standard structure") is read too:

* sections "Phần I.", "PHẦN 1:", "Phần thứ nhất", a roman numeral "II." or a Heading set the topic of the
  questions under them (the text after the numeral; an all-capitals title is written in sentence case; a section
  with no title takes the next line), or a line "Chủ đề: …" — unless the organiser chose a topic at import;
* "HẾT" on its own line (any case, with dashes or stars) ends the questions: nothing after it is a question;
* the answer key at the end: a table after "Bảng đáp án" / "Đáp án" (numbers in one row or column, letters in
  the next; several number/letter pairs per row), or lines of pairs "1-B", "1.B", "1B", "1: B", "1 – B",
  "Câu 1: B" separated by commas, spaces or tabs ("Đáp án: 1-B, 2-A" on one line too), several letters for a
  multiple-answer question ("5-AC", "5: A, C"). It applies by question number; where a question also has a
  marked option or its own "Đáp án" line that disagrees, that is an error naming both;
* a "Lời giải" / "Hướng dẫn giải" / "Giải thích chi tiết" section: paragraphs "1. …" or "Câu 1: …" (and the
  paragraphs after each) are the explanation of that question ("Chọn B." at their start is its key as well).

An image (or other embedded object) in a question is reported as not supported, naming the question (skipped with
a warning when asked to skip unsupported questions). Every problem names the question by its number.

Why this module is long: it is one reader of Word documents as staff type them (two layouts, marks on
runs, answer keys at the end, sections); each rule depends on the paragraph state the others leave.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from contest.banks.formats.tabular import OPTION_LETTERS, match_header, read_sheet
from contest.banks.formats.tabular import _columns as table_columns
from contest.banks.parsing import BankProblem, ParsedBank, ParseOptions, build_question, parse_letters
from contest.sheets import Sheet, cell_int, zip_problem
from contest.vntext import clean, fold

WORD_LETTERS = "ABCDEFGH"
_CAU = re.compile(r"^\s*(?:c[aâ]u(?:\s+h[oỏ]i)?|question)\s*(?:s[oố]\s*)?(\d{1,5})\s*[:.)\-–]?\s*(.*)$",
                  re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,5})\s*[.):]\s*(.*)$")
_OPTION = re.compile(r"^\s*([A-Ha-h])\s*[.)]\s*")
_INLINE_OPTION = re.compile(r"(?:\t|\s{2,})\s*([A-Ha-h])\s*[.)]\s+")
_FIELDS = {
    "answer": ("dap an dung", "dap an", "answer"),
    "explanation": ("giai thich", "huong dan giai", "loi giai"),
    "source": ("nguon", "can cu"),
    "difficulty": ("do kho", "muc do"),
    "code": ("ma cau hoi", "ma cau"),
    "kind": ("loai cau hoi", "loai cau", "loai"),
    "topic": ("chu de", "linh vuc"),
}
_SECTION = re.compile(r"^\s*(?:ph[aầ]n|chuy[eê]n đ[eề]|ch[uủ] đ[eề])\s+[IVXLC\d]+\s*[:.\-–]\s*", re.IGNORECASE)
# A section line: "Phần I.", "PHẦN 1: …", "Phần thứ nhất", "Chuyên đề 2 – …", or a roman numeral "II. …" (only
# numerals that are not option letters A–H).
_PART = re.compile(r"^\s*((?:ph[aầ]n|chuy[eê]n\s+đ[eề]|ch[uủ]\s+đ[eề])\s+(?:th[uứ]\s+[^\s:.\-–]+|[IVXLC]+|\d+))\b"
                   r"\s*[:.\-–)]?\s*(.*)$", re.IGNORECASE)
_ROMAN = re.compile(r"^\s*((?:XX|XI{0,3}|XIV|XIX|XV|XVI{1,3}|IX|IV|VI{0,3}|I{1,3}))\s*[.:)\-–]\s*(.*)$")
_END = re.compile(r"^[\s\-–—_*=.•~+]*het[\s\-–—_*=.•~+!]*$")
_KEY_HEADING = re.compile(r"^(?:bang\s+)?dap\s+an(?:\s+(?:tham\s+khao|chinh\s+thuc|de\s+thi|trac\s+nghiem))?"
                          r"\s*[:.]?$")
_SOLUTIONS_HEADING = re.compile(r"^(?:(?:bang\s+)?dap\s+an\s+(?:va|\+|&)\s+)?(?:(?:loi\s+giai|huong\s+dan\s+giai)"
                                r"(?:\s+chi\s+tiet)?|giai\s+thich\s+chi\s+tiet)(?:\s+(?:de\s+thi|cac\s+cau))?\s*"
                                r"[:.]?$")
_LETTERS = r"[A-Ha-h](?:\s*[,&+]?\s*[A-Ha-h](?![^\W\d_]))*"
_PAIR = re.compile(r"(?:c[aâ]u\s*)?(\d{1,4})\s*[-–—.:)]?\s*(" + _LETTERS + r")(?![^\W\d_])", re.IGNORECASE)
_PAIR_REST = re.compile(r"[\s,;.|/]+")
_CELL_NUMBER = re.compile(r"^(?:c[aâ]u\s*(?:s[oố]\s*)?)?(\d{1,4})\s*[.:]?$", re.IGNORECASE)
_CELL_LETTERS = re.compile(r"^(" + _LETTERS + r")\s*\.?$")
_CHOSEN = re.compile(r"^(?:ch[oọ]n|đ[aá]p\s+[aá]n(?:\s+đ[uú]ng)?)\s*[:.]?\s*([A-H](?:\s*[,&]\s*[A-H])*)(?![^\W\d_])"
                     r"\s*[.:,;]?\s*", re.IGNORECASE)
_NO_KEY = ("thiếu đáp án đúng: đánh dấu phương án đúng (in đậm, gạch chân, tô sáng hoặc tô màu), thêm dòng "
           "“Đáp án: B” hoặc ghi đáp án của câu trong bảng đáp án cuối tệp.")
_END_KEY = "bảng đáp án cuối tệp"


@dataclass
class _Line:
    text: str
    marks: list[bool]
    heading: bool = False
    image: bool = False


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
    images: int = 0


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
        styles = _Styles(document)
    except Exception:  # python-docx raises many kinds for a file that is not a .docx
        bank.errors.append(BankProblem(None, None, "Không mở được tệp Word: tệp hỏng hoặc không phải định dạng "
                                                   ".docx (tệp .doc cũ cần lưu lại thành .docx)."))
        return bank
    reader = _Reader(bank, options, styles)
    try:
        items: list[object] = []
        for block in blocks:
            if isinstance(block, Table):
                items.append(block)
            else:
                items.extend(_lines(block, styles))
        reader.numbered_ok = not any(_CAU.match(i.text) for i in _question_part(items))
        following: list[str | None] = [None] * len(items)  # the next paragraph with text, or a table (None)
        for index in range(len(items) - 2, -1, -1):
            after = items[index + 1]
            text = clean(after.text) if isinstance(after, _Line) else None
            following[index] = following[index + 1] if text == "" else text
        for index, item in enumerate(items):
            if isinstance(item, _Line):
                reader.line(item, following[index])
            else:
                reader.finish()
                reader.table(item)
        reader.finish()
        reader.build()
    except Exception:  # a malformed part deep inside a .docx must be a report, never a crash
        bank.questions.clear()
        bank.errors.append(BankProblem(None, None, "Không đọc được nội dung tệp Word: tệp có phần bị hỏng. Hãy "
                                                   "mở tệp trong Word và lưu lại thành .docx."))
    return bank


def _question_part(items: list[object]) -> list[_Line]:
    """The lines before "HẾT", the answer key or the solutions: where the questions are."""
    lines = []
    for item in items:
        if not isinstance(item, _Line):
            continue
        folded = fold(item.text)
        if _END.match(folded) or _KEY_HEADING.match(folded) or _SOLUTIONS_HEADING.match(folded):
            break
        lines.append(item)
    return lines


class _Styles:
    """The document's styles by id, looked up once: python-docx finds a paragraph's or run's style by scanning
    every style of the document each time, which made a 1,000-question document take twenty seconds."""

    def __init__(self, document):
        self.by_id = {}
        for style in document.styles:
            self.by_id.setdefault(style.style_id, style)
        self.headings: dict[str, bool] = {}
        self.bold: dict[str, bool] = {}

    def heading(self, paragraph) -> bool:
        """Whether the paragraph's style is a heading (Heading 1…, Tiêu đề 1…; not Title)."""
        properties = paragraph._p.pPr
        style_id = properties.style if properties is not None else None
        if style_id is None:
            return False
        if style_id not in self.headings:
            style = self.by_id.get(style_id)
            name = fold(getattr(style, "name", None) or style_id)
            self.headings[style_id] = name.startswith(("heading", "tieu de")) and not name.startswith("title")
        return self.headings[style_id]

    def bold_style(self, run) -> bool:
        """Whether the run's character style is bold."""
        properties = run._r.rPr
        style_id = properties.style if properties is not None else None
        if style_id is None:
            return False
        if style_id not in self.bold:
            style = self.by_id.get(style_id)
            self.bold[style_id] = bool(style is not None and style.font.bold)
        return self.bold[style_id]


def _lines(paragraph, styles: _Styles) -> list[_Line]:
    """A paragraph as lines (a manual line break splits it), each character with its "marked" flag."""
    heading = styles.heading(paragraph)
    chars: list[str] = []
    marks: list[bool] = []
    for piece in paragraph.iter_inner_content():
        for run in getattr(piece, "runs", None) or [piece]:
            text = run.text
            flag = _marked(run, styles)
            chars.append(text)
            marks.extend([flag] * len(text))
    joined = "".join(chars)
    lines, start = [], 0
    for part in joined.split("\n"):
        lines.append(_Line(part, marks[start:start + len(part)], heading))
        start += len(part) + 1
    # A picture (DrawingML or VML) or an embedded object (an equation, a chart) cannot be stored with the question.
    lines[0].image = bool(paragraph._p.xpath(".//w:drawing | .//w:pict | .//w:object"))
    return lines


def _marked(run, styles: _Styles) -> bool:
    """Whether a run carries a key mark: bold, underline, highlight, shading or a colour other than black."""
    try:
        font = run.font
        if font.bold or styles.bold_style(run):
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
    """Walks the document's lines and tables; questions are built at the end, once the answer key and the
    solutions (which follow the questions) are known."""

    def __init__(self, bank: ParsedBank, options: ParseOptions, styles: _Styles):
        self.bank = bank
        self.styles = styles
        self.options = options
        self.topic = options.default_topic
        self.current: _Question | None = None
        self.numbered_ok = True
        self.tables = 0
        self.items: list[object] = []  # questions and question tables, in document order
        self.mode = "questions"  # or "key", "solutions"
        self.ended = False  # "HẾT" seen
        self.pending_title = False  # a section without a title takes the next line
        self.key: dict[int, list[str]] = {}
        self.solutions: dict[int, list[str]] = {}
        self.solution: int | None = None

    # --- walking ----------------------------------------------------------------------------------------------

    def line(self, line: _Line, following: str | None = None) -> None:
        text = line.text
        cleaned = clean(text)
        if line.image and self.current is not None and self.mode == "questions" and not self.ended:
            self.current.images += 1
        if not cleaned:
            return
        folded = fold(cleaned)
        if _END.match(folded):
            self.finish()
            self.ended, self.mode = True, "key"
            return
        if _KEY_HEADING.match(folded):
            self.finish()
            self.mode = "key"
            return
        if _SOLUTIONS_HEADING.match(folded) and (self.ended or self.mode != "questions" or self.key
                                                 or self.solutions_follow(following)):
            self.finish()
            self.mode, self.solution = "solutions", None
            return
        labelled = _field(text)
        if labelled and labelled[0] == "answer" and any(ch.isdigit() for ch in labelled[1]):
            pairs = _key_pairs(labelled[1])
            if pairs:
                self.finish()
                self.add_key(pairs)
                self.mode = "key"
                return
        if self.mode == "key":
            pairs = _key_pairs(cleaned)
            if pairs:
                self.add_key(pairs)
                return
            self.mode = "questions"
        if self.mode == "solutions":
            if self.solution_line(text):
                return
            self.mode = "questions"
        if self.ended:  # after "HẾT" only the key and the solutions are read
            pairs = _key_pairs(cleaned)
            if pairs:
                self.add_key(pairs)
        else:
            pairs = _key_pairs(cleaned)
            if pairs and len(pairs) > 1:  # "1-B 2-A 3-C" right after the questions, without a heading
                self.finish()
                self.add_key(pairs)
                self.mode = "key"
                return
            self.question_line(line, labelled)

    def question_line(self, line: _Line, labelled: tuple[str, str] | None) -> None:
        text = line.text
        if line.heading or _section(text):
            self.finish()
            label, title = _section(text) or ("", clean(_SECTION.sub("", clean(text))))
            self.set_topic(title or label)
            self.pending_title = not title
            return
        start = _CAU.match(text) or (_NUMBERED.match(text) if self.numbered_ok else None)
        if start:
            self.finish()
            self.pending_title = False
            self.current = _Question(number=int(start.group(1)), topic=self.topic)
            if clean(start.group(2)):
                self.current.stem.append(start.group(2))
            return
        if labelled and labelled[0] == "topic":
            self.finish()
            self.set_topic(labelled[1])
            return
        if self.current is None:
            if self.pending_title:
                self.set_topic(clean(text))
                self.pending_title = False
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

    def solutions_follow(self, following: str | None) -> bool:
        """Whether a solutions heading met among the questions starts the solutions: the next paragraph goes back
        to an earlier question ("Câu 1: …" after question 20), where a per-question "Hướng dẫn giải:" left
        blank is followed by the next question."""
        start = following and (_CAU.match(following) or _NUMBERED.match(following))
        last = self.current.number if self.current else max((q.number for q in self.items
                                                               if isinstance(q, _Question)), default=0)
        return bool(start) and int(start.group(1)) <= last

    def solution_line(self, text: str) -> bool:
        """A paragraph of the solutions section; False when it is not one (the section is over)."""
        start = _CAU.match(text) or _NUMBERED.match(text)
        if start:
            number, body = int(start.group(1)), clean(start.group(2))
            chosen = _CHOSEN.match(body)
            if chosen:
                self.add_key([(number, _letters(chosen.group(1)))], source="lời giải")
                body = body[chosen.end():]
            self.solution = number
            self.solutions.setdefault(number, [])
            if body:
                self.solutions[number].append(body)
            return True
        if self.solution is not None:
            self.solutions[self.solution].append(clean(text))
            return True
        return False

    def set_topic(self, title: str) -> None:
        if title and not self.options.topic_chosen:
            self.topic = _topic_name(title)

    def add_key(self, pairs: list[tuple[int, list[str]]], source: str = _END_KEY) -> None:
        for number, letters in pairs:
            known = self.key.get(number)
            if known is not None and sorted(known) != sorted(letters):
                self.bank.errors.append(BankProblem("question", number, f"Đáp án cuối tệp ghi hai lần khác nhau "
                                                                        f"({', '.join(known)} và "
                                                                        f"{', '.join(letters)}, ở {source})."))
            self.key.setdefault(number, letters)

    def finish(self) -> None:
        question, self.current = self.current, None
        if question is not None:
            self.items.append(question)

    def table(self, table) -> None:
        self.tables += 1
        grid: list[list[str]] = []
        marks: list[list[bool]] = []
        for row in table.rows:
            texts, flags = [], []
            for cell in row.cells:
                lines = [line for paragraph in cell.paragraphs for line in _lines(paragraph, self.styles)]
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
        if "text" not in columns or self.ended:
            pairs = _key_table(grid)
            if pairs:
                self.add_key(pairs)
                self.mode = "key"
                return
            if self.ended:
                return
        if "text" not in columns:
            if "text" not in match_header(grid[0]) and len(grid) > 1:
                self.bank.warnings.append(BankProblem(None, None, f"Bảng thứ {self.tables} không có cột "
                                                                  "“Câu hỏi” nên được bỏ qua."))
            return
        self.mode = "questions"
        self.items.append((sheet, columns, marks))

    # --- building ---------------------------------------------------------------------------------------------

    def build(self) -> None:
        """Build every question in document order, with the key and the solutions found after them."""
        numbers = Counter(item.number for item in self.items if isinstance(item, _Question))
        self.bank.found = sum(numbers.values()) + sum(
            sum(1 for _, cells in item[0].rows if any(cells)) for item in self.items if isinstance(item, tuple))
        for item in self.items:
            if isinstance(item, _Question):
                self.build_question(item, numbers)
            else:
                self.build_table(*item)
        for number, letters in sorted(self.key.items()):
            if number not in numbers:
                self.bank.errors.append(BankProblem("question", number, f"Bảng đáp án cuối tệp ghi đáp án "
                                                                        f"{', '.join(letters)} cho câu {number} "
                                                                        f"nhưng tệp không có câu {number}."))
        for number in sorted(self.solutions):
            if number not in numbers:
                self.bank.warnings.append(BankProblem("question", number, f"Có lời giải cho câu {number} nhưng "
                                                                          f"tệp không có câu {number}."))

    def build_question(self, question: _Question, numbers: Counter) -> None:
        number = question.number
        if question.images:
            message = ("Câu hỏi có hình ảnh hoặc đối tượng nhúng (công thức, biểu đồ): hệ thống chưa hỗ trợ câu "
                       "hỏi có hình")
            if self.options.skip_unsupported:
                problem = BankProblem("question", number, message + "; đã bỏ qua câu này.")
                self.bank.warnings.append(problem)
                self.bank.skipped.append(problem)
            else:
                self.bank.errors.append(BankProblem("question", number, message + ". Thay hình bằng lời, xóa câu "
                                                    "này, hoặc nhập với tùy chọn bỏ qua câu không hỗ trợ."))
            return
        problems = []
        expected = WORD_LETTERS[:len(question.labels)]
        labels = "".join(label.upper() for label in question.labels)
        if len(labels) <= len(WORD_LETTERS) and labels != expected:
            problems.append(f"các phương án phải ghi lần lượt {', '.join(expected)} (tệp ghi "
                            f"{', '.join(labels)}).")
        own: str | None = question.fields.get("answer") or None
        marked = [WORD_LETTERS[i] for i, m in enumerate(question.marked) if m and i < len(WORD_LETTERS)]
        all_marked = len(marked) > 1 and len(marked) == len(question.options)
        end = self.key.get(number)
        answer: str | None = own
        if end is not None and numbers[number] > 1:
            problems.append(f"số câu {number} có ở {numbers[number]} câu trong tệp nên không biết đáp án "
                            f"{', '.join(end)} ở {_END_KEY} thuộc câu nào; hãy đánh số câu liên tục.")
        elif end is not None:
            answer = ", ".join(end)
            if own is not None and sorted(parse_letters(own) or [own]) != sorted(end):
                problems.append(f"đáp án ở {_END_KEY} ({', '.join(end)}) khác dòng “Đáp án: {own}” của câu; "
                                "sửa một trong hai.")
            elif own is None and marked and not all_marked and marked != sorted(end):
                problems.append(f"đáp án ở {_END_KEY} ({', '.join(end)}) khác phương án được đánh dấu "
                                f"({', '.join(marked)}); sửa một trong hai.")
        elif own is None:
            if all_marked:
                problems.append("mọi phương án đều được đánh dấu (in đậm, gạch chân hoặc tô màu) nên không biết "
                                "đâu là đáp án; bỏ đánh dấu ở phương án sai hoặc thêm dòng “Đáp án: …”.")
            elif marked:
                answer = ", ".join(marked)
        elif marked and not all_marked and sorted(parse_letters(own) or []) != marked:
            self.bank.warnings.append(BankProblem("question", number,
                                                  f"Dòng “Đáp án: {own}” khác phương án được đánh dấu "
                                                  f"({', '.join(marked)}); đã dùng dòng Đáp án."))
        explanation = question.fields.get("explanation") or " ".join(self.solutions.get(number, [])) or None
        parsed, found = build_question(
            code=question.fields.get("code"), topic=question.topic,
            kind=question.fields.get("kind"), text=" ".join(question.stem), options=question.options,
            answer=answer, explanation=explanation,
            difficulty=question.fields.get("difficulty"), source=question.fields.get("source"),
            where="question", number=number)
        if problems and "thiếu đáp án đúng." in found:
            found.remove("thiếu đáp án đúng.")
        found = [_NO_KEY if p == "thiếu đáp án đúng." else p for p in found]
        if end is not None:  # say where a letter without its option came from
            found = [p.replace(" không có phương án tương ứng", f" ({_END_KEY}) không có phương án tương ứng")
                     for p in found]
        problems.extend(found)
        self.bank.errors.extend(BankProblem("question", number, p[0].upper() + p[1:]) for p in problems)
        if parsed is not None and not problems:
            self.bank.questions.append(parsed)

    def build_table(self, sheet: Sheet, columns: dict[str, int], marks: list[list[bool]]) -> None:
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


def _section(text: str) -> tuple[str, str] | None:
    """A section line as (its label, its title), e.g. ("Phần I", "Cải cách thể chế")."""
    found = _PART.match(text) or _ROMAN.match(text)
    if not found:
        return None
    words = clean(found.group(1)).split()
    if found.re is _PART:  # "PHẦN THỨ NHẤT" → "Phần thứ nhất", numerals kept
        words = [words[0].capitalize()] + [w if w.isdigit() or re.fullmatch(r"[IVXLC]+", w) else w.lower()
                                           for w in words[1:]]
    return " ".join(words), clean(found.group(2))


def _topic_name(title: str) -> str:
    """A topic as written, an all-capitals title in sentence case ("CẢI CÁCH THỂ CHẾ" → "Cải cách thể chế")."""
    title = clean(title).rstrip(":.").strip()
    if title.isupper() and len(title) > 3:
        return title[:1] + title[1:].lower()
    return title


def _letters(text: str) -> list[str]:
    return [ch.upper() for ch in text if ch.isalpha()]


def _key_pairs(text: str) -> list[tuple[int, list[str]]] | None:
    """A line made only of number/letter pairs ("1-B, 2-A", "1.B 2.A", "1B 2A", "5: A, C"), else None."""
    pairs: list[tuple[int, list[str]]] = []

    def take(found: re.Match) -> str:
        pairs.append((int(found.group(1)), _letters(found.group(2))))
        return " "

    rest = _PAIR.sub(take, text)
    if pairs and not _PAIR_REST.sub("", rest):
        return pairs
    return None


def _key_table(grid: list[list[str]]) -> list[tuple[int, list[str]]]:
    """The pairs of an answer-key table: numbers in one row with letters in the row below, numbers in one
    column with letters in the next, or cells holding a whole pair ("1-B")."""
    pairs: list[tuple[int, list[str]]] = []
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            number = _CELL_NUMBER.match(cell)
            if number is None:
                inline = _key_pairs(cell) if any(ch.isdigit() for ch in cell) else None
                pairs.extend(inline or [])
                continue
            right = row[c + 1] if c + 1 < len(row) else ""
            below = grid[r + 1][c] if r + 1 < len(grid) and c < len(grid[r + 1]) else ""
            for neighbour in (right, below):
                letters = _CELL_LETTERS.match(neighbour)
                if letters:
                    pairs.append((int(number.group(1)), _letters(letters.group(1))))
                    break
    return pairs


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
