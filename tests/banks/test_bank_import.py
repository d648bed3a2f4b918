"""Importing a native YAML bank: all-or-nothing, stable identities, retirement."""

import json
from pathlib import Path

from sqlalchemy import func, select

from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question, Topic
from contest.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = (DATA / "bank-small.yaml").read_bytes()


def questions() -> dict[str, Question]:
    return {q.code: q for q in db.session.scalars(select(Question))}


def test_cli_imports_a_good_yaml_bank(runner):
    result = runner.invoke(args=["bank", "import", str(DATA / "bank-small.yaml")])
    assert result.exit_code == 0, result.output
    assert "4 câu mới" in result.output
    stored = questions()
    assert stored["T-002"].correct == [0, 2] and stored["T-002"].kind == "multiple"
    assert db.session.scalar(select(func.count(Topic.id))) == 2


def test_cli_refuses_a_broken_bank_and_imports_nothing(runner):
    result = runner.invoke(args=["bank", "import", str(DATA / "bank-broken.yaml")])
    assert result.exit_code == 1
    for line in (3, 8, 13, 17, 22):
        assert f"Dòng {line}:" in result.output
    assert db.session.scalar(select(func.count(Question.id))) == 0
    assert db.session.scalar(select(func.count(Bank.id))) == 0


def test_check_json_prints_one_object_and_exits_by_result(runner):
    good = runner.invoke(args=["bank", "check", "--json", str(DATA / "bank-small.yaml")])
    assert good.exit_code == 0
    assert json.loads(good.output)["ok"] is True
    bad = runner.invoke(args=["bank", "check", "--json", str(DATA / "bank-broken.yaml")])
    assert bad.exit_code == 1
    report = json.loads(bad.output)
    assert report["ok"] is False and {"line": 8, "message": report["errors"][1]["message"]} in report["errors"]


def test_reimport_keeps_identities_updates_changes_and_retires_dropped_questions(app):
    import_bank(SMALL, "bank-small.yaml")
    before = questions()
    changed = SMALL.replace(b"answer: B", b"answer: C")
    dropped = changed[:changed.index(b"  - id: T-004")]
    report = import_bank(dropped, "bank-small.yaml")
    assert (report.added, report.updated, report.unchanged, report.retired) == (0, 1, 2, 1)
    after = questions()
    assert {c: q.id for c, q in after.items()} == {c: q.id for c, q in before.items()}
    assert after["T-001"].correct == [2]
    assert after["T-004"].status == "retired"


def test_retired_question_comes_back_when_the_file_has_it_again(app):
    import_bank(SMALL, "bank-small.yaml")
    import_bank(SMALL[:SMALL.index(b"  - id: T-004")], "bank-small.yaml")
    report = import_bank(SMALL, "bank-small.yaml")
    assert report.updated == 1 and questions()["T-004"].status == "active"


def test_bank_name_can_be_given_on_import(runner):
    result = runner.invoke(args=["bank", "import", "--bank", "dot-1", str(DATA / "bank-small.yaml")])
    assert result.exit_code == 0
    assert db.session.scalar(select(Bank.name)) == "dot-1"


def test_same_code_in_two_banks_is_two_questions(app):
    import_bank(SMALL, "a.yaml", "bank-a")
    import_bank(SMALL, "b.yaml", "bank-b")
    assert db.session.scalar(select(func.count(Question.id))) == 8


def test_default_bank_in_questions_folder_imports_cleanly(app):
    root = Path(__file__).resolve().parents[2] / "questions"
    files = sorted(root.glob("*.yaml"))
    assert files, "the default bank must ship in questions/"
    for path in files:
        report = import_bank(path.read_bytes(), path.name)
        assert report.ok, [str(e) for e in report.errors]
    assert db.session.scalar(select(func.count(Question.id))) >= 120
