"""The console's scope, route × role × ward: every console rule read from the URL map (so routes added later
are covered too) against two wards A and B under one city, each with its contest, survey, unit, people, bank,
attempt and export job.

Ward A's organiser: B's objects → 404 (GET and POST, CSRF off as in every test), A's objects → the page.
The city's organiser (no managed unit): both wards' objects → the page. A unit manager of one of A's units: the
staff pages only (their units' figures), 403 elsewhere, as before wards.
"""

from pathlib import Path

import pytest
from sqlalchemy import select

from contest import clock
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question
from contest.exports.registry import KINDS
from contest.extensions import db
from contest.jobs.models import Job
from tests.admin.test_route_authorization import (
    NOT_FOUND_WHEN_MISSING,
    REDIRECT_WHEN_MISSING,
    STAFF_ENDPOINTS,
    console_rules,
)
from tests.exports.conftest import take  # noqa: F401  (a fixture)

BANK_FILE = Path(__file__).parent.parent / "data" / "bank-small.yaml"
# The arguments of a console rule that name one ward's object: a rule with any of them is about a ward.
WARD_ARGUMENTS = {"contest_id", "round_id", "unit_id", "user_id", "name", "question_id", "attempt_id", "job_id"}
# A job's file is made only when it runs: the job rows of the world are queued, so a download goes back.
REDIRECT_FOR_OWN_JOB = {"admin.job_download"}


def _ward_side(key, city, make_unit, make_user, make_round, take):  # noqa: F811
    """One ward with its unit, people, contest and survey (owned by the ward), bank, attempt and a job."""
    ward = make_unit(f"P-{key}", f"Phường {key}", kind="ward", headcount=None, parent=city)
    group = make_unit(f"TDP-{key}", f"Tổ dân phố {key}", parent=ward)
    resident = make_user(unit=group, full_name=f"Cư dân phường {key}")
    official = make_user(role="official", unit=group, full_name=f"Cán bộ phường {key}")
    organiser = make_user(role="organiser", login=f"btc-{key.lower()}", managed_unit_id=ward.id)
    manager = make_user(role="unit_manager", login=f"qly-{key.lower()}", managed_unit_id=group.id)
    round_ = make_round()
    survey_round = make_round(kind="survey", audience="officials", attempts_allowed=1)
    for contest in (round_.contest, survey_round.contest):
        contest.owner_unit_id = ward.id
    bank_name = f"ngan-hang-phuong-{key.lower()}"
    assert import_bank(BANK_FILE.read_bytes(), BANK_FILE.name, bank_name).ok
    bank = db.session.scalar(select(Bank).where(Bank.name == bank_name))
    bank.owner_unit_id = ward.id
    db.session.commit()
    attempt = take(resident, round_)
    job = Job(kind="export", title="Thống kê", status="queued", params={}, owner_id=organiser.id,
              created_at=clock.now())
    db.session.add(job)
    db.session.commit()
    question = db.session.scalar(select(Question).where(Question.bank_id == bank.id).order_by(Question.id))
    return {
        "ward": ward, "group": group, "resident": resident, "official": official, "organiser": organiser,
        "manager": manager, "round": round_, "survey_round": survey_round, "bank": bank, "attempt": attempt,
        "job": job,
        "ids": {"contest_id": round_.contest_id, "round_id": round_.id, "survey_round_id": survey_round.id,
                "unit_id": group.id, "user_id": resident.id, "name": bank.name, "bank_id": bank.id,
                "question_id": question.id, "topic_id": question.topic_id, "attempt_id": attempt.id,
                "job_id": job.id, "number": 1, "kind": "unit-stats", "fmt": "xlsx", "token": "x", "sha256": "x"},
    }


@pytest.fixture
def city(app, make_unit, make_user, make_round, take):  # noqa: F811
    """A city with wards A and B (see :func:`_ward_side`) and the city's organiser with a job of their own."""
    city_unit = make_unit("HN", "Thành phố Hà Nội", kind="city", headcount=None)
    sides = {key: _ward_side(key, city_unit, make_unit, make_user, make_round, take) for key in ("A", "B")}
    organiser = make_user(role="organiser", login="btc-tp")
    job = Job(kind="export", title="Thống kê", status="queued", params={}, owner_id=organiser.id,
              created_at=clock.now())
    db.session.add(job)
    db.session.commit()
    return {"unit": city_unit, "organiser": organiser, "job": job, **sides}


def ward_rules(app):
    """The console rules about one ward's object (they take its id): contests, rounds, banks, questions,
    surveys, units, people, attempts, jobs."""
    return [r for r in console_rules(app) if set(r.arguments) & WARD_ARGUMENTS]


def _url(rule, ids):
    if rule.endpoint.startswith("admin.survey"):  # survey pages are about a survey's round
        ids = {**ids, "round_id": ids["survey_round_id"]}
    return rule.build({name: ids.get(name, 1) for name in rule.arguments}, append_unknown=False)[1]


def _methods(rule):
    return [m for m in ("GET", "POST") if m in rule.methods]


def _allowed(rule, status) -> bool:
    """What an organiser in scope gets from a GET, as the route × role test expects."""
    if rule.endpoint in REDIRECT_WHEN_MISSING or rule.endpoint in REDIRECT_FOR_OWN_JOB:
        return status == 302
    return status == (200 if "GET" in rule.methods else 405)


def test_the_ward_test_covers_every_console_rule_about_an_object(app):
    about_objects = {r.endpoint for r in console_rules(app) if set(r.arguments) & WARD_ARGUMENTS}
    assert len(about_objects) >= 40
    assert {"admin.bank_questions", "admin.question_edit", "admin.survey_report", "admin.survey_export"} <= {
        r.endpoint for r in ward_rules(app)}


def test_ward_organiser_gets_404_for_every_route_about_another_wards_object(app, client, login, city):
    login("btc-a")
    wrong = []
    for rule in ward_rules(app):
        for method in _methods(rule):
            response = client.open(_url(rule, city["B"]["ids"]), method=method)
            if response.status_code != 404:
                wrong.append((method, rule.rule, response.status_code))
    assert not wrong


def test_ward_organiser_opens_every_route_about_their_own_wards_objects(app, client, login, city):
    login("btc-a")
    wrong = []
    for rule in ward_rules(app):
        status = client.get(_url(rule, city["A"]["ids"])).status_code
        if not _allowed(rule, status):
            wrong.append((rule.rule, status))
    assert not wrong


@pytest.mark.parametrize("ward", ["A", "B"])
def test_city_organiser_opens_every_route_about_either_wards_objects(app, client, login, city, ward):
    login("btc-tp")
    ids = {**city[ward]["ids"], "job_id": city["job"].id}  # a job is seen only by whoever started it
    wrong = []
    for rule in ward_rules(app):
        status = client.get(_url(rule, ids)).status_code
        if not _allowed(rule, status):
            wrong.append((rule.rule, status))
    assert not wrong


@pytest.mark.parametrize("ward", ["A", "B"])
def test_unit_manager_keeps_the_staff_pages_only(app, client, login, city, ward):
    login("qly-a")
    wrong = []
    for rule in console_rules(app):
        for method in _methods(rule):
            status = client.open(_url(rule, city[ward]["ids"]), method=method).status_code
            if rule.endpoint in STAFF_ENDPOINTS:
                ok = status in (200, 302, 405) or (status == 404 and rule.endpoint in NOT_FOUND_WHEN_MISSING)
            else:
                ok = status == 403
            if not ok:
                wrong.append((method, rule.rule, status))
    assert not wrong


def _round_for(kind, side):
    return side["survey_round"] if "contest" not in kind.round_kinds else side["round"]


ROUND_KINDS = sorted(code for code, kind in KINDS.items() if "round" in kind.parameters)
OTHER_KINDS = sorted(code for code, kind in KINDS.items() if "round" not in kind.parameters)


def test_ward_organiser_cannot_export_another_wards_round(client, login, city):
    login("btc-a")
    wrong = []
    for code in ROUND_KINDS:
        round_ = _round_for(KINDS[code], city["B"])
        status = client.get(f"/admin/exports/{code}?round={round_.id}").status_code
        if status != 404:
            wrong.append((code, status))
    assert not wrong


def test_ward_organiser_cannot_start_an_export_job_about_another_wards_round(client, login, city):
    login("btc-a")
    wrong = []
    for code in ROUND_KINDS:
        round_ = _round_for(KINDS[code], city["B"])
        status = client.post(f"/admin/exports/{code}/job", data={"round": round_.id, "fmt": "xlsx"}).status_code
        if status != 404:
            wrong.append((code, status))
    assert not wrong
    assert db.session.scalar(select(Job).where(Job.kind == "export", Job.params.is_not(None),
                                               Job.title != "Thống kê")) is None


def test_ward_organiser_exports_their_own_wards_rounds(client, login, city):
    login("btc-a")
    statuses = {code: client.get(f"/admin/exports/{code}?round={_round_for(KINDS[code], city['A']).id}").status_code
                for code in ROUND_KINDS}
    assert set(statuses.values()) == {200}, statuses


@pytest.mark.parametrize("ward", ["A", "B"])
def test_city_organiser_exports_either_wards_rounds(client, login, city, ward):
    login("btc-tp")
    statuses = {code: client.get(f"/admin/exports/{code}?round={_round_for(KINDS[code], city[ward]).id}").status_code
                for code in ROUND_KINDS}
    assert set(statuses.values()) == {200}, statuses


def test_ward_organiser_runs_the_exports_without_a_round(client, login, city):
    login("btc-a")
    statuses = {code: client.get(f"/admin/exports/{code}?fmt=csv&from=2026-11-01&to=2026-11-30").status_code
                for code in OTHER_KINDS}
    assert set(statuses.values()) == {200}, statuses
