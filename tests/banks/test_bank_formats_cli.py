"""The bank CLI on every format: check, import (all-or-nothing, bulk, audited), export, sync."""

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select

from contest.audit.models import AuditEntry
from contest.banks.importing import check_bank_file, import_bank
from contest.banks.models import Bank, Question
from contest.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data"


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_check_json_on_a_broken_workbook_names_excel_rows(runner):
    result = runner.invoke(args=["bank", "check", "--json", str(DATA / "bank-broken.xlsx")])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["format"] == "xlsx" and report["ok"] is False
    assert [e["row"] for e in report["errors"]] == [2, 3, 4, 5, 6, 7]


def test_check_json_on_a_good_word_file_lists_questions_with_zero_based_keys(runner):
    result = runner.invoke(args=["bank", "check", "--json", str(DATA / "word-good.docx")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["questions"][0]["correct"] == [1] and report["warnings"][0]["question"] == 5


def test_import_of_a_workbook_stores_every_question(runner):
    result = runner.invoke(args=["bank", "import", str(DATA / "bank-good.xlsx"), "--bank", "so-tay"])
    assert result.exit_code == 0, result.output
    stored = {q.code: q for q in db.session.scalars(select(Question))}
    assert stored["X-002"].correct == [0, 1, 2] and stored["X-002"].kind == "multiple"


def test_broken_file_imports_nothing(runner):
    result = runner.invoke(args=["bank", "import", str(DATA / "gift-broken.gift")])
    assert result.exit_code == 1 and "Dòng 3:" in result.output
    assert count(Question) == 0 and count(Bank) == 0 and count(AuditEntry) == 0


def test_unsupported_gift_kinds_refuse_the_file_unless_skipped(runner):
    refused = runner.invoke(args=["bank", "import", str(DATA / "gift-unsupported.gift")])
    assert refused.exit_code == 1 and count(Question) == 0
    assert "Dòng 5: Câu hỏi dạng trả lời ngắn" in refused.output
    result = runner.invoke(args=["bank", "import", "--skip-unsupported", str(DATA / "gift-unsupported.gift")])
    assert result.exit_code == 0, result.output
    # the missing-word question is multiple choice since issue 20: read, not skipped
    assert "Đã bỏ qua 5 câu hỏi" in result.output and count(Question) == 3


def test_topic_option_names_the_topic_of_an_aiken_file(runner):
    runner.invoke(args=["bank", "import", "--topic", "Cải cách hành chính", str(DATA / "aiken-good.txt")])
    assert {q.topic.name for q in db.session.scalars(select(Question))} == {"Cải cách hành chính"}


def test_import_is_recorded_in_the_audit_log(app):
    report = import_bank((DATA / "bank-good.xlsx").read_bytes(), "bank-good.xlsx")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "bank.import"))
    assert entry.target_id == str(db.session.scalar(select(Bank.id)))
    assert entry.changes["added"] == report.added == 4 and entry.changes["format"] == "xlsx"


def test_same_question_in_another_bank_is_a_warning_not_an_error(app):
    import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
    parsed = check_bank_file((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml", bank_name="khac")
    assert parsed.ok
    assert len(parsed.warnings) == 4 and "ngân hàng “ngan-hang-thu”" in parsed.warnings[0].message


def test_reimporting_the_same_bank_does_not_warn_of_itself(app):
    import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
    assert not check_bank_file((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml").warnings


def test_reimport_of_an_edited_workbook_updates_adds_and_retires(app):
    import_bank((DATA / "bank-good.xlsx").read_bytes(), "bank-good.xlsx", "so-tay")
    first = {q.code: q.id for q in db.session.scalars(select(Question))}
    report = import_bank((DATA / "bank-merged-header.xlsx").read_bytes(), "x.xlsx", "so-tay")
    assert (report.added, report.updated, report.unchanged, report.retired) == (3, 0, 0, 4)
    statuses = {q.code: (q.id, q.status) for q in db.session.scalars(select(Question))}
    assert all(statuses[code] == (qid, "retired") for code, qid in first.items())


def test_export_writes_each_format_and_records_it(runner, app):
    import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
    out = Path(app.instance_path) / "xuat"
    out.mkdir(exist_ok=True)
    for fmt, name in (("xlsx", "b.xlsx"), ("gift", "b.gift"), ("yaml", "b.yaml"), ("aiken", "b.txt")):
        result = runner.invoke(args=["bank", "export", "ngan-hang-thu", "--format", fmt, "--out", str(out / name)])
        assert result.exit_code == 0, result.output
    aiken = runner.invoke(args=["bank", "export", "ngan-hang-thu", "--format", "aiken", "--out", str(out / "c.txt")])
    assert "Lưu ý" in aiken.output and "nhiều đáp án" in aiken.output
    for name in ("b.xlsx", "b.gift", "b.yaml"):
        parsed = check_bank_file((out / name).read_bytes(), name)
        assert [(q.code, q.correct) for q in parsed.questions] == [("T-001", (1,)), ("T-002", (0, 2)),
                                                                  ("T-003", (1,)), ("T-004", (2,))]
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "bank.export")) == 5


def test_export_of_an_unknown_bank_says_so(runner):
    result = runner.invoke(args=["bank", "export", "khong-co", "--format", "gift", "--out", "/tmp/x.gift"])
    assert result.exit_code == 1 and "Không có ngân hàng" in result.output


def test_exported_workbook_imports_back_unchanged(app):
    from contest.banks.exports import export_bank

    import_bank((DATA / "gift-good.gift").read_bytes(), "gift-good.gift")
    data = export_bank("gift-good", "xlsx").data
    report = import_bank(data, "gift-good.xlsx", "gift-good")
    assert (report.added, report.updated, report.unchanged, report.retired) == (0, 0, 4, 0)


def test_sync_imports_changed_files_only(runner, app):
    folder = Path(app.instance_path) / "questions-sync"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(DATA / "bank-small.yaml", folder / "a.yaml")
    shutil.copy(DATA / "gift-good.gift", folder / "b.gift")
    first = runner.invoke(args=["bank", "sync", "--dir", str(folder)])
    assert first.exit_code == 0, first.output
    assert "a.yaml: Ngân hàng “ngan-hang-thu”: 4 câu mới" in first.output and count(Bank) == 2
    (folder / "b.gift").write_text((DATA / "gift-good.gift").read_text().replace("=Có ~Không", "~Có =Không"))
    second = runner.invoke(args=["bank", "sync", "--dir", str(folder)])
    assert "a.yaml: không đổi." in second.output and "1 câu cập nhật" in second.output


def test_sync_reports_a_broken_file_and_keeps_the_others(runner, app):
    folder = Path(app.instance_path) / "questions-sync-broken"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(DATA / "bank-small.yaml", folder / "a.yaml")
    shutil.copy(DATA / "aiken-broken.txt", folder / "b.txt")
    result = runner.invoke(args=["bank", "sync", "--dir", str(folder)])
    assert result.exit_code == 1 and "b.txt: không nhập được" in result.output
    assert count(Bank) == 1 and count(Question) == 4
