"""BANK_CHECK_JOB_BYTES decides by size alone, without parsing, which uploads a background job checks: 2,000
questions in any format the console reads are over it (bench.console_imports --sizes prints the measurement),
and the example files organisers try first are under it."""

from pathlib import Path

import pytest

from bench.console_imports import sample_banks
from contest.config import Defaults

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def two_thousand():
    return sample_banks(2_000)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "csv", "gift", "aiken", "yaml"])
def test_two_thousand_questions_in_any_format_are_checked_by_a_job(two_thousand, fmt):
    assert len(two_thousand[fmt][0]) > Defaults.BANK_CHECK_JOB_BYTES


def test_the_example_files_are_checked_in_the_request():
    sizes = {path.name: path.stat().st_size for path in DATA.iterdir()
             if path.suffix in (".xlsx", ".docx", ".csv", ".gift", ".txt", ".yaml")}
    assert sizes and max(sizes.values()) < Defaults.BANK_CHECK_JOB_BYTES
