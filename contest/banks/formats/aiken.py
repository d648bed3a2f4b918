"""The Aiken format (Moodle): a one-line question, its options and an answer line. Pure: no Flask, no database.

```
Luật Tổ chức chính quyền địa phương được sửa đổi năm nào?
A. 2019
B) 2025
ANSWER: B
```
Lower-case labels (``a.``, ``a)``) are accepted, as Vietnamese banks use them — Moodle silently drops such
questions. ``Đáp án: B`` works as the answer line. A byte-order mark, Windows line ends and blank lines are
tolerated; a stem running over several lines is joined. Every problem names the 1-based line where its
question starts; an answer letter without its option is an error, never a silently wrong key.
Aiken has no topics: every question takes the topic given to the parser (by default the file's name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contest.banks.parsing import BankProblem, ParsedBank, ParseOptions, build_question
from contest.vntext import clean, fold

_OPTION = re.compile(r"^\s*([A-Za-z])\s*[.)]\s*(.*)$")
# build_question's messages about the answer letters: reported on the answer line.
_ANSWER_PROBLEMS = ("đáp án ", "thiếu đáp án", "câu hỏi một đáp án chỉ")
_ANSWER = re.compile(r"^\s*(answer|dap an(?: dung)?)\s*[:：]\s*(.*)$")


@dataclass
class _Question:
    line: int
    stem: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    answer: str | None = None
    answer_line: int | None = None


def decode_text(data: bytes, bank: ParsedBank) -> list[str] | None:
    """The file as lines (BOM dropped, any line end), or None with an error when it is not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        bank.errors.append(BankProblem(None, None, "Tệp phải được lưu với bảng mã UTF-8 (trong Notepad: "
                                                   "Lưu thành… → Mã hóa UTF-8)."))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_aiken(data: bytes, options: ParseOptions) -> ParsedBank:
    """Parse an Aiken file."""
    bank = ParsedBank(format="aiken")
    lines = decode_text(data, bank)
    if lines is None:
        return bank
    current: _Question | None = None
    bank.found = 0
    for number, raw in enumerate(lines, start=1):
        line = clean(raw)
        if not line:
            continue
        answer = _ANSWER.match(fold(line))
        option = _OPTION.match(line)
        if answer and current is not None:
            current.answer = line.split(":", 1)[1] if ":" in line else line.split("：", 1)[-1]
            current.answer_line = number
            _finish(current, bank, options)
            current = None
        elif answer:
            bank.errors.append(BankProblem("line", number, "Dòng đáp án không thuộc câu hỏi nào (thiếu nội "
                                                           "dung câu hỏi phía trên)."))
        elif option and current is not None and current.stem:
            current.labels.append(option.group(1))
            current.options.append(option.group(2))
        elif current is not None and current.options:
            # A new stem while the last question still waits for its answer line.
            bank.errors.append(BankProblem("line", current.line, "Thiếu dòng đáp án (ANSWER: X hoặc Đáp án: X) "
                                                                 "sau các phương án."))
            current = _Question(line=number, stem=[line])
            bank.found += 1
        elif current is not None:
            current.stem.append(line)
        else:
            current = _Question(line=number, stem=[line])
            bank.found += 1
    if current is not None:
        message = ("Thiếu dòng đáp án (ANSWER: X hoặc Đáp án: X) sau các phương án." if current.options
                   else "Câu hỏi không có phương án nào (A. …, B. …).")
        bank.errors.append(BankProblem("line", current.line, message))
    return bank


def _finish(question: _Question, bank: ParsedBank, options: ParseOptions) -> None:
    problems = []
    expected = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:len(question.labels)]
    labels = "".join(label.upper() for label in question.labels)
    if labels != expected:
        problems.append(f"các phương án phải ghi lần lượt {', '.join(expected)} (tệp ghi {', '.join(labels)}).")
    parsed, found = build_question(code=None, topic=options.default_topic, kind=None,
                                   text=" ".join(question.stem), options=question.options,
                                   answer=question.answer, where="line", number=question.line)
    # A wrong answer letter is reported on the answer line, where the organiser has to fix it.
    answer_problems = [p for p in found if p.startswith(_ANSWER_PROBLEMS)]
    problems.extend(p for p in found if p not in answer_problems)
    if parsed is not None and len(parsed.correct) > 1:
        answer_problems.append("Aiken chỉ có câu một đáp án: dòng ANSWER phải ghi đúng một chữ cái.")
    bank.errors.extend(BankProblem("line", question.line, p[0].upper() + p[1:]) for p in problems)
    answer_line = question.answer_line or question.line
    bank.errors.extend(BankProblem("line", answer_line, p[0].upper() + p[1:].rstrip(".")
                                   + f" (câu hỏi bắt đầu ở dòng {question.line}).") for p in answer_problems)
    if parsed is not None and not problems and not answer_problems:
        bank.questions.append(parsed)
