"""Bank file formats: each is a pure parser from bytes to a :class:`~contest.banks.parsing.ParsedBank`.

A new format plugs in by adding its parser to :data:`PARSERS` under the file endings it reads. Every parser
takes ``(data, options)`` and reports problems in the bank it returns; none raises for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from contest.banks.formats.aiken import parse_aiken
from contest.banks.formats.docx import parse_docx
from contest.banks.formats.gift import parse_gift
from contest.banks.formats.native import parse_json, parse_yaml
from contest.banks.formats.tabular import parse_csv, parse_xlsx
from contest.banks.parsing import BankProblem, ParsedBank, ParseOptions, check_duplicates
from contest.sheets import limits
from contest.vntext import clean

Parser = Callable[[bytes, ParseOptions], ParsedBank]

PARSERS: dict[str, Parser] = {
    ".yaml": parse_yaml,
    ".yml": parse_yaml,
    ".json": parse_json,
    ".xlsx": parse_xlsx,
    ".xlsm": parse_xlsx,
    ".csv": parse_csv,
    ".gift": parse_gift,
    ".txt": parse_aiken,
    ".aiken": parse_aiken,
    ".docx": parse_docx,
}
# What the organiser page and the CLI say they accept.
FORMAT_NAMES = {
    "xlsx": "Excel (.xlsx)", "csv": "CSV (.csv)", "aiken": "Aiken (.txt)", "gift": "GIFT (.gift, .txt)",
    "docx": "Word (.docx)", "yaml": "YAML (.yaml)", "json": "JSON (.json)",
}
# A .txt file is GIFT when it uses GIFT's braces or category lines, else Aiken.
_GIFT_HINT = re.compile(r"^\s*(\$CATEGORY:|::)|\{\s*(?:[=~#}]|T\b|F\b|TRUE\b|FALSE\b)", re.MULTILINE)


def default_topic(filename: str) -> str:
    """The topic for questions whose file names none: the file's name, made readable."""
    stem = clean(re.sub(r"[_\-]+", " ", Path(filename).stem))
    return (stem[:1].upper() + stem[1:]) if stem else "Chung"


def parse_bank_file(data: bytes, filename: str, *, skip_unsupported: bool = False,
                    topic: str | None = None) -> ParsedBank:
    """Parse a bank file by its ending; problems in any question are collected, never raised."""
    suffix = Path(filename).suffix.lower()
    parser = PARSERS.get(suffix)
    if parser is None:
        accepted = ", ".join(sorted(PARSERS))
        bank = ParsedBank(format=suffix.lstrip(".") or "?")
        bank.errors.append(BankProblem(None, None, f"Không nhận định dạng “{suffix or filename}”. "
                                                   f"Các định dạng được nhận: {accepted}."))
        return bank
    if suffix == ".txt" and _GIFT_HINT.search(data[:20000].decode("utf-8", "replace")):
        parser = parse_gift
    options = ParseOptions(default_topic=clean(topic) or default_topic(filename), skip_unsupported=skip_unsupported,
                           topic_chosen=bool(clean(topic)))
    bank = parser(data, options)
    if len(bank.questions) > limits().max_rows:
        bank.errors.append(BankProblem(None, None, f"Tệp có {len(bank.questions)} câu hỏi, vượt giới hạn "
                                                   f"{limits().max_rows} câu của một lần nhập. Hãy chia thành nhiều tệp."))
        bank.questions.clear()
    check_duplicates(bank)
    if bank.ok and not bank.questions:
        bank.errors.append(BankProblem(None, None, "Tệp không có câu hỏi nào."))
    return bank
