"""The GIFT format (Moodle), read the way Moodle's own importer reads it. Pure: no Flask, no database.

Questions are separated by blank lines; ``//`` lines are comments (``[id:…]`` is the question's stable code,
``[tag:…]`` a tag — easy/medium/hard or dễ/trung bình/khó set the difficulty). ``$CATEGORY:`` sets the topic:
the last part of the path, after Moodle's ``$course$``/``$system$``/``$module$`` prefix and its ``top`` root
(``//`` inside a name is a slash). ``::name::`` is the question's name: without an ``[id:…]`` it is the
question's code (made unique within the file, with a warning), so a re-import keeps each question's identity.

As in Moodle: the first ``{…}`` is the answer block; text after it stays in the stem with a blank ``_____`` where
the block was (the "missing word" way of writing a question); the kind comes from the block alone — empty: essay,
``#…``: numerical, any ``~``: multiple choice (single answer when some answer starts with ``=``, else multiple
answers scored by the ``~%50%`` weights), ``=`` with ``->``: matching, ``T``/``TRUE``/``F``/``FALSE`` with up to two
feedbacks: true/false, other ``=`` answers: short answer; no block: description. ``####`` starts the general
feedback (stored as the explanation). A leading ``[html]``, ``[moodle]``, ``[plain]`` or ``[markdown]`` is dropped
from the question text, each option and each feedback, and ``[html]`` text becomes plain text. The escapes
``\\~ \\= \\# \\{ \\} \\: \\\\ \\n`` are read everywhere, and ``\\%`` as a percent sign (Moodle keeps that backslash).
Feedback on single options is dropped (we store none); partial weights in a single-answer question are dropped
with a warning (we score single-answer questions right or wrong).

Our own comment lines, which Moodle ignores, carry what GIFT cannot say so that an export reads back
unchanged: ``// Nguồn: …``, ``// Điểm: 2``, ``// Chấm: tất cả hoặc không`` (a multiple-answer question scored
all or nothing, whose weights are only for Moodle) and ``// Loại: đúng sai``.

Kinds we cannot store — short answer, numerical, matching, essay, description — are an error naming the line and
the kind, or, when asked, skipped and listed among the warnings.

Why this module is long: it is one grammar (Moodle's GIFT, with its escapes, categories, answer blocks and our
comment lines); its pieces read the same chunk state and are tested together against Moodle's own examples.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field, replace

from contest.banks.formats.aiken import decode_text
from contest.banks.parsing import (
    DIFFICULTIES,
    BankProblem,
    ParsedBank,
    ParsedQuestion,
    ParseOptions,
    build_question,
)
from contest.vntext import clean, fold

# Escaped characters become private-use stand-ins while the structure is read, then turn back.
_ESCAPES = {"~": "\ue000", "=": "\ue001", "#": "\ue002", "{": "\ue003", "}": "\ue004", ":": "\ue005",
            "\\": "\ue006", "%": "\ue007", "n": " "}
_UNESCAPE = str.maketrans({v: k for k, v in _ESCAPES.items() if k != "n"})
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_WEIGHT = re.compile(r"^%\s*(-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?)\s*%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CONTEXT = re.compile(r"\$\w+\$")  # $course$, $system$, $module$ …
_ID = re.compile(r"\[id:((?:\\\]|[^\]])*)\]")  # "\]" inside an id is a "]", as in Moodle
_TAG = re.compile(r"\[tag:([^\]]*)\]")
_BLANK = "_____"  # where Moodle puts the answer block of a question whose text goes on after it
_CODE_LENGTH = 80
UNSUPPORTED = {
    "short_answer": "trả lời ngắn (short answer)",
    "numerical": "số (numerical)",
    "matching": "ghép cặp (matching)",
    "essay": "tự luận (essay)",
    "description": "mô tả (description)",
}


@dataclass
class _Chunk:
    """The lines of one question (between blank lines), with its comment lines."""

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
    bank.found = 0
    names: dict[int, str] = {}  # question index -> the ::name:: its code comes from
    for chunk in _chunks(lines):
        first_line, first = chunk.lines[0]
        if first.lstrip().upper().startswith("$CATEGORY:"):
            topic = _category(first.split(":", 1)[1]) or topic
            chunk.lines = chunk.lines[1:]
            if not chunk.lines:
                continue
            first_line = chunk.lines[0][0]
        bank.found += 1
        try:
            name = _read_question(chunk, topic, bank)
            if name:
                names[len(bank.questions) - 1] = name
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
    _unique_name_codes(bank, names)
    return bank


def _chunks(lines: list[str]):
    """Questions are separated by blank lines; comment lines belong to the question they are in or above."""
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


def _formatted(text: str, default_html: bool) -> tuple[str, bool]:
    """A piece of text without its leading format marker, and whether it is HTML (the marker, else the
    default: options and feedback take the question text's format)."""
    text = text.strip()
    marker = _FORMAT.match(text)
    if not marker:
        return text, default_html
    return text[marker.end():], marker.group(1).lower() == "html"


def _plain(text: str, is_html: bool) -> str:
    """Text as stored: stand-ins back to their characters, HTML tags dropped, spaces collapsed."""
    text = text.translate(_UNESCAPE)
    if is_html:
        text = html.unescape(_TAGS.sub(" ", text))
    return clean(text)


def _read_question(chunk: _Chunk, topic: str, bank: ParsedBank) -> str | None:
    """Read one question into the bank; return the name its code was taken from, if any."""
    start = chunk.lines[0][0]
    line_starts = [n for n, _ in chunk.lines]
    text = _escape_placeholders("\n".join(raw for _, raw in chunk.lines))

    def line_of(position: int) -> int:
        return line_starts[min(text.count("\n", 0, position), len(line_starts) - 1)]

    offset = len(text) - len(text.lstrip())
    name = None
    if text.startswith("::", offset):
        end = text.find("::", offset + 2)
        if end < 0:
            raise _Invalid(start, "Thiếu dấu “::” đóng tên câu hỏi (::tên::).")
        name = _plain(text[offset + 2:end], False) or None
        offset = end + 2
    body = text[offset:]
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
        raise _Invalid(line_of(opens[1]), f"Câu hỏi có {len(opens)} khối đáp án “{{…}}”; mỗi câu chỉ có một khối "
                                          "(nếu “{” là chữ, viết \\{).")
    open_at, close_at = opens[0], closes[0]
    before, block, after = text[offset:open_at], text[open_at + 1:close_at], text[close_at + 1:]
    # Text after the block stays in the stem, with a blank where the block was (Moodle's missing word).
    stem, is_html = _formatted(before + (_BLANK + after if clean(after) else ""), False)

    answer_text = block.strip()
    general = ""
    cut = answer_text.rfind("####")
    if cut >= 0:
        answer_text, general = answer_text[:cut].strip(), answer_text[cut + 4:]
    explanation = _plain(*_formatted(general, is_html))
    kind, options, answer, weights = _answers(answer_text, is_html, start, bank)

    code = None
    tags: list[str] = []
    source = points = None
    for comment in chunk.comments:
        found = _ID.search(comment)
        if found:
            code = clean(found.group(1).replace("\\]", "]"))
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
    from_name = None if code or not name else _name_code(name)

    question, problems = build_question(code=code or from_name, topic=topic, kind=kind, text=_plain(stem, is_html),
                                        options=options, answer=answer, weights=weights, points=points,
                                        explanation=explanation, difficulty=difficulty, source=source,
                                        where="line", number=start)
    bank.errors.extend(BankProblem("line", start, p[0].upper() + p[1:]) for p in problems)
    if question is None:
        return None
    bank.questions.append(question)
    return name if from_name else None


def _answers(content: str, is_html: bool, line: int,
             bank: ParsedBank) -> tuple[str, list[str], object, list[float] | None]:
    """Read an answer block (general feedback already cut off) into (kind, options, answer letters, weights),
    telling the kinds apart in Moodle's order."""
    if not content:
        raise _Unsupported("essay")
    if content.startswith("#"):
        raise _Unsupported("numerical")
    if "~" not in content:
        if "=" in content and "->" in content:
            raise _Unsupported("matching")
        truth = _formatted(content.split("#", 1)[0], is_html)[0].strip().translate(_UNESCAPE)
        if truth.upper() in _TRUE_FALSE:
            return "true_false", ["Đúng", "Sai"], "A" if _TRUE_FALSE[truth.upper()] else "B", None
        raise _Unsupported("short_answer")

    single = "=" in content
    pieces = content.replace("=", "~=").split("~")
    if not pieces[0].strip():
        pieces = pieces[1:]
    options: list[str] = []
    weights: list[float] = []
    has_weight = False
    right: list[int] = []
    dropped: list[str] = []
    for index, piece in enumerate(pieces):
        piece = piece.strip()
        weight = 0.0
        if piece.startswith("="):
            weight, piece = 100.0, piece[1:]
            right.append(index)
        else:
            found = _WEIGHT.match(piece)
            if found:
                weight = float(found.group(1).replace(",", "."))
                piece = piece[found.end():]
                has_weight = True
                if single and weight:
                    dropped.append(f"{'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[index % 26]} ({number_label(weight)} %)")
        option, _, _feedback = piece.partition("#")
        options.append(_plain(*_formatted(option, is_html)))
        weights.append(weight)
    if dropped:
        bank.warnings.append(BankProblem("line", line, "Câu một đáp án (có “=”) chỉ chấm đúng hoặc sai: đã bỏ "
                                                       f"trọng số của phương án {', '.join(dropped)}."))
    letters = ", ".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i] for i in range(len(options))
                        if (i in right if single else weights[i] > 0) and i < 26)
    if single:
        return "single", options, letters or None, None
    return "multiple", options, letters or None, (weights if has_weight else None)


def number_label(value: float) -> str:
    """A weight as people write it: 50 rather than 50.0, a decimal comma otherwise."""
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _name_code(name: str) -> str:
    """A question code from a ``::name::``: the name itself, or when too long its start and a short hash."""
    if len(name) <= _CODE_LENGTH:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return name[:_CODE_LENGTH - 9].rstrip() + "-" + digest


def _unique_name_codes(bank: ParsedBank, names: dict[int, str]) -> None:
    """Codes taken from names, made unique within the file (an explicit ``[id:…]`` keeps its code); a warning
    for each question whose name another question already used."""
    explicit = {q.code: q for i, q in enumerate(bank.questions) if i not in names and q.code}
    used: dict[str, ParsedQuestion] = {}
    for index, question in enumerate(bank.questions):
        if index not in names:
            continue
        code = question.code or ""
        first = used.get(code) or explicit.get(code)
        if first is None:
            used[code] = question
            continue
        counter = 2
        while True:
            suffix = f"-{counter}"
            candidate = code[:_CODE_LENGTH - len(suffix)] + suffix
            if candidate not in used and candidate not in explicit:
                break
            counter += 1
        renamed = replace(question, code=candidate)
        bank.questions[index] = renamed
        used[candidate] = renamed
        bank.warnings.append(BankProblem("line", question.number,
                                         f"Tên câu hỏi “{names[index]}” trùng với câu ở dòng {first.number}; câu "
                                         f"này lấy mã “{candidate}”."))
