"""CCCD per contest: stored as a keyed hash plus the last 4 digits, unique per contest."""

import pytest
from sqlalchemy import select

from contest.accounts.models import ContestIdentity
from contest.contests.models import Contest
from contest.extensions import db


@pytest.fixture
def contest(app):
    contest = Contest(slug="thi-cccd", title="Cuộc thi có CCCD", requires_cccd=True, is_published=True)
    db.session.add(contest)
    db.session.commit()
    return contest


def declare(client, contest, number):
    return client.post(f"/contests/{contest.slug}/cccd", data={"cccd": number})


def test_cccd_is_stored_only_as_hash_and_last_four_digits(client, make_user, login, contest):
    login(make_user().phone)
    assert declare(client, contest, "001 203 004 567").status_code == 302
    identity = db.session.scalar(select(ContestIdentity))
    assert identity.cccd_last4 == "4567"
    assert "001203004567" not in identity.cccd_hash and len(identity.cccd_hash) == 64


def test_same_cccd_for_another_account_in_the_same_contest_is_refused(client, make_user, login, contest):
    login(make_user().phone)
    declare(client, contest, "001203004567")
    client.post("/logout")
    login(make_user().phone)
    response = declare(client, contest, "001203004567")
    assert response.status_code == 422
    assert "đã được một tài khoản khác" in response.get_data(as_text=True)


def test_same_cccd_may_join_another_contest(client, make_user, login, contest):
    other = Contest(slug="thi-khac", title="Cuộc thi khác", requires_cccd=True, is_published=True)
    db.session.add(other)
    db.session.commit()
    login(make_user().phone)
    assert declare(client, contest, "001203004567").status_code == 302
    assert declare(client, other, "001203004567").status_code == 302


def test_cccd_must_have_twelve_digits(client, make_user, login, contest):
    login(make_user().phone)
    assert declare(client, contest, "12345").status_code == 422


def test_contest_page_asks_for_cccd_until_it_is_given(client, make_user, login, contest):
    login(make_user().phone)
    assert "yêu cầu khai báo số CCCD" in client.get(f"/contests/{contest.slug}").get_data(as_text=True)
    declare(client, contest, "001203004567")
    assert "yêu cầu khai báo số CCCD" not in client.get(f"/contests/{contest.slug}").get_data(as_text=True)
