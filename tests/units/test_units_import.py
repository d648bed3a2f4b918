"""Importing units from files, through the service and the CLI."""

from pathlib import Path

from sqlalchemy import func, select

from contest.extensions import db
from contest.units.models import Unit
from contest.units.service import import_units

DATA = Path(__file__).resolve().parents[1] / "data"


def unit_count() -> int:
    return db.session.scalar(select(func.count(Unit.id)))


def test_cli_imports_a_good_file_with_parents(runner):
    result = runner.invoke(args=["units", "import", str(DATA / "units-good.csv")])
    assert result.exit_code == 0, result.output
    assert "4 đơn vị mới" in result.output
    vp = db.session.scalar(select(Unit).where(Unit.code == "VP"))
    assert vp.parent.code == "UBND" and vp.kind == "office"


def test_cli_reports_every_problem_and_imports_nothing(runner):
    result = runner.invoke(args=["units", "import", str(DATA / "units-broken.csv")])
    assert result.exit_code == 1
    for row in (2, 3, 4, 5, 6):
        assert f"Dòng {row}:" in result.output
    assert "KHONG-CO" in result.output
    assert unit_count() == 0


def test_reimport_updates_units_by_code_without_duplicating(app):
    data = (DATA / "units-good.csv").read_bytes()
    import_units(data, "units-good.csv")
    report = import_units(data.replace(b"1.036", b"1.100"), "units-good.csv")
    assert (report.created, report.updated) == (0, 4)
    assert unit_count() == 4
    assert db.session.scalar(select(Unit.headcount).where(Unit.code == "TDP-01")) == 1100


def test_parent_may_be_a_unit_already_in_the_database(app):
    import_units(b"Ma don vi,Ten don vi\nUBND,UBND phuong\n", "a.csv")
    report = import_units(b"Ma don vi,Ten don vi,Don vi cap tren\nVP,Van phong,UBND\n", "b.csv")
    assert report.ok
    assert db.session.scalar(select(Unit).where(Unit.code == "VP")).parent.code == "UBND"


def test_cycle_of_parents_is_refused(app):
    report = import_units(b"Ma don vi,Ten don vi,Don vi cap tren\nA,Don vi A,B\nB,Don vi B,A\n", "c.csv")
    assert not report.ok and {p.row for p in report.problems} == {2, 3}
    assert unit_count() == 0


def test_xlsx_file_is_imported(app, tmp_path):
    import xlsxwriter

    path = tmp_path / "don-vi.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Mã đơn vị", "Tên đơn vị", "Loại", "Số người"])
    sheet.write_row(1, 0, ["TDP-01", "Tổ dân phố số 1", "Tổ dân phố", 812])
    book.close()
    assert import_units(path.read_bytes(), path.name).created == 1


def test_not_a_spreadsheet_is_reported(app):
    report = import_units(b"%PDF-1.4", "don-vi.pdf")
    assert not report.ok and "Excel" in report.problems[0].message
