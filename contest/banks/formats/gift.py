"""The GIFT format (Moodle). Pure: no Flask, no database.

Read: ``$CATEGORY:`` (the last segment of the path is the topic, ``//`` inside a name is a slash), ``//``
comments (``[id:…]`` is the question's stable code, ``[tag:…]`` a tag — easy/medium/hard or dễ/trung bình/khó
set the difficulty), ``::name::``, the ``[html]``/``[plain]``/``[moodle]``/``[markdown]`` markers, the escapes
``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``, multiple choice with ``=`` right and ``~`` wrong, weights ``~%50%`` (a question
without ``=`` has several right answers), true/false ``{T}``/``{FALSE}`` with feedback, and ``####`` general
feedback (stored as the explanation). Feedback on single options is dropped: we store no per-option feedback.

Our own comment lines, which Moodle ignores, carry what GIFT cannot say so that an export reads back
unchanged: ``// Nguồn: …``, ``// Điểm: 2``, ``// Chấm: tất cả hoặc không`` (a multiple-answer question scored
all or nothing, whose weights are only for Moodle) and ``// Loại: đúng sai``.

Kinds we cannot store — short answer, numerical, matching, essay, description, missing word — are an error
naming the line and the kind, or, when asked, skipped and listed among the warnings.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from contest.banks.formats.aiken import decode_text
from contest.banks.parsing import DIFFICULTIES, BankProblem, ParsedBank, ParseOptions, build_question
from contest.vntext import clean, fold

# Escaped characters become private-use stand-ins while the structure is read, then turn back.
_ESCAPES = {"~": "\ue000", "=": "\ue001", "#": "\ue002", "{": "\ue003", "}": "\ue004", ":": "\ue005",
            "\\": "\ue006", "n": " "}
_UNESCAPE = str.maketrans({v: k for k, v in _ESCAPES.items() if k != "n"})
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_WEIGHT = re.compile(r"^\s*%\s*(-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?)\s*%")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_CONTEXT = re.compile(r"\$\w+\$")  # $course$, $system$, $module$ …
_ID = re.compile(r"\[id:([^\]]*)\]")
_TAG = re.compile(r"\[tag:([^\]]*)\]")
UNSUPPORTED = {
    "short_answer": "trả lời ngắn (short answer)",
    "numerical": "số (numerical)",
    "matching": "ghép cặp (matching)",
    "essay": "tự luận (essay)",
    "description": "mô tả (description)",
    "missing_word": "điền từ vào chỗ trống (missing word)",
}


@dataclass
class _Chunk:
    """The lines of one question (between blank lines), with the comments just above it."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


class _Unsupported(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class _Invalid(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def parse_gift(data: bytes, options: ParseOptions) -> ParsedBank:
    """Parse a GIFT file."""
    bank = ParsedBank(format="gift")
    lines = decode_text(data, bank)
    if lines is None:
        return bank
    topic = options.default_topic
    for chunk in _chunks(lines):
        first_line, first = chunk.lines[0]
        if first.lstrip().upper().startswith("$CATEGORY:"):
            topic = _category(first.split(":", 1)[1]) or topic
            chunk.lines = chunk.lines[1:]
            if not chunk.lines:
                continue
            first_line = chunk.lines[0][0]
        try:
            _read_question(chunk, topic, bank)
        except _Unsupported as exc:
            label = UNSUPPORTED[exc.kind]
            if options.skip_unsupported:
                problem = BankProblem("line", first_line, f"Đã bỏ qua câu hỏi dạng {label}: hệ thống chỉ nhận "
                                                          "câu trắc nghiệm và đúng/sai.")
                bank.warnings.append(problem)
                bank.skipped.append(problem)
            else:
                bank.errors.append(BankProblem("line", first_line, f"Câu hỏi dạng {label} không được hỗ trợ "
                                                                   "(chỉ nhận trắc nghiệm một đáp án, nhiều đáp án "
                                                                   "và đúng/sai). Sửa hoặc xóa câu này, hoặc nhập "
                                                                   "với tùy chọn bỏ qua câu không hỗ trợ."))
        except _Invalid as exc:
            bank.errors.append(BankProblem("line", exc.line, exc.message))
    return bank


def _chunks(lines: list[str]):
    """Questions are separated by blank lines; comment lines belong to the question that follows."""
    chunk = _Chunk()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            chunk.comments.append(stripped[2:].strip())
        elif not stripped:
            if chunk.lines:
                yield chunk
                chunk = _Chunk()
        else:
            chunk.lines.append((number, raw))
    if chunk.lines:
        yield chunk


def _category(path: str) -> str:
    """The last segment of a category path such as ``$course$/top/Cải cách thể chế``."""
    segments = [s.replace("\0", "/") for s in path.strip().replace("//", "\0").split("/")]
    segments = [s for s in segments if clean(s) and not _CONTEXT.fullmatch(s.strip())]
    if len(segments) > 1 and segments[0].strip() == "top":  # Moodle's root category, not a topic
        segments = segments[1:]
    return clean(segments[-1]) if segments else ""


def _escape_placeholders(text: str) -> str:
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _ESCAPES:
            out.append(_ESCAPES[text[index + 1]])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _plain(text: str, is_html: bool) -> str:
    """Text as stored: stand-ins back to their characters, HTML tags dropped, spaces collapsed."""
    text = text.translate(_UNESCAPE)
    if is_html:
        text = html.unescape(_TAGS.sub(" ", text))
    return clean(text)


def _read_question(chunk: _Chunk, topic: str, bank: ParsedBank) -> None:
    start = chunk.lines[0][0]
    line_starts = [n for n, _ in chunk.lines]
    text = _escape_placeholders("\n".join(raw for _, raw in chunk.lines))

    def line_of(position: int) -> int:
        return line_starts[min(text.count("\n", 0, position), len(line_starts) - 1)]

    body = text.lstrip()
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            raise _Invalid(start, "Thiếu dấu “::” đóng tên câu hỏi (::tên::).")
        body = body[end + 2:]
    offset = len(text) - len(body)
    opens = [i + offset for i, c in enumerate(body) if c == "{"]
    closes = [i + offset for i, c in enumerate(body) if c == "}"]
    if not opens and not closes:
        raise _Unsupported("description")
    depth = 0
    for position in sorted(opens + closes):
        depth += 1 if text[position] == "{" else -1
        if depth < 0:
            raise _Invalid(line_of(position), "Dấu “}” không có “{” mở tương ứng (ngoặc nhọn không cân đối; "
                                              "nếu là chữ, viết \\}).")
        if depth > 1:
            raise _Invalid(line_of(position), "Dấu “{” mở khi khối đáp án trước chưa đóng (ngoặc nhọn không "
                                              "cân đối; nếu là chữ, viết \\{).")
    if depth != 0:
        raise _Invalid(line_of(opens[-1]), "Khối đáp án mở bằng “{” nhưng không có “}” đóng (ngoặc nhọn không "
                                           "cân đối).")
    if len(opens) > 1:
        raise _Unsupported("missing_word")
    open_at, close_at = opens[0], closes[0]
    before, block, after = text[offset:open_at], text[open_at + 1:close_at], text[close_at + 1:]
    marker = _FORMAT.match(before)
    is_html = bool(marker and marker.group(1).lower() == "html")
    if marker:
        before = before[marker.end():]
    if clean(after):
        raise _Unsupported("missing_word")

    block, _, general = block.partition("####")
    explanation = _plain(general, is_html)
    kind, options, answer, weights = _answers(block, start)

    code = None
    tags: list[str] = []
    source = points = None
    for comment in chunk.comments:
        found = _ID.search(comment)
        if found:
            code = _plain(found.group(1), False)
        tags.extend(clean(t) for t in _TAG.findall(comment))
        folded = fold(comment)
        if folded.startswith("nguon:"):
            source = comment.split(":", 1)[1]
        elif folded.startswith("diem:"):
            points = clean(comment.split(":", 1)[1])
        elif folded.startswith("cham:") and "tat ca hoac khong" in folded and kind == "multiple":
            weights = None
        elif folded.startswith("loai:") and fold(comment.split(":", 1)[1]) in ("dung sai", "true_false") \
                and kind == "single" and len(options) == 2:
            kind = "true_false"
    difficulty = next((t for t in tags if fold(t) in DIFFICULTIES), None)

    question, problems = build_question(code=code, topic=topic, kind=kind, text=_plain(before, is_html),
                                        options=[_plain(o, is_html) for o in options], answer=answer,
                                        weights=weights, points=points, explanation=explanation,
                                        difficulty=difficulty, source=source, where="line", number=start)
    bank.errors.extend(BankProblem("line", start, p[0].upper() + p[1:]) for p in problems)
    if question is not None:
        bank.questions.append(question)


def _answers(block: str, line: int) -> tuple[str, list[str], object, list[float] | None]:
    """Read an answer block into (kind, options, answer letters, weights)."""
    content = block.strip()
    if not content:
        raise _Unsupported("essay")
    if content.startswith("#"):
        raise _Unsupported("numerical")
    true_false = _TRUE_FALSE.match(content)
    if true_false:
        truth = true_false.group(1).upper().startswith("T")
        return "true_false", ["Đúng", "Sai"], "A" if truth else "B", None
    marks = [i for i, c in enumerate(content) if c in "=~"]
    if not marks or clean(content[:marks[0]]):
        raise _Invalid(line, "Khối đáp án phải gồm các phương án bắt đầu bằng “=” (đúng) hoặc “~” (sai).")
    answers = []
    for index, start in enumerate(marks):
        end = marks[index + 1] if index + 1 < len(marks) else len(content)
        answers.append((content[start], content[start + 1:end]))
    if all(sign == "=" for sign, _ in answers):
        raise _Unsupported("matching" if any("->" in body for _, body in answers) else "short_answer")

    options: list[str] = []
    weights: list[float] = []
    has_weight = False
    right: list[int] = []
    for index, (sign, body) in enumerate(answers):
        weight_match = _WEIGHT.match(body)
        weight = None
        if weight_match:
            weight = float(weight_match.group(1).replace(",", "."))
            body = body[weight_match.end():]
            has_weight = True
        option, _, _feedback = body.partition("#")
        options.append(option)
        if sign == "=":
            right.append(index)
            weights.append(100.0 if weight is None else weight)
        else:
            weights.append(0.0 if weight is None else weight)
    letters = ", ".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i] for i in range(len(options))
                        if (i in right if right else weights[i] > 0) and i < 26)
    if right:
        return "single", options, letters or None, None
    return "multiple", options, letters or None, (weights if has_weight else None)
