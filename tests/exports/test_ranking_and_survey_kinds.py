"""The ranking and survey tables, exported through the console's registry like every other kind."""

import io

import openpyxl
import pytest

from contest.exports.registry import ExportParams
from contest.exports.service import ExportDenied, run_export
from contest.extensions import db


def export_xlsx(kind, actor, **params):
    out = io.BytesIO()
    run_export(kind, ExportParams(**params), actor, "xlsx", out)
    out.seek(0)
    return openpyxl.load_workbook(out)


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", login="btc")


@pytest.fixture
def manager(make_user, ward):
    return make_user(role="unit_manager", login="kdc1", managed_unit_id=ward["area"].id)


def names_in(book, column="Họ và tên", header_row=3):
    sheet = book.active
    headers = [c.value for c in sheet[header_row]]
    return [r[headers.index(column)] for r in sheet.iter_rows(min_row=header_row + 1, values_only=True)]


def test_standings_export_lists_everyone_ranked_with_the_phone_for_organisers(ward, organiser):
    book = export_xlsx("standings", organiser, round=ward["round"])
    assert names_in(book)[0] == '=HYPERLINK("http://x.invalid","bấm")' and len(names_in(book)) == 4
    assert "Số điện thoại" in [c.value for c in book.active[3]]


def test_standings_export_for_a_unit_manager_keeps_their_units_and_drops_the_phone(ward, manager):
    book = export_xlsx("standings", manager, round=ward["round"], unit_ids={ward["area"].id})
    assert "Lê Thị Giỏi" not in names_in(book) and len(names_in(book)) == 3
    assert "Số điện thoại" not in [c.value for c in book.active[3]]


def test_winners_export_marks_an_unpublished_list_as_a_proposal(ward, organiser):
    book = export_xlsx("winners", organiser, round=ward["round"])
    assert "đề xuất, chưa công bố" in book.active["A1"].value


def test_collective_ranking_export_has_one_row_per_ranked_unit(ward, organiser):
    book = export_xlsx("collective-ranking", organiser, round=ward["round"])
    units = names_in(book, column="Đơn vị")
    assert "Tổ dân phố C" in units and book.sheetnames == ["Xếp hạng tập thể"]


def test_survey_report_export_has_the_report_sheets_without_the_item_analysis(ward, organiser):
    ward["round"].contest.kind = "survey"  # a survey report is of a survey's round (a contest's is refused)
    db.session.commit()
    book = export_xlsx("survey-report", organiser, round=ward["round"])
    assert "Tham gia" in book.sheetnames and "Phân tích câu hỏi" not in book.sheetnames


def test_item_analysis_export_is_for_organisers_only(ward, manager):
    with pytest.raises(ExportDenied):
        export_xlsx("item-analysis", manager, round=ward["round"])


def test_collective_ranking_export_for_a_unit_manager_keeps_only_their_units(ward, manager):
    book = export_xlsx("collective-ranking", manager, round=ward["round"])
    units = names_in(book, column="Đơn vị")
    assert units == ["Khu dân cư số 1"]
