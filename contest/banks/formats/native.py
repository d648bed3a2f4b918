"""The native bank format, in YAML or JSON (same shape). Pure: no Flask, no database.

```yaml
bank: cchc-mac-dinh                      # the bank's name (letters, digits, dashes)
title: Ngân hàng câu hỏi CCHC
description: ...
questions:
  - id: NQ76-001                         # stable code: re-imports update the question with this id
    topic: Cải cách thể chế
    kind: single                         # single | multiple | true_false (or: một đáp án, nhiều đáp án, đúng sai)
    difficulty: easy                     # easy | medium | hard (or: dễ, trung bình, khó)
    text: Nội dung câu hỏi?
    options: [Phương án 1, Phương án 2, Phương án 3, Phương án 4]
    answer: B                            # letter(s): "B", "A, C"; true_false also takes Đúng / Sai
    weights: [50, 50, -100, 0]           # optional, per option, in percent (multiple answer)
    points: 1                            # optional, the question's weight in the score
    explanation: ...
    source: Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ
    themes: [chuong-trinh-tong-the]      # optional: themes of the plans it covers (flask bank coverage)
```
Problems name the 1-based line where the question starts. A file with more aliases (``*name``) or deeper
nesting than the caps of :func:`contest.sheets.limits` is refused before it is built (a 558-byte alias bomb
expands to billions of items), and no parser's English message reaches the organiser.
"""

from __future__ import annotations

import dataclasses
import json

import yaml

from contest.banks.parsing import BankProblem, ParsedBank, ParseOptions, build_question
from contest.sheets import limits
from contest.vntext import clean

_LINE = "__line__"
_KNOWN_KEYS = {"id", "code", "topic", "kind", "difficulty", "text", "options", "answer", "correct", "weights",
               "points", "explanation", "source", "themes", _LINE}


class _TooComplex(Exception):
    """The YAML file has more aliases or deeper nesting than the caps allow."""


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line where each mapping starts, and counts aliases and nesting while
    composing (before anything is built)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):
        caps = limits()
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > caps.max_yaml_aliases:
                raise _TooComplex(f"Tệp dùng quá {caps.max_yaml_aliases} tham chiếu (*tên) của YAML. Hãy viết "
                                  "đầy đủ từng câu hỏi thay vì tham chiếu.")
        self._depth += 1
        try:
            if self._depth > caps.max_nesting:
                raise _TooComplex(f"Tệp lồng nhau quá {caps.max_nesting} cấp; tệp ngân hàng câu hỏi chỉ cần vài "
                                  "cấp.")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _decode(data: bytes, bank: ParsedBank) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        bank.errors.append(BankProblem(None, None, "Tệp phải được lưu với bảng mã UTF-8."))
        return None


def parse_yaml(data: bytes, options: ParseOptions | None = None) -> ParsedBank:
    """Parse a native YAML bank file."""
    bank = ParsedBank(format="yaml")
    text = _decode(data, bank)
    if text is None:
        return bank
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _TooComplex as exc:
        bank.errors.append(BankProblem(None, None, str(exc)))
        return bank
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        # The parser's own text is English: say what to check instead.
        bank.errors.append(BankProblem("line" if line else None, line, "Lỗi cú pháp YAML: kiểm tra thụt lề, dấu "
                                                                       "hai chấm, dấu gạch đầu dòng và dấu ngoặc kép."))
        return bank
    except RecursionError:
        bank.errors.append(BankProblem(None, None, "Tệp lồng nhau quá sâu."))
        return bank
    _read_document(document, bank)
    return bank


def parse_json(data: bytes, options: ParseOptions | None = None) -> ParsedBank:
    """Parse a native JSON bank file (same shape as YAML; problems name the question's position)."""
    bank = ParsedBank(format="json")
    text = _decode(data, bank)
    if text is None:
        return bank
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        bank.errors.append(BankProblem("line", exc.lineno, "Lỗi cú pháp JSON: kiểm tra dấu phẩy, dấu ngoặc và "
                                                           "dấu ngoặc kép."))
        return bank
    except RecursionError:  # deeper than Python's stack: certainly deeper than the cap
        too_deep = True
    else:
        too_deep = _depth(document) > limits().max_nesting
    if too_deep:
        bank.errors.append(BankProblem(None, None, f"Tệp lồng nhau quá {limits().max_nesting} cấp; tệp ngân hàng "
                                                   "câu hỏi chỉ cần vài cấp."))
        return bank
    _read_document(document, bank)
    return bank


def _depth(value: object) -> int:
    """How deeply lists and mappings nest in a parsed JSON document (iteratively: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _read_document(document: object, bank: ParsedBank) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("questions"), list):
        bank.errors.append(BankProblem(None, None, "Tệp phải có khóa “questions” chứa danh sách câu hỏi."))
        return
    bank.name = clean(document.get("bank")) or None
    bank.title = clean(document.get("title")) or None
    bank.description = clean(document.get("description")) or None
    for position, item in enumerate(document["questions"], start=1):
        line = item.get(_LINE) if isinstance(item, dict) else None
        where, number = ("line", line) if line else ("question", position)
        if not isinstance(item, dict):
            bank.errors.append(BankProblem(where, number, "mỗi câu hỏi phải là một khối có các khóa id, topic, "
                                                          "text, options, answer."))
            continue
        unknown = sorted(set(item) - _KNOWN_KEYS)
        if unknown:
            bank.errors.append(BankProblem(where, number, "khóa không được hỗ trợ: " + ", ".join(unknown) + "."))
        options = item.get("options")
        if not isinstance(options, list):
            options = [] if options is None else [options]
        if any(isinstance(o, bool) for o in options):
            bank.errors.append(BankProblem(where, number, "phương án dạng yes/no/true/false phải đặt trong "
                                                          "ngoặc kép."))
            continue
        answer = item.get("answer", item.get("correct"))
        if isinstance(answer, list) and answer and all(isinstance(a, int) and not isinstance(a, bool)
                                                       for a in answer):
            # JSON exports carry 0-based indices under "correct".
            answer = [chr(ord("A") + a) if 0 <= a < 26 else "?" for a in answer]
        question, problems = build_question(
            code=item.get("id", item.get("code")), topic=item.get("topic"), kind=item.get("kind"),
            text=item.get("text"), options=options, answer=answer, weights=item.get("weights"),
            points=item.get("points"), explanation=item.get("explanation"),
            difficulty=item.get("difficulty"), source=item.get("source"), where=where, number=number)
        bank.errors.extend(BankProblem(where, number, p[0].upper() + p[1:]) for p in problems)
        if question is not None:
            themes = item.get("themes")
            themes = [themes] if isinstance(themes, str) else themes if isinstance(themes, list) else []
            bank.questions.append(dataclasses.replace(question, themes=tuple(clean(t) for t in themes if clean(t))))
