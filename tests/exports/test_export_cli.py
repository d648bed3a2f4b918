"""``flask export``: the same exports from the command line, format from the file ending, logged as "cli"."""

import openpyxl
from sqlalchemy import select

from contest.audit.models import AuditEntry
from contest.extensions import db


def test_cli_writes_the_periodic_report_as_xlsx(runner, ward, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    result = runner.invoke(args=["export", "periodic-report", "--from", "21/10/2026", "--to", "2026-11-20",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["Theo đơn vị", "Theo đợt thi"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.actor_login == "cli" and entry.changes["to"] == "2026-11-20"


def test_cli_writes_csv_with_a_bom(runner, ward, tmp_path):
    out = tmp_path / "bai-thi.csv"
    result = runner.invoke(args=["export", "attempts", "--round", str(ward["round"].id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_refuses_an_unknown_round(runner, app, tmp_path):
    out = tmp_path / "x.xlsx"
    result = runner.invoke(args=["export", "standings", "--round", "999", "--out", str(out)])
    assert result.exit_code != 0 and "Không có đợt thi mã 999" in result.output and not out.exists()


def test_cli_refuses_a_file_that_is_neither_xlsx_nor_csv(runner, app, tmp_path):
    result = runner.invoke(args=["export", "unit-stats", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and ".xlsx" in result.output


def test_cli_refuses_a_period_that_ends_before_it_starts(runner, app, tmp_path):
    result = runner.invoke(args=["export", "periodic-report", "--from", "20/11/2026", "--to", "01/11/2026",
                                 "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code != 0 and "Ngày kết thúc phải sau" in result.output
