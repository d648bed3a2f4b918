"""Every console route, read from the app's URL map, against every role: routes added later are covered too.

anonymous → sign-in redirect; resident and official → 403; unit manager → 403 except the staff pages;
organiser → 200 (or 405 for a POST-only action opened with GET).
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.banks.models import Topic
from contest.contests.models import BlueprintItem, Contest, Round
from contest.extensions import db

# The pages unit managers may open (restricted to their units): anything else must refuse them.
STAFF_ENDPOINTS = {"admin.dashboard", "admin.exports", "admin.export_download", "admin.unit_stats",
                   "admin.surveys", "admin.survey_report", "admin.survey_heatmap", "admin.survey_needs",
                   "admin.survey_export", "admin.export_job", "admin.job", "admin.job_status", "admin.job_download"}
# Pages about something short-lived (or not yet published) that the world fixture has not made: they send the
# organiser back.
REDIRECT_WHEN_MISSING = {"admin.bank_preview", "admin.certificates.round_pdf", "admin.certificates.winner_pdf"}
# A background job is seen only by the person who started it; the world has none, so these answer 404.
NOT_FOUND_WHEN_MISSING = {"admin.job", "admin.job_status", "admin.job_download"}
ROLES = ("anonymous", "resident", "official", "unit_manager", "organiser")


def console_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")),
                  key=lambda r: r.rule)


@pytest.fixture
def world(app, make_unit, make_user, small_bank):
    """One object of each kind with id 1 (contest, round, unit, user...) so that every URL resolves."""
    unit = make_unit()
    people = {role: make_user(role=role, login=role, unit=unit if role in ("resident", "official") else None)
              for role in ("resident", "official", "organiser")}
    people["unit_manager"] = make_user(role="unit_manager", login="unit_manager", managed_unit_id=unit.id)
    contest = Contest(slug="thi", title="Cuộc thi", kind="contest", audience="residents")
    round_ = Round(contest=contest, number=1, title="Đợt 1", opens_at=datetime(2026, 11, 21, tzinfo=UTC),
                   closes_at=datetime(2026, 11, 28, tzinfo=UTC))
    topic = db.session.scalar(select(Topic))
    round_.blueprint.append(BlueprintItem(group="residents", topic_id=topic.id, count=1))
    survey = Contest(slug="khao-sat", title="Khảo sát", kind="survey", audience="officials")
    survey_round = Round(contest=survey, number=1, title="Đợt 1", opens_at=datetime(2026, 11, 21, tzinfo=UTC),
                         closes_at=datetime(2026, 11, 28, tzinfo=UTC), attempts_allowed=1)
    db.session.add_all([contest, survey])
    db.session.commit()
    ids = {"contest_id": contest.id, "round_id": round_.id, "unit_id": unit.id, "user_id": people["resident"].id,
           "bank_id": 1, "topic_id": topic.id, "kind": "unit-stats", "number": 1, "name": "ngan-hang-thu", "fmt": "xlsx",
           "survey_round_id": survey_round.id}
    return people, ids


def url_for_rule(rule, ids):
    if rule.endpoint.startswith("admin.survey"):  # survey pages are about a survey's round
        ids = {**ids, "round_id": ids["survey_round_id"]}
    values = {name: ids.get(name, 1) for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def request_as(client, login, role, rule, ids, method=None):
    if role != "anonymous":
        login(role)
    method = method or ("GET" if "GET" in rule.methods else "POST")
    return client.open(url_for_rule(rule, ids), method=method)


def test_every_console_route_is_covered(app):
    assert len(console_rules(app)) >= 20
    marked = {r.endpoint for r in console_rules(app) if getattr(app.view_functions[r.endpoint], "staff_page", False)}
    assert marked == STAFF_ENDPOINTS


@pytest.mark.parametrize("role", ["anonymous", "resident", "official", "unit_manager"])
def test_console_routes_refuse_those_without_the_role(app, client, login, world, role):
    _, ids = world
    wrong = []
    for rule in console_rules(app):
        response = request_as(client, login, role, rule, ids)
        if role == "anonymous":
            ok = response.status_code == 302 and "/login" in response.headers["Location"]
        elif role == "unit_manager" and rule.endpoint in STAFF_ENDPOINTS:
            ok = response.status_code in (200, 302) and "/login" not in response.headers.get("Location", "")
        else:
            ok = response.status_code == 403
        if not ok:
            wrong.append((rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"}), response.status_code))
    assert not wrong, f"{role}: {wrong}"


def test_organiser_opens_every_console_page(app, client, login, world):
    _, ids = world
    login("organiser")
    wrong = []
    for rule in console_rules(app):
        response = client.get(url_for_rule(rule, ids))
        expected = (200,) if "GET" in rule.methods else (405,)
        if rule.endpoint in REDIRECT_WHEN_MISSING:
            expected = (302,)
        if rule.endpoint in NOT_FOUND_WHEN_MISSING:
            expected = (404,)
        if response.status_code not in expected:
            wrong.append((rule.rule, response.status_code))
    assert not wrong


def test_unit_manager_opens_every_staff_page(app, client, login, world):
    _, ids = world
    login("unit_manager")
    for rule in console_rules(app):
        if rule.endpoint in STAFF_ENDPOINTS:
            expected = 404 if rule.endpoint in NOT_FOUND_WHEN_MISSING else 200 if "GET" in rule.methods else 405
            assert client.get(url_for_rule(rule, ids)).status_code == expected, rule.rule
