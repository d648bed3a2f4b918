"""Bank file formats: each is a pure parser from bytes to a :class:`~contest.banks.parsing.ParsedBank`.

A new format plugs in by adding its parser to :data:`PARSERS` under the file endings it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from contest.banks.formats.native import parse_json, parse_yaml
from contest.banks.parsing import BankProblem, ParsedBank, check_duplicates

Parser = Callable[[bytes], ParsedBank]

PARSERS: dict[str, Parser] = {
    ".yaml": parse_yaml,
    ".yml": parse_yaml,
    ".json": parse_json,
}


def parse_bank_file(data: bytes, filename: str) -> ParsedBank:
    """Parse a bank file by its ending; problems in any question are collected, never raised."""
    suffix = Path(filename).suffix.lower()
    parser = PARSERS.get(suffix)
    if parser is None:
        accepted = ", ".join(sorted(PARSERS))
        bank = ParsedBank(format=suffix.lstrip(".") or "?")
        bank.errors.append(BankProblem(None, None, f"Không nhận định dạng “{suffix or filename}”. "
                                                   f"Các định dạng được nhận: {accepted}."))
        return bank
    bank = parser(data)
    check_duplicates(bank)
    if bank.ok and not bank.questions:
        bank.errors.append(BankProblem(None, None, "Tệp không có câu hỏi nào."))
    return bank
