"""A knowledge survey is invisible to those who cannot take it: residents and anonymous visitors get a 404
for its page, as if it did not exist."""

import pytest


@pytest.fixture
def survey(make_round):
    return make_round(audience="officials", kind="survey").contest


def test_an_anonymous_visitor_cannot_open_a_surveys_page(client, survey):
    assert client.get(f"/contests/{survey.slug}").status_code == 404


def test_a_resident_cannot_open_a_surveys_page(client, survey, make_user, login):
    login(make_user().phone)
    assert client.get(f"/contests/{survey.slug}").status_code == 404


def test_an_official_opens_the_surveys_page(client, survey, make_user, login):
    login(make_user(role="official").phone)
    assert client.get(f"/contests/{survey.slug}").status_code == 200


def test_a_contest_page_stays_public(client, make_round):
    assert client.get(f"/contests/{make_round().contest.slug}").status_code == 200
