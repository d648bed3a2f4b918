"""The round form's prize thresholds: whole percentages 0–100, blank for none, refused in Vietnamese."""

import pytest
from sqlalchemy import select

from contest.contests.models import Contest, Round
from contest.extensions import db


@pytest.fixture
def contest_id(client, make_user, login):
    make_user(role="organiser", login="btc")
    login("btc")
    client.post("/admin/contests/new", data={"title": "Cuộc thi CCHC", "kind": "contest", "audience": "residents"})
    return db.session.scalar(select(Contest.id))


def round_data(**changes):
    data = {"title": "Đợt 1", "opens_at": "2026-12-01T08:00", "closes_at": "2026-12-07T17:00",
            "time_limit_minutes": "20", "attempts_allowed": "3", "counting": "best", "review_policy": "after_close",
            "prediction_kind": "none", "prizes_first": "1", "prizes_second": "2", "prizes_third": "3",
            "prizes_consolation": "5"}
    data.update(changes)
    return data


def test_the_round_form_stores_each_tiers_threshold(client, contest_id):
    client.post(f"/admin/contests/{contest_id}/rounds/new",
                data=round_data(prize_min_first="90", prize_min_second="80", prize_min_third="0"))
    round_ = db.session.scalar(select(Round))
    assert (round_.prize_min_first, round_.prize_min_second, round_.prize_min_third,
            round_.prize_min_consolation) == (90, 80, 0, None)


def test_a_blank_threshold_means_no_threshold(client, contest_id):
    response = client.post(f"/admin/contests/{contest_id}/rounds/new", data=round_data(prize_min_first=""))
    assert response.status_code == 302 and db.session.scalar(select(Round.prize_min_first)) is None


def test_a_threshold_above_100_is_refused_in_vietnamese(client, contest_id):
    response = client.post(f"/admin/contests/{contest_id}/rounds/new", data=round_data(prize_min_first="120"))
    assert response.status_code == 422 and db.session.scalar(select(Round)) is None
    assert "Điểm tối thiểu là một số nguyên từ 0 đến 100" in response.get_data(as_text=True)


def test_a_threshold_that_is_not_a_whole_number_is_refused(client, contest_id):
    response = client.post(f"/admin/contests/{contest_id}/rounds/new", data=round_data(prize_min_second="abc"))
    assert response.status_code == 422 and "Vui lòng nhập một số nguyên hợp lệ." in response.get_data(as_text=True)


def test_the_round_form_shows_a_saved_threshold(client, contest_id):
    client.post(f"/admin/contests/{contest_id}/rounds/new", data=round_data(prize_min_first="90"))
    round_id = db.session.scalar(select(Round.id))
    page = client.get(f"/admin/contests/{contest_id}/rounds/{round_id}/edit").get_data(as_text=True)
    assert 'name="prize_min_first"' in page and 'value="90"' in page
