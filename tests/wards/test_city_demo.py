"""The city demo (issue 19): `flask demo load` makes a small city with three wards, a city contest, one contest per
ward and the city survey, and prints one login per role so that the scoping can be seen at once."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.accounts.models import User
from contest.contests.models import Contest
from contest.demo.service import CITY_CODE, DEMO_SLUG, WARD_CODES
from contest.demo.survey import SURVEY_SLUG
from contest.extensions import db
from contest.units.models import Unit
from contest.units.scope import subtree_ids


@pytest.fixture
def loaded(runner, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def printed_logins(output: str) -> dict[str, tuple[str, str]]:
    """The role lines the command prints: shown role → (login, password)."""
    return {role: (login, password) for role, login, password in
            re.findall(r"^  (.+?): (\S+) / (\S+)$", output, flags=re.MULTILINE)}


def unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def test_the_demo_city_has_three_wards_under_the_city(loaded):
    wards = db.session.scalars(select(Unit).where(Unit.kind == "ward")).all()
    assert sorted(w.code for w in wards) == sorted(WARD_CODES)
    assert {w.parent.code for w in wards} == {CITY_CODE} and unit(CITY_CODE).kind == "city"


def test_each_demo_ward_has_offices_and_residential_groups(loaded):
    for code in WARD_CODES:
        below = subtree_ids(unit(code).id)
        kinds = {u.kind for u in db.session.scalars(select(Unit).where(Unit.id.in_(below)))}
        assert {"office", "residential"} <= kinds, code


def test_each_demo_ward_owns_one_contest(loaded):
    owners = [c.owner_unit.code for c in db.session.scalars(select(Contest).where(Contest.kind == "contest"))
              if c.owner_unit is not None and c.owner_unit.kind == "ward"]
    assert sorted(owners) == sorted(WARD_CODES)


def test_the_demo_city_runs_the_city_contest_and_the_survey(loaded):
    for slug in (DEMO_SLUG, SURVEY_SLUG):
        contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
        assert contest.owner_unit.code == CITY_CODE, slug


def test_the_demo_prints_one_login_per_role(loaded):
    roles = printed_logins(loaded)
    assert "Tên đăng nhập: bantochuc" in loaded
    assert len([r for r in roles if r.startswith("Ban tổ chức Phường")]) == 3
    assert any(r.startswith("Người phụ trách") for r in roles)
    assert any(r.startswith("Người dân") for r in roles) and any(r.startswith("Cán bộ") for r in roles)


def test_each_ward_organiser_manages_their_ward(loaded):
    organisers = db.session.scalars(select(User).where(User.role == "organiser",
                                                       User.managed_unit_id.is_not(None))).all()
    assert sorted(o.managed_unit.code for o in organisers) == sorted(WARD_CODES)


def test_every_printed_demo_login_signs_in(loaded, login, client):
    for role, (name, password) in printed_logins(loaded).items():
        response = login(name, password)
        assert response.status_code == 302 and "/login" not in response.headers["Location"], role
        client.post("/logout")


def test_the_demo_resident_sees_the_city_contest_and_their_wards_but_no_other(loaded, login, client):
    name, password = next(v for r, v in printed_logins(loaded).items() if r.startswith("Người dân"))
    login(name, password)
    html = client.get("/").get_data(as_text=True)
    assert "Cuộc thi trực tuyến tìm hiểu về cải cách hành chính năm 2026" in html
    assert "Phường An Bình</span>" in html
    assert "– Phường Tân Phú" not in html and "– Phường Phú Lợi" not in html


def test_loading_the_demo_again_still_prints_the_logins(loaded, runner):
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and printed_logins(again.output) == printed_logins(loaded)
