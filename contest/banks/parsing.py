"""What every bank parser produces: questions in one shape, and problems with their location.

Pure: no Flask, no database. Parsers turn a file into raw fields and call :func:`build_question`, which
normalises the text (NFC, trimmed, single spaces) and checks the rules shared by all formats.
"""

from __future__ import annotations

import hashlib
import json
import math
import string
from dataclasses import dataclass, field
from functools import cached_property

from contest.vntext import clean, fold

LETTERS = string.ascii_uppercase[:6]
KINDS = {
    "single": "single", "mot dap an": "single", "mot dap an dung": "single", "don": "single",
    "multiple": "multiple", "nhieu dap an": "multiple", "nhieu dap an dung": "multiple",
    "true_false": "true_false", "truefalse": "true_false", "dung sai": "true_false", "dung/sai": "true_false",
    "dung - sai": "true_false",
}
DIFFICULTIES = {
    "easy": "easy", "de": "easy",
    "medium": "medium", "trung binh": "medium", "tb": "medium", "vua": "medium",
    "hard": "hard", "kho": "hard",
}
TRUE_FALSE_OPTIONS = ["Đúng", "Sai"]
MAX_OPTIONS = 6


class ParseError(Exception):
    """Raised only by parsers, for a file that cannot be read at all; carries a Vietnamese message."""


@dataclass(frozen=True)
class ParseOptions:
    """What a parser may need besides the bytes: the topic for files that name none (Aiken, Word without
    headings) and whether question kinds we cannot store are skipped (GIFT) rather than refused."""

    default_topic: str = "Chung"
    skip_unsupported: bool = False
    # The organiser chose the topic at import: it wins over the file's own sections and headings (Word).
    topic_chosen: bool = False


def identity_hash(text: str, options: list[str] | tuple[str, ...]) -> str:
    """Identity of a question's content: its text and options, compared loosely (case, diacritics, spaces)."""
    payload = json.dumps([fold(text), [fold(o) for o in options]], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class BankProblem:
    """A problem at a place in a bank file: ``where`` is "line", "row" or "question"."""

    where: str | None
    number: int | None
    message: str

    def __str__(self) -> str:
        label = {"line": "Dòng", "row": "Dòng", "question": "Câu"}.get(self.where or "", "")
        return f"{label} {self.number}: {self.message}" if label and self.number else self.message

    def as_dict(self) -> dict:
        return {self.where: self.number, "message": self.message} if self.where else {"message": self.message}


@dataclass(frozen=True)
class ParsedQuestion:
    """A question ready to store: text normalised, key as 0-based option indices."""

    code: str | None
    topic: str
    kind: str
    text: str
    options: tuple[str, ...]
    correct: tuple[int, ...]
    weights: tuple[float, ...] | None
    points: float
    explanation: str | None
    difficulty: str
    source: str | None
    where: str | None = None
    number: int | None = None
    # Themes of the plans a question covers (native format only, for ``flask bank coverage``; not stored).
    themes: tuple[str, ...] = ()

    @cached_property  # asked for several times per question (codes, duplicates); a frozen dataclass allows it
    def identity_hash(self) -> str:
        """Identity for a question without a code: its normalised text and options."""
        return identity_hash(self.text, self.options)

    @property
    def stable_code(self) -> str:
        """The explicit code, or one derived from the content for files that carry none."""
        return self.code or "H-" + self.identity_hash[:16]

    @property
    def content_hash(self) -> str:
        """Changes whenever anything stored about the question changes."""
        payload = json.dumps([self.topic, self.kind, self.text, list(self.options), list(self.correct),
                              list(self.weights) if self.weights else None, self.points, self.explanation,
                              self.difficulty, self.source], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    def as_dict(self) -> dict:
        return {"code": self.stable_code, "topic": self.topic, "kind": self.kind, "text": self.text,
                "options": list(self.options), "correct": list(self.correct),
                "weights": list(self.weights) if self.weights else None, "difficulty": self.difficulty,
                "source": self.source}


@dataclass
class ParsedBank:
    """The result of parsing one file."""

    format: str
    name: str | None = None
    title: str | None = None
    description: str | None = None
    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[BankProblem] = field(default_factory=list)
    warnings: list[BankProblem] = field(default_factory=list)
    # Questions of kinds we cannot store, left out on request (also listed among the warnings).
    skipped: list[BankProblem] = field(default_factory=list)
    # How many questions the file holds, read or not (None: the parser does not count them).
    found: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"ok": self.ok, "format": self.format, "questions": [q.as_dict() for q in self.questions],
                "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings]}


def parse_letters(raw: object) -> list[str] | None:
    """Read an answer such as "B", "a, c", "A;C" or ["A", "C"] into upper-case letters; None if unreadable."""
    items = raw if isinstance(raw, list | tuple) else [raw]
    letters: list[str] = []
    for item in items:
        if not isinstance(item, str):
            return None
        for part in item.replace(";", ",").replace("/", ",").replace(" ", ",").split(","):
            part = part.strip().upper().rstrip(".)")
            if not part:
                continue
            if len(part) != 1 or part not in string.ascii_uppercase:
                return None
            letters.append(part)
    return letters or None


class FieldProblem(str):
    """What is wrong with one question, as the text every format reports, naming the field it is about
    ("code", "topic", "text", "kind", "options", "answer", "weights", "points", "difficulty") so that a
    form can put the message beside that field."""

    field: str

    def __new__(cls, field_name: str, message: str) -> FieldProblem:
        problem = super().__new__(cls, message)
        problem.field = field_name
        return problem


def build_question(*, code: object, topic: object, kind: object, text: object, options: list[object],
                   answer: object, weights: object = None, points: object = None, explanation: object = None,
                   difficulty: object = None, source: object = None, where: str | None = None,
                   number: int | None = None) -> tuple[ParsedQuestion | None, list[FieldProblem]]:
    """Normalise and check one question's raw fields; return the question or the list of what is wrong."""
    problems: list[FieldProblem] = []
    code_text = clean(code) or None
    if code_text and len(code_text) > 80:
        problems.append(FieldProblem("code", "mã câu hỏi dài quá 80 ký tự."))
    topic_text = clean(topic)
    if not topic_text:
        problems.append(FieldProblem("topic", "thiếu chủ đề."))
    elif len(topic_text) > 200:
        problems.append(FieldProblem("topic", "tên chủ đề dài quá 200 ký tự."))
    text_value = clean(text)
    if not text_value:
        problems.append(FieldProblem("text", "nội dung câu hỏi trống."))

    kind_value = KINDS.get(fold(kind)) if clean(kind) else None
    if clean(kind) and kind_value is None:
        problems.append(FieldProblem("kind", f"loại câu hỏi “{clean(kind)}” không hợp lệ (một đáp án, nhiều đáp án, "
                                             "đúng sai)."))

    option_texts = [clean(o) for o in options]
    while option_texts and not option_texts[-1]:
        option_texts.pop()
    if any(not o for o in option_texts):
        problems.append(FieldProblem("options", "có phương án trống xen giữa các phương án."))
        option_texts = [o for o in option_texts if o]
    if kind_value == "true_false" and not option_texts:
        option_texts = list(TRUE_FALSE_OPTIONS)
    if len(option_texts) < 2:
        problems.append(FieldProblem("options", "cần ít nhất hai phương án trả lời."))
    if len(option_texts) > MAX_OPTIONS:
        problems.append(FieldProblem("options", f"có {len(option_texts)} phương án; tối đa là {MAX_OPTIONS}."))
    folded = [fold(o) for o in option_texts]
    if len(set(folded)) != len(folded):
        problems.append(FieldProblem("options", "có hai phương án trùng nhau."))

    correct: list[int] = []
    letters: list[str] | None = None
    if answer is None or answer == [] or (isinstance(answer, str) and not answer.strip()):
        problems.append(FieldProblem("answer", "thiếu đáp án đúng."))
    elif kind_value == "true_false" and isinstance(answer, bool):
        letters = ["A" if answer else "B"]
    elif kind_value == "true_false" and isinstance(answer, str) and fold(answer) in ("dung", "sai", "true", "false"):
        letters = ["A" if fold(answer) in ("dung", "true") else "B"]
    else:
        letters = parse_letters(answer)
        if letters is None:
            problems.append(FieldProblem("answer", f"đáp án “{clean(answer)}” không đọc được: ghi chữ cái của "
                                                   "phương án đúng, ví dụ B hoặc A, C."))
    if letters:
        for letter in letters:
            index = LETTERS.find(letter) if letter in LETTERS else -1
            if index < 0 or index >= len(option_texts):
                problems.append(FieldProblem("answer", f"đáp án {letter} không có phương án tương ứng."))
            elif index not in correct:
                correct.append(index)
        correct.sort()

    if kind_value is None:
        kind_value = "multiple" if len(correct) > 1 else "single"
    if kind_value in ("single", "true_false") and len(correct) > 1:
        problems.append(FieldProblem("answer", "câu hỏi một đáp án chỉ được có đúng một đáp án đúng."))
    if kind_value == "true_false" and option_texts and len(option_texts) != 2:
        problems.append(FieldProblem("options", "câu hỏi đúng/sai phải có đúng hai phương án."))
    if kind_value == "multiple" and correct and len(correct) < 2 and weights is None:
        problems.append(FieldProblem("answer", "câu hỏi nhiều đáp án cần ít nhất hai đáp án đúng (hoặc đổi thành "
                                               "loại một đáp án)."))

    weight_values: tuple[float, ...] | None = None
    if weights is not None and weights != []:
        try:
            weight_values = tuple(float(w) for w in weights)  # type: ignore[union-attr]
            if not all(math.isfinite(w) for w in weight_values):
                raise ValueError(weights)
        except (TypeError, ValueError):
            problems.append(FieldProblem("weights", "trọng số phải là danh sách số (phần trăm), mỗi phương án một "
                                                    "số."))
        else:
            if len(weight_values) != len(option_texts):
                problems.append(FieldProblem("weights", "số trọng số phải bằng số phương án."))
            elif any(w < -100 or w > 100 for w in weight_values):
                problems.append(FieldProblem("weights", "trọng số phải nằm trong khoảng −100 đến 100 (%)."))
            elif sum(w for w in weight_values if w > 0) <= 0:
                problems.append(FieldProblem("weights", "cần ít nhất một phương án có trọng số dương."))
            elif correct and [i for i, w in enumerate(weight_values) if w > 0] != correct:
                problems.append(FieldProblem("weights", "đáp án đúng phải là đúng các phương án có trọng số "
                                                        "dương."))

    point_value = 1.0
    if points is not None and clean(points):
        try:
            point_value = float(points)  # type: ignore[arg-type]
            if not math.isfinite(point_value) or point_value <= 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(FieldProblem("points", f"điểm của câu “{clean(points)}” phải là số dương."))

    difficulty_value = "medium"
    if clean(difficulty):
        difficulty_value = DIFFICULTIES.get(fold(difficulty), "")
        if not difficulty_value:
            problems.append(FieldProblem("difficulty", f"độ khó “{clean(difficulty)}” không hợp lệ (dễ, trung bình, "
                                                       "khó)."))

    if problems:
        return None, problems
    return ParsedQuestion(code=code_text, topic=topic_text, kind=kind_value, text=text_value,
                          options=tuple(option_texts), correct=tuple(correct), weights=weight_values,
                          points=point_value, explanation=clean(explanation) or None,
                          difficulty=difficulty_value, source=clean(source) or None,
                          where=where, number=number), []


def check_duplicates(bank: ParsedBank) -> None:
    """Add an error for repeated codes and a warning for repeated content within the file."""
    codes: dict[str, ParsedQuestion] = {}
    contents: dict[str, ParsedQuestion] = {}
    for question in bank.questions:
        if question.code:
            first = codes.setdefault(question.code, question)
            if first is not question:
                bank.errors.append(BankProblem(question.where, question.number,
                                               f"mã câu hỏi “{question.code}” trùng với câu ở "
                                               f"{_place(first)}."))
        first = contents.setdefault(question.identity_hash, question)
        if first is not question:
            bank.warnings.append(BankProblem(question.where, question.number,
                                             f"câu hỏi trùng nội dung với câu ở {_place(first)}."))


def _place(question: ParsedQuestion) -> str:
    label = {"line": "dòng", "row": "dòng", "question": "câu"}.get(question.where or "", "vị trí")
    return f"{label} {question.number}"
