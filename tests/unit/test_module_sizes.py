"""No module in contest/ over ~300 lines without saying why in its docstring (STYLE.md: split by job)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 320
MARK = "Why this module is long:"


def test_every_long_module_says_why_in_its_docstring():
    silent = []
    for path in sorted((ROOT / "contest").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LIMIT:
            continue
        if MARK not in (ast.get_docstring(ast.parse(text)) or ""):
            silent.append(f"{name} ({text.count(chr(10))} lines)")
    assert not silent, f"long modules that do not say why: {silent}"
