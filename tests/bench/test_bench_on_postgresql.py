"""`make bench` with BENCH_DATABASE_URL: the scenarios' data and baselines on PostgreSQL (issue 14).

Tiny runs of the scenarios that used to ignore BENCH_DATABASE_URL (each in a process of its own, as `make bench`
runs them), on the test database when TEST_DATABASE_URL names PostgreSQL; skipped otherwise. Nothing here is
timed: the figures are only checked to exist and to come from PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(not URL.startswith("postgres"), reason="TEST_DATABASE_URL is not PostgreSQL")


def sql(*statements: str) -> list:
    """Run ``statements`` on the test database (autocommit); the rows of the last one."""
    import psycopg

    with psycopg.connect(URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        for statement in statements:
            cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def bench_schemas():
    """Drop the given schemas before and after the test (the benchmarks keep theirs between runs)."""
    names: list[str] = []

    def drop(*schemas: str) -> None:
        names.extend(schemas)
        sql(*(f"DROP SCHEMA IF EXISTS {name} CASCADE" for name in schemas))

    yield drop
    sql(*(f"DROP SCHEMA IF EXISTS {name} CASCADE" for name in names))


def bench(*args: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "BENCH_DATABASE_URL": URL}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True,
                          timeout=600, check=False)


def test_bank_import_imports_into_a_postgresql_schema_of_its_own(bench_schemas):
    bench_schemas("bench_bank_import")

    run = bench("-m", "bench.bank_import", "--questions", "20")

    assert "Bank import of 20 questions on postgresql" in run.stdout, run.stdout + run.stderr
    assert sql("SELECT count(*) FROM bench_bank_import.questions") == [(20,)]


def test_rankings_dataset_and_recompute_baseline_are_postgresql(bench_schemas):
    bench_schemas("bench_rankings_60", "bench_rankings_60_building")
    script = ("import json\n"
              "from bench.rankings import build, dataset_url, measure_queries, refit\n"
              "url = dataset_url('rankings-60.sqlite3', '60 attempts', lambda partial: build(partial, 60))\n"
              "refit(url)\n"
              "print('BENCH_TEST ' + json.dumps(measure_queries(url, 5)))\n")

    run = bench("-c", script)

    line = next((x for x in run.stdout.splitlines() if x.startswith("BENCH_TEST ")), None)
    assert line is not None, run.stdout + run.stderr
    recompute = json.loads(line[len("BENCH_TEST "):])["recompute"]
    assert recompute["database"] == "postgresql" and recompute["baseline_median_ms"] > 0
    assert sql("SELECT count(*) FROM bench_rankings_60.round_results")[0][0] > 0


def test_a_copied_dataset_numbers_new_rows_after_the_copied_ones(bench_schemas):
    bench_schemas("bench_copy_test", "bench_copy_test_building", "bench_copy_test_copy")
    script = ("from flask_migrate import upgrade\n"
              "from bench.serve import app_on, cached_schema, copy_schema, url_schema\n"
              "from contest.extensions import db\n"
              "from contest.units.models import Unit\n"
              "def build(url):\n"
              "    with app_on(url).app_context():\n"
              "        upgrade()\n"
              "        db.session.add_all([Unit(code='A', name='A'), Unit(code='B', name='B')])\n"
              "        db.session.commit()\n"
              "        db.engine.dispose()\n"
              "copy = copy_schema(url_schema(cached_schema('copy-test', 'two units', build)), 'bench_copy_test_copy')\n"
              "with app_on(copy).app_context():\n"
              "    db.session.add(Unit(code='C', name='C'))\n"
              "    db.session.commit()\n")

    run = bench("-c", script)

    assert run.returncode == 0, run.stdout + run.stderr
    copied = sql("SELECT code FROM bench_copy_test_copy.units ORDER BY id")
    assert [code for (code,) in copied][-3:] == ["A", "B", "C"]
