"""The default bank is balanced by construction: it passes its own lint and meets its coverage targets."""

from pathlib import Path

import pytest

from contest.banks.coverage import GENERAL_MAX_SHARE, MIN_PER_THEME, PLAN_THEMES, bank_coverage
from contest.banks.formats import parse_bank_file
from contest.banks.lint import lint_questions

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


@pytest.fixture(scope="module")
def default_bank():
    path = QUESTIONS / "cchc-mac-dinh.yaml"
    bank = parse_bank_file(path.read_bytes(), path.name)
    assert bank.ok, bank.errors
    return bank


@pytest.mark.parametrize("path", sorted(QUESTIONS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_bank_has_no_lint_finding(path):
    bank = parse_bank_file(path.read_bytes(), path.name)
    assert [str(f) for f in lint_questions(bank.questions).findings] == []


def test_default_bank_meets_every_coverage_target(default_bank):
    assert bank_coverage(default_bank.questions).shortfalls() == []


def test_default_bank_covers_each_plan_theme_at_least_five_times(default_bank):
    coverage = bank_coverage(default_bank.questions)
    assert {code: coverage.themes.get(code, 0) for code in PLAN_THEMES if coverage.themes.get(code, 0) < MIN_PER_THEME} == {}


def test_default_bank_keeps_civics_and_history_to_a_tenth(default_bank):
    coverage = bank_coverage(default_bank.questions)
    assert coverage.general / coverage.total <= GENERAL_MAX_SHARE


def test_every_default_question_cites_its_source(default_bank):
    assert [q.code for q in default_bank.questions if not q.source] == []
