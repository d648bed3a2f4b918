"""A city survey taken by the officials of three wards (issue 19): the reports roll up by ward, the per-ward
figures equal those computed from the raw export filtered by ward, and a ward organiser sees their ward's
slice only (the same figures as the city's row for that ward)."""

import io
import re
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from contest.attempts.finishing import finish_attempt
from contest.attempts.models import Attempt, AttemptQuestion
from contest.attempts.starting import start_attempt
from contest.banks.models import Question
from contest.exports.registry import ExportParams
from contest.exports.service import run_export
from contest.extensions import db
from contest.surveys.figures import ALL
from contest.surveys.service import build_report
from contest.units.service import visible_unit_ids

OPEN = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
THE_CHE = {"T-001", "T-002"}
# (ward code, office code, official, which questions they answer right; None: has not taken it yet)
OFFICIALS = [
    ("TAYMO", "TAYMO-VP", "An", "all"), ("TAYMO", "TAYMO-VP", "Bình", "the-che"),
    ("TAYMO", "TAYMO-VHXH", "Châu", "none"), ("TAYMO", "TAYMO-VHXH", "Dũng", None),
    ("DAIMO", "DAIMO-VP", "Giang", "the-che"), ("DAIMO", "DAIMO-VP", "Hà", "the-che"),
    ("DAIMO", "DAIMO-VHXH", "Khánh", "all"),
    ("MEDINH", "MEDINH-VP", "Lan", "none"), ("MEDINH", "MEDINH-VHXH", "Minh", "all"),
    ("MEDINH", "MEDINH-VHXH", "Nam", None), ("MEDINH", "MEDINH-VHXH", "Oanh", "the-che"),
]
RIGHT = {"all": lambda code: True, "none": lambda code: False, "the-che": lambda code: code in THE_CHE}


@pytest.fixture
def city(make_unit):
    """The city, three wards, and two offices in each ward."""
    hanoi = make_unit("HN", "Thành phố Hà Nội", kind="city", headcount=None)
    units = {"HN": hanoi}
    for code, name in (("TAYMO", "Phường Tây Mỗ"), ("DAIMO", "Phường Đại Mỗ"), ("MEDINH", "Phường Mễ Trì")):
        units[code] = make_unit(code, name, kind="ward", parent=hanoi)
        units[f"{code}-VP"] = make_unit(f"{code}-VP", f"Văn phòng HĐND và UBND {name}", kind="office",
                                        parent=units[code])
        units[f"{code}-VHXH"] = make_unit(f"{code}-VHXH", f"Phòng Văn hóa – Xã hội {name}", kind="office",
                                          parent=units[code])
    return units


@pytest.fixture
def survey(city, make_round, frozen_clock):
    """The city's survey for officials, open now, with the attempts of every official who took it."""
    frozen_clock(OPEN)
    round_ = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    round_.contest.owner_unit_id = city["HN"].id
    db.session.commit()
    return round_


@pytest.fixture
def officials(city, survey, make_user):
    """Every official of OFFICIALS, those with a pattern having finished the survey."""
    codes = dict(db.session.execute(select(Question.id, Question.code)).all())
    people = {}
    for _, office, name, pattern in OFFICIALS:
        person = people[name] = make_user(role="official", unit=city[office], full_name=name)
        if pattern is None:
            continue
        attempt = start_attempt(person, survey)
        for q in db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)):
            right = RIGHT[pattern](codes[q.question_id])
            q.selected = list(q.correct) if right else [next(i for i in range(q.option_count) if i not in q.correct)]
        db.session.commit()
        finish_attempt(attempt)
    return people


@pytest.fixture
def ward_organiser(city, make_user):
    return make_user(role="organiser", login="btc-taymo", managed_unit=city["TAYMO"])


def _raw_export(survey) -> list[dict]:
    """The raw attempts export (kind "attempts") of the round, as one dict per row keyed by its headers."""
    out = io.BytesIO()
    run_export("attempts", ExportParams(round=survey), None, "xlsx", out)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0).to_python()
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Mã bài thi")
    header = rows[start]
    return [dict(zip(header, row, strict=False)) for row in rows[start + 1:] if row and row[0] != ""]


def _ward_figures(survey) -> dict[str, dict]:
    """Per ward, from the raw export alone (plus which topic each question position of an attempt had, which
    the export does not carry): who took it, the mean score, and the correct-answer rate per topic."""
    ward_of_office = {office: ward for ward, office, _, _ in OFFICIALS}
    topic_at = {(a, p): t for a, p, t in db.session.execute(
        select(AttemptQuestion.attempt_id, AttemptQuestion.position, AttemptQuestion.topic_id))}
    figures: dict[str, dict] = defaultdict(lambda: {"taken": 0, "scores": [], "right": defaultdict(int),
                                                    "asked": defaultdict(int)})
    for row in _raw_export(survey):
        if row["Trạng thái"] != "Đã nộp bài":
            continue
        ward = figures[ward_of_office[row["Mã đơn vị"]]]
        ward["taken"] += 1
        ward["scores"].append(float(row["Điểm"]))
        for key, cell in row.items():
            if str(key).startswith("Câu ") and cell:
                topic = topic_at[(int(row["Mã bài thi"]), int(key.split()[1]))]
                ward["asked"][topic] += 1
                ward["right"][topic] += 1 if cell.endswith("(đúng)") else 0
    return figures


def test_participation_per_ward_equals_the_raw_export_filtered_by_ward(survey, officials, city):
    report = build_report(survey, None)
    expected = _ward_figures(survey)
    invited = defaultdict(int)
    for ward, _, _, _ in OFFICIALS:
        invited[ward] += 1
    lines = {p.unit.code: (p.invited, p.taken) for p in report.ward_participation}
    assert lines == {code: (invited[code], expected[code]["taken"]) for code in ("TAYMO", "DAIMO", "MEDINH")}


def test_mean_score_per_ward_equals_the_raw_export_filtered_by_ward(survey, officials, city):
    report = build_report(survey, None)
    expected = _ward_figures(survey)
    for code in ("TAYMO", "DAIMO", "MEDINH"):
        scores = expected[code]["scores"]
        assert report.ward_means[city[code].id] == pytest.approx(sum(scores) / len(scores))


def test_topic_rates_per_ward_equal_the_raw_export_filtered_by_ward(survey, officials, city):
    report = build_report(survey, None)
    expected = _ward_figures(survey)
    for code in ("TAYMO", "DAIMO", "MEDINH"):
        rates = {topic: rate.value for topic, rate in report.ward_rates[city[code].id].items()}
        ward = expected[code]
        assert rates == pytest.approx({topic: ward["right"][topic] / ward["asked"][topic] for topic in ward["asked"]})


def test_the_city_report_groups_units_by_ward(survey, officials, city):
    report = build_report(survey, None)
    assert report.by_ward and [w.code for w in report.wards] == ["DAIMO", "MEDINH", "TAYMO"]
    assert [[u.code for u in units] for _, units in report.unit_groups][2] == ["TAYMO-VHXH", "TAYMO-VP"]


def test_a_ward_organisers_report_equals_the_city_reports_row_for_that_ward(survey, officials, city,
                                                                           ward_organiser):
    city_report = build_report(survey, None)
    ward_report = build_report(survey, visible_unit_ids(ward_organiser))
    taymo = city["TAYMO"].id
    [line] = [p for p in city_report.ward_participation if p.unit.id == taymo]
    assert (ward_report.total_invited, ward_report.total_taken) == (line.invited, line.taken)
    assert ward_report.rates[ALL] == city_report.ward_rates[taymo]
    assert ward_report.bands[ALL] == city_report.ward_bands[taymo]
    assert ward_report.means[ALL] == pytest.approx(city_report.ward_means[taymo])
    # The needs name the same topics at the same rates (each compared with its own whole row).
    assert {(n.topic_id, n.rate) for n in ward_report.needs[ALL]} == {
        (n.topic_id, n.rate) for n in city_report.ward_needs[taymo]}


def test_a_ward_organiser_sees_only_their_wards_offices_in_the_city_survey(survey, officials, ward_organiser,
                                                                          client, login):
    login("btc-taymo")
    html = client.get(f"/admin/surveys/rounds/{survey.id}").get_data(as_text=True)
    assert "TAYMO-VP" in html and "DAIMO-VP" not in html and "Giang" not in html
    assert "Phường Tây Mỗ: 3/4 người đã làm bài" in html


def test_the_city_organiser_sees_the_ward_level_on_every_report_page(survey, officials, make_user, client, login):
    make_user(role="organiser", login="btc-thanh-pho")
    login("btc-thanh-pho")
    pages = [client.get(f"/admin/surveys/rounds/{survey.id}{tail}").get_data(as_text=True)
             for tail in ("", "/heatmap", "/needs")]
    assert all("Theo phường" in html and "Phường Mễ Trì" in html for html in pages)
    assert 'id="participation-wards"' in pages[0] and 'id="heatmap-wards"' in pages[1]


def test_a_ward_organisers_workbook_holds_only_their_ward(survey, officials, ward_organiser, client, login):
    login("btc-taymo")
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(f"/admin/surveys/rounds/{survey.id}/report.xlsx")
                                                     .data))
    assert "Theo phường" not in book.sheet_names
    participation = book.get_sheet_by_name("Tham gia").to_python()
    codes = {row[0] for row in participation if str(row[0]).endswith(("-VP", "-VHXH"))}
    assert codes == {"TAYMO-VP", "TAYMO-VHXH"}
    results = book.get_sheet_by_name("Kết quả").to_python()
    assert {row[2] for row in results} >= {"An", "Bình", "Châu"} and "Giang" not in {row[2] for row in results}


def test_the_city_workbook_has_a_ward_sheet_matching_the_report(survey, officials, make_user, client, login, city):
    make_user(role="organiser", login="btc-thanh-pho")
    login("btc-thanh-pho")
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(f"/admin/surveys/rounds/{survey.id}/report.xlsx")
                                                     .data))
    rows = {row[0]: row for row in book.get_sheet_by_name("Theo phường").to_python() if row[0] in city}
    report = build_report(survey, None)
    assert {code: (row[2], row[3]) for code, row in rows.items()} == {
        p.unit.code: (p.invited, p.taken) for p in report.ward_participation}


def test_a_ward_organiser_sees_the_items_of_their_ward_only(survey, officials, ward_organiser, client, login):
    login("btc-taymo")
    html = client.get(f"/admin/surveys/rounds/{survey.id}/items").get_data(as_text=True)
    # Tây Mỗ has three finished attempts of the city's eight: each question was answered by three people.
    assert re.findall(r'<td class="num">(\d+)</td>', html)[:1] == ["3"]


def test_another_wards_survey_is_404_to_a_ward_organiser(survey, officials, city, ward_organiser, client, login):
    survey.contest.owner_unit_id = city["DAIMO"].id
    db.session.commit()
    login("btc-taymo")
    assert client.get(f"/admin/surveys/rounds/{survey.id}").status_code == 404
    assert survey.contest.title not in client.get("/admin/surveys").get_data(as_text=True)


def test_the_survey_list_shows_the_city_survey_to_a_ward_organiser_as_read_only(survey, ward_organiser, client,
                                                                                login):
    login("btc-taymo")
    html = client.get("/admin/surveys").get_data(as_text=True)
    assert survey.contest.title in html and "Khảo sát của thành phố – chỉ xem" in html


def test_a_ward_organiser_cannot_open_a_result_of_another_ward(survey, officials, ward_organiser, client, login):
    attempt_id = db.session.scalar(select(Attempt.id).where(Attempt.user_id == officials["Giang"].id))
    login("btc-taymo")
    assert client.get(f"/surveys/results/{attempt_id}").status_code == 404


def test_a_ward_organiser_opens_a_result_of_their_ward(survey, officials, ward_organiser, client, login):
    attempt_id = db.session.scalar(select(Attempt.id).where(Attempt.user_id == officials["An"].id))
    login("btc-taymo")
    assert client.get(f"/surveys/results/{attempt_id}").status_code == 200
