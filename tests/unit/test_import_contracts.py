"""The layers of STYLE.md rule 1, checked on the real import graph (grimp, the graph import-linter reads).

The contracts in pyproject.toml (``make lint`` runs them with ``lint-imports``) forbid the known impure
modules; these tests add what a forbidden-list cannot say: a pure module reaches only pure ``contest``
modules, whatever their names; no module hides an import from the graph with ``import_module``; and no two
modules of ``contest`` import each other, however long the loop.
"""

from __future__ import annotations

import ast
import tomllib
from functools import cache
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = {c["id"]: c for c in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
             ["tool"]["importlinter"]["contracts"]}
PURE_LISTED = CONTRACTS["pure"]["source_modules"]
FLASK_OR_DATABASE = {"flask", "flask_limiter", "flask_login", "flask_migrate", "flask_sqlalchemy", "flask_wtf",
                     "sqlalchemy", "werkzeug", "wtforms"}


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("contest", include_external_packages=True, cache_dir=None)


@cache
def pure_modules() -> frozenset[str]:
    """The listed pure modules with the submodules of the listed packages."""
    found = set()
    for name in PURE_LISTED:
        found.add(name)
        found.update(graph().find_descendants(name))
    return frozenset(found)


def is_ancestor(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def module_path(name: str) -> Path:
    path = ROOT.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def test_every_listed_pure_module_exists():
    missing = [name for name in PURE_LISTED if name not in graph().modules]
    assert not missing, f"the pure contract names modules that do not exist: {missing}"


@pytest.mark.parametrize("module", sorted(PURE_LISTED))
def test_pure_module_reaches_only_pure_contest_modules(module):
    reached = {m for m in graph().find_upstream_modules(module) if m.startswith("contest")}
    impure = sorted(m for m in reached if m not in pure_modules() and not is_ancestor(m, module))
    assert not impure, f"{module} imports (maybe through others) the impure {impure}"


@pytest.mark.parametrize("module", sorted(PURE_LISTED))
def test_pure_module_reaches_neither_flask_nor_the_database(module):
    reached = {m.split(".")[0] for m in graph().find_upstream_modules(module)}
    assert not reached & FLASK_OR_DATABASE, f"{module} reaches {sorted(reached & FLASK_OR_DATABASE)}"


def test_no_contest_module_imports_by_name_at_run_time():
    """``import_module(...)`` or ``__import__`` hides an import from the contracts: none in contest/."""
    hidden = []
    for path in sorted((ROOT / "contest").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("import_module", "__import__"):
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not hidden, f"imports by name at run time: {hidden}"


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """The loops of a directed graph (Tarjan), each as its sorted members; single modules are not loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(start: str) -> None:
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(edges[succ]))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    if len(members) > 1:
                        loops.append(sorted(members))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return loops


def test_strongly_connected_finds_a_loop_of_three():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_contest():
    """No loop of imports between modules, counting imports inside functions too.

    A view module importing ``bp`` from its own package, whose ``__init__`` defines it before importing the
    views, is the one allowed shape (microblog's): Python runs a package before any of its submodules, so that
    edge is not counted.
    """
    modules = {m for m in graph().modules if m.startswith("contest")}
    edges = {m: {i for i in graph().find_modules_directly_imported_by(m)
                 if i in modules and not is_ancestor(i, m)} for m in modules}
    assert strongly_connected(edges) == []
