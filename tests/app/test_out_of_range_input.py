"""Numbers and dates out of the database's range: a 404, a Vietnamese 422 or the value ignored, never a 500."""

import pytest

from tests.conftest import PASSWORD

HUGE = 10**25
INT64_PLUS_ONE = 2**63


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def test_a_unit_beyond_the_database_integers_is_ignored_on_the_public_standings(client, make_round):
    round_ = make_round()
    response = client.get(f"/contests/{round_.contest.slug}/rounds/1/standings?unit={HUGE}")
    assert response.status_code == 200


@pytest.mark.parametrize("path", [f"/admin/users/{INT64_PLUS_ONE}", f"/admin/contests/{HUGE}",
                                  f"/admin/rounds/{2**31}/results"])
def test_an_id_beyond_the_database_integers_is_a_404(client, organiser, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("arg", ["page", "contest"])
def test_a_page_number_beyond_the_database_integers_is_ignored(client, organiser, arg):
    path = "/admin/users" if arg == "page" else "/admin/dashboard"
    assert client.get(f"{path}?{arg}={INT64_PLUS_ONE}").status_code == 200


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/unit-stats", "/admin/exports/periodic-report"])
def test_a_date_range_from_year_1_to_9999_is_refused_in_vietnamese(client, organiser, path):
    response = client.get(f"{path}?from=0001-01-01&to=9999-12-31")
    assert response.status_code in (200, 302, 422)
    if response.status_code == 302:
        response = client.get(response.location)
    assert "năm phải trong khoảng" in response.get_data(as_text=True)


def test_a_round_closing_in_year_9999_is_refused_in_vietnamese(client, organiser, make_round):
    round_ = make_round()
    response = client.post(f"/admin/contests/{round_.contest_id}/rounds/{round_.id}/edit", data={
        "title": "Đợt 1", "opens_at": "2026-11-21T08:00", "closes_at": "9999-12-31T23:59",
        "time_limit_minutes": "20", "attempts_allowed": "1", "counting": "best", "review_policy": "after_close",
        "prediction_kind": "none", "prizes_first": "0", "prizes_second": "0", "prizes_third": "0",
        "prizes_consolation": "0"})
    assert response.status_code == 422 and "Năm phải" in response.get_data(as_text=True)


def test_a_prize_count_beyond_the_database_integers_is_refused(client, organiser, make_round):
    round_ = make_round()
    response = client.post(f"/admin/contests/{round_.contest_id}/results",
                           data={"unit_prizes_first": str(2**1100)})
    assert response.status_code in (200, 302, 422)


class TestAutosave:
    @pytest.fixture
    def attempt(self, client, make_user, make_round, login, frozen_clock):
        from datetime import UTC, datetime

        from contest.attempts.starting import start_attempt

        frozen_clock(datetime(2026, 11, 21, 2, 0, tzinfo=UTC))
        user = make_user()
        login(user.phone, PASSWORD)
        return start_attempt(user, make_round())

    @pytest.mark.parametrize("body", [{"position": 2**63, "selected": [0], "seq": 1},
                                      {"position": 1, "selected": [0], "seq": 2**63},
                                      {"position": 1, "selected": [2**63], "seq": 1}])
    def test_a_save_with_a_number_beyond_the_database_integers_is_a_422(self, client, attempt, body):
        response = client.post(f"/api/attempts/{attempt.id}/answers", json=body)
        assert response.status_code == 422 and "không hợp lệ" in response.get_json()["error"]

    def test_a_save_nested_100000_deep_is_a_422(self, client, attempt):
        response = client.post(f"/api/attempts/{attempt.id}/answers", data="[" * 100_000 + "]" * 100_000,
                               content_type="application/json")
        assert response.status_code == 422

    def test_a_prediction_beyond_the_database_integers_is_a_422(self, client, attempt):
        response = client.post(f"/api/attempts/{attempt.id}/prediction", json={"prediction": 2**63})
        assert response.status_code == 422


@pytest.mark.parametrize("path", ["/contests/%00", "/contests/x/units?unit=%00", "/admin/users?q=a%00b"])
def test_a_nul_character_in_the_request_is_a_400_not_a_500(client, organiser, path):
    assert client.get(path).status_code == 400


def test_a_nul_character_in_a_form_field_is_a_400(client):
    assert client.post("/login", data={"login": "09\x0012", "password": "x"}).status_code == 400
