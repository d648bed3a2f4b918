"""Pure modules must not depend on Flask or the database (STYLE.md, rule 1)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "contest"
PURE_MODULES = [
    "vntext.py",
    "collation.py",
    "names.py",
    "contests/rules_text.py",
    "sheets.py",
    "accounts/rules.py",
    "units/parsing.py",
    "banks/parsing.py",
    "banks/formats/__init__.py",
    "banks/formats/native.py",
    "banks/formats/tabular.py",
    "banks/formats/aiken.py",
    "banks/formats/gift.py",
    "banks/formats/docx.py",
    "banks/exporting.py",
    "banks/topics.py",
    "contests/blueprints.py",
    "attempts/grading.py",
    "attempts/drawing.py",
    "ranking/standings.py",
    "ranking/prizes.py",
    "ranking/leaderboard.py",
    "exports/tables.py",
    "exports/writers.py",
    "accounts/roster.py",
    "accounts/slips.py",
    "surveys/item_analysis.py",
    "surveys/figures.py",
    "surveys/frames.py",
    "exports/registry.py",
    "reports/periods.py",
    "errors/outage.py",
    "sharing/codes.py",
    "sharing/addresses.py",
    "sharing/images.py",
    "sharing/poster.py",
    "certificates/documents.py",
]
FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "contest.extensions",
             "contest.database", "werkzeug")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_neither_flask_nor_database(module):
    bad = {name for name in imported_modules(ROOT / module) if name.split(".")[0] in FORBIDDEN
           or any(name == f or name.startswith(f + ".") for f in FORBIDDEN)}
    assert not bad, f"{module} imports {sorted(bad)}"
