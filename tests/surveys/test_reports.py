"""The survey reports: participation, unit × topic rates, bands, needs, item analysis, Excel; who sees them."""

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from contest.audit.models import AuditEntry
from contest.extensions import db
from contest.surveys.figures import ALL
from contest.surveys.service import build_report, item_report

THE_CHE = {"T-001", "T-002"}  # topic "Cải cách thể chế"; T-003 and T-004 are "Cải cách thủ tục hành chính"


@pytest.fixture
def results(survey, ward, make_user, take_survey):
    """VP: An all right, Bình right in thể chế only; VHXH: Châu all wrong, Dũng not yet; THCS: Em all right."""
    people = {name: make_user(role="official", unit=ward[unit], full_name=name)
              for name, unit in (("An", "VP"), ("Bình", "VP"), ("Châu", "VHXH"), ("Dũng", "VHXH"), ("Em", "THCS"))}
    take_survey(people["An"], survey)
    take_survey(people["Bình"], survey, right=lambda code: code in THE_CHE)
    take_survey(people["Châu"], survey, right=lambda code: False)
    take_survey(people["Em"], survey)
    return people


def topic_id(report, name):
    return next(t.id for t in report.topics if t.name == name)


def test_participation_counts_invited_taken_and_names_those_not_yet_taken(survey, results, ward):
    report = build_report(survey, None)
    lines = {p.unit.code: (p.invited, p.taken, [u.full_name for u in p.pending]) for p in report.participation}
    assert lines == {"VP": (2, 2, []), "VHXH": (2, 1, ["Dũng"]), "THCS": (1, 1, [])}
    assert (report.total_invited, report.total_taken) == (5, 4)


def test_unit_by_topic_rates_with_the_ward_wide_row(survey, results, ward):
    report = build_report(survey, None)
    the_che, tthc = topic_id(report, "Cải cách thể chế"), topic_id(report, "Cải cách thủ tục hành chính")
    vp = report.rates[ward["VP"].id]
    assert (vp[the_che].value, vp[tthc].value) == (1.0, 0.5)
    assert report.rates[ward["VHXH"].id][the_che].value == 0.0
    assert report.rates[ALL][the_che].value == pytest.approx(0.75)
    assert report.rates[ALL][tthc].value == pytest.approx(0.5)


def test_score_bands_per_unit(survey, results, ward):
    report = build_report(survey, None)
    assert report.bands[ward["VP"].id] == {"full": 1, "high": 0, "middle": 1, "low": 0}
    assert report.bands[ward["VHXH"].id]["low"] == 1
    assert report.bands[ALL] == {"full": 2, "high": 0, "middle": 1, "low": 1}


def test_training_needs_name_the_units_weakest_topic(survey, results, ward):
    report = build_report(survey, None)
    [need] = report.needs[ward["VP"].id]
    assert need.topic_id == topic_id(report, "Cải cách thủ tục hành chính") and need.rate == 0.5
    assert report.needs[ward["THCS"].id] == []


def test_item_analysis_over_the_finished_attempts(survey, results):
    rows = {r.code: r for r in item_report(survey, None)}
    # T-001: right for An, Bình, Em; wrong for Châu → facility 75%
    assert rows["T-001"].stats.respondents == 4
    assert rows["T-001"].stats.facility == pytest.approx(75.0)
    assert rows["T-001"].options == ["Phương án một", "Phương án hai", "Phương án ba", "Phương án bốn"]
    assert rows["T-001"].correct == {"Phương án hai"}
    assert rows["T-001"].stats.option_shares["Phương án hai"] == pytest.approx(0.75)
    assert rows["T-001"].stats.discrimination > 0


def test_a_unit_manager_sees_only_their_subtree(survey, results, ward):
    report = build_report(survey, {ward["UBND"].id, ward["VP"].id, ward["VHXH"].id})
    assert [p.unit.code for p in report.participation] == ["VHXH", "VP"]
    assert report.total_taken == 2 + 1
    assert ward["THCS"].id not in report.rates
    assert report.whole_label == "Các đơn vị bạn phụ trách"


@pytest.fixture
def organiser(make_user, client, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def test_the_report_page_lists_who_has_not_taken_it_with_charts(survey, results, organiser, client):
    page = client.get(f"/admin/surveys/rounds/{survey.id}").get_data(as_text=True)
    assert "4/5 người đã làm bài" in page and "Dũng" in page
    assert "vendor/chartjs/chart.umd.min.js" in page and 'id="participation-chart"' in page


def test_the_heat_map_page_colours_each_cell_and_has_the_ward_row(survey, results, organiser, client):
    page = client.get(f"/admin/surveys/rounds/{survey.id}/heatmap").get_data(as_text=True)
    assert "Toàn phường" in page and "hsl(60, 70%, 82%)" in page and "75%" in page


def test_the_items_page_and_the_needs_page_open(survey, results, organiser, client):
    assert "T-001" in client.get(f"/admin/surveys/rounds/{survey.id}/items").get_data(as_text=True)
    needs = client.get(f"/admin/surveys/rounds/{survey.id}/needs").get_data(as_text=True)
    assert "Bồi dưỡng về “Cải cách thủ tục hành chính”" in needs


def test_the_excel_report_has_every_sheet_and_is_logged(survey, results, organiser, client):
    response = client.get(f"/admin/surveys/rounds/{survey.id}/report.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert book.sheet_names == ["Tham gia", "Tỉ lệ đúng theo chủ đề", "Phân loại điểm", "Nhu cầu bồi dưỡng",
                                "Kết quả", "Phân tích câu hỏi"]
    participation = book.get_sheet_by_name("Tham gia").to_python()
    assert any(row[1] == "Phòng Văn hóa – Xã hội" and row[6] == "Dũng" for row in participation)
    assert db.session.scalar(select(AuditEntry.summary).where(AuditEntry.action == "export")) is not None


def test_the_console_workbook_is_the_survey_report_export_kind(survey, results, organiser, client):
    assert client.get(f"/admin/surveys/rounds/{survey.id}/report.xlsx").status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.target_type, entry.target_id) == ("export", "survey-report")


def test_a_unit_manager_opens_the_reports_of_their_units_only(survey, results, ward, client, login, make_user):
    login(make_user(role="unit_manager", login="ql", managed_unit_id=ward["UBND"].id).login)
    page = client.get(f"/admin/surveys/rounds/{survey.id}").get_data(as_text=True)
    assert "Dũng" in page and "Trường THCS" not in page and "Em" not in page
    assert "Các đơn vị bạn phụ trách: 3/4" in page
    assert client.get("/admin/").status_code == 403


@pytest.mark.parametrize("role", ["resident", "official"])
def test_residents_and_officials_cannot_open_the_reports(survey, results, client, login, make_user, role):
    login(make_user(role=role).phone)
    assert client.get(f"/admin/surveys/rounds/{survey.id}").status_code == 403
    assert client.get(f"/admin/surveys/rounds/{survey.id}/report.xlsx").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in_for_the_reports(survey, client):
    response = client.get(f"/admin/surveys/rounds/{survey.id}/heatmap")
    assert response.status_code == 302 and "/login" in response.location


def test_a_contest_round_has_no_survey_report(make_round, organiser, client):
    round_ = make_round()
    assert client.get(f"/admin/surveys/rounds/{round_.id}").status_code == 404


def test_a_unit_manager_gets_no_item_analysis_since_it_shows_the_keys(survey, results, ward, client, login,
                                                                        make_user):
    login(make_user(role="unit_manager", login="ql", managed_unit_id=ward["UBND"].id).login)
    assert client.get(f"/admin/surveys/rounds/{survey.id}/items").status_code == 403
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(f"/admin/surveys/rounds/{survey.id}/report.xlsx").data))
    assert "Phân tích câu hỏi" not in book.sheet_names
