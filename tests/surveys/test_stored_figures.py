"""The survey figures are computed once per change of the round's finished attempts, stored in the database
(so every app process reads them), and read back by the pages and exports while nothing changed."""

import json

import pytest
from sqlalchemy import func, select, update

from contest.extensions import db
from contest.surveys.figures import ALL
from contest.surveys.models import SurveyFigures
from contest.surveys.service import build_report, figures_version, item_report


@pytest.fixture
def officials(ward, make_user):
    return [make_user(role="official", unit=ward["VP"], full_name=f"Cán bộ {n:02d}") for n in range(5)]


def stored(round_):
    return db.session.scalar(select(SurveyFigures).where(SurveyFigures.round_id == round_.id))


def test_the_figures_are_stored_with_the_rounds_version(survey, officials, take_survey):
    take_survey(officials[0], survey)
    build_report(survey, None)
    row = stored(survey)
    assert row is not None and row.version == figures_version(survey)
    assert json.loads(row.payload)["bands"]


def test_the_report_pages_store_their_figures_without_reading_the_choices(survey, officials, take_survey):
    take_survey(officials[0], survey)
    build_report(survey, None)
    payload = json.loads(stored(survey).payload)
    assert payload["bands"] and payload["items"] is None


def test_the_item_analysis_is_added_to_the_stored_figures_when_first_asked_for(survey, officials, take_survey):
    take_survey(officials[0], survey)
    build_report(survey, None)
    version, before = stored(survey).version, json.loads(stored(survey).payload)
    rows = item_report(survey, None)
    after = json.loads(stored(survey).payload)
    assert rows and stored(survey).version == version
    assert {item for item, *_ in after["items"]} == {row.question_id for row in rows}
    assert (after["topics"], after["bands"], after["needs"]) == (before["topics"], before["bands"], before["needs"])


def test_pages_read_the_stored_figures_while_the_round_is_unchanged(survey, officials, take_survey, ward):
    take_survey(officials[0], survey)
    build_report(survey, None)
    # Change what is stored (not the attempts): a page that reads it shows the change.
    payload = json.loads(stored(survey).payload)
    payload["bands"] = [[ward["VP"].id, 0, 0, 0, 7]]
    db.session.execute(update(SurveyFigures).values(payload=json.dumps(payload)))
    db.session.commit()
    assert build_report(survey, None).bands[ward["VP"].id]["low"] == 7


def test_a_finished_attempt_changes_the_version_and_the_figures(survey, officials, take_survey, ward):
    take_survey(officials[0], survey)
    before = build_report(survey, None)
    version = stored(survey).version
    take_survey(officials[1], survey, right=lambda code: False)
    after = build_report(survey, None)
    assert stored(survey).version != version
    assert (before.bands[ALL]["full"], before.bands[ALL]["low"]) == (1, 0)
    assert (after.bands[ALL]["full"], after.bands[ALL]["low"]) == (1, 1)


def test_a_moved_attempt_changes_the_version(survey, officials, take_survey, ward):
    attempt = take_survey(officials[0], survey)
    version = figures_version(survey)
    attempt.unit_id = ward["VHXH"].id
    db.session.commit()
    assert figures_version(survey) != version


def test_one_row_per_round_however_often_the_figures_change(survey, officials, take_survey):
    for person in officials[:3]:
        take_survey(person, survey)
        build_report(survey, None)
    assert db.session.scalar(select(func.count()).select_from(SurveyFigures)) == 1


def test_item_analysis_comes_from_the_same_stored_figures(survey, officials, take_survey):
    take_survey(officials[0], survey)
    take_survey(officials[1], survey, right=lambda code: False)
    rows = {r.code: r for r in item_report(survey, None)}
    assert stored(survey) is not None
    assert rows["T-001"].stats.facility == pytest.approx(50.0)
    assert rows["T-001"].stats.discrimination == pytest.approx(100.0)


def test_a_unit_managers_figures_add_up_the_stored_units_of_their_scope(survey, ward, make_user, take_survey):
    take_survey(make_user(role="official", unit=ward["VP"]), survey)
    take_survey(make_user(role="official", unit=ward["THCS"]), survey, right=lambda code: False)
    build_report(survey, None)
    scoped = build_report(survey, {ward["UBND"].id, ward["VP"].id, ward["VHXH"].id})
    assert scoped.bands[ALL] == {"full": 1, "high": 0, "middle": 0, "low": 0}
    assert all(rate.value == 1.0 for rate in scoped.rates[ALL].values())


@pytest.fixture
def organiser(make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def test_the_results_list_is_shown_a_page_at_a_time(survey, officials, take_survey, organiser, client,
                                                     monkeypatch):
    monkeypatch.setattr("contest.surveys.service.RESULTS_PER_PAGE", 2)
    for person in officials:
        take_survey(person, survey)
    first = client.get(f"/admin/surveys/rounds/{survey.id}").get_data(as_text=True)
    last = client.get(f"/admin/surveys/rounds/{survey.id}?page=3").get_data(as_text=True)
    assert "Cán bộ 00" in first and "Cán bộ 02" not in first and "Trang 1/3" in first
    assert "Cán bộ 04" in last and "Cán bộ 00" not in last and "Trang 3/3" in last


def test_a_page_number_past_the_end_shows_the_last_page(survey, officials, take_survey, organiser, client,
                                                         monkeypatch):
    monkeypatch.setattr("contest.surveys.service.RESULTS_PER_PAGE", 2)
    for person in officials:
        take_survey(person, survey)
    assert "Trang 3/3" in client.get(f"/admin/surveys/rounds/{survey.id}?page=99").get_data(as_text=True)


@pytest.mark.parametrize("page", ["", "/heatmap", "/needs", "/items", "/report.xlsx"])
def test_every_report_opens_on_a_survey_nobody_has_taken(survey, officials, organiser, client, page):
    assert client.get(f"/admin/surveys/rounds/{survey.id}{page}").status_code == 200


def test_a_survey_nobody_has_taken_has_empty_figures(survey, officials):
    report = build_report(survey, None)
    assert report.bands[ALL] == {"full": 0, "high": 0, "middle": 0, "low": 0}
    assert (report.total_invited, report.total_taken, report.taken) == (5, 0, 0)
    assert report.needs == {ALL: []} and item_report(survey, None) == []
