"""Organiser pages for results: review, close, disqualify, publish, settings; organisers only."""

from sqlalchemy import select

from contest.attempts.models import Attempt
from contest.extensions import db
from contest.ranking.models import ResultPublication
from tests.ranking.conftest import AFTER_CLOSE, T0


def sign_in_organiser(make_user, login):
    organiser = make_user(role="organiser", login="btc")
    login("btc")
    return organiser


def test_results_pages_are_for_organisers_only(make_round, make_user, login, client):
    round_ = make_round()
    resident = make_user()
    login(resident.phone)
    assert client.get(f"/admin/rounds/{round_.id}/results").status_code == 403
    assert client.post(f"/admin/rounds/{round_.id}/publish").status_code == 403


def test_review_page_lists_the_proposed_winners_with_full_names(make_round, make_user, finished_attempt, login,
                                                                client, frozen_clock):
    frozen_clock(T0)
    round_ = make_round(prizes_first=1)
    finished_attempt(make_user(full_name="Trịnh Văn Quyết", publish_name=False), round_, 4)
    sign_in_organiser(make_user, login)
    page = client.get(f"/admin/rounds/{round_.id}/results").get_data(as_text=True)
    assert "Trịnh Văn Quyết" in page and "Giải Nhất" in page and "chỉ công bố chữ cái đầu" in page


def test_organiser_disqualifies_closes_and_publishes_through_the_forms(make_round, make_user, finished_attempt,
                                                                       login, client, frozen_clock):
    round_ = make_round(prizes_first=1)
    cheat = finished_attempt(make_user(), round_, 4)
    honest = make_user()
    finished_attempt(honest, round_, 3)
    sign_in_organiser(make_user, login)
    frozen_clock(AFTER_CLOSE)
    client.post(f"/admin/rounds/{round_.id}/close")
    client.post(f"/admin/attempts/{cheat.id}/disqualify", data={"reason": "Nhờ người làm hộ"})
    client.post(f"/admin/rounds/{round_.id}/publish", data={"confirmed": "1"})
    db.session.expire_all()
    assert db.session.get(Attempt, cheat.id).disqualified_reason == "Nhờ người làm hộ"
    [publication] = db.session.scalars(select(ResultPublication)).all()
    assert [w["user_id"] for w in publication.winners] == [honest.id]


def test_disqualifying_without_a_reason_changes_nothing(make_round, make_user, finished_attempt, login, client):
    round_ = make_round()
    attempt = finished_attempt(make_user(), round_, 4)
    sign_in_organiser(make_user, login)
    response = client.post(f"/admin/attempts/{attempt.id}/disqualify", data={"reason": ""}, follow_redirects=True)
    assert "Vui lòng ghi lý do" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).disqualified_reason is None


def test_settings_change_the_tie_break_order_and_collective_formula(make_round, make_user, login, client):
    round_ = make_round()
    sign_in_organiser(make_user, login)
    data = {"step1": "score", "step2": "duration", "step3": "prediction", "step4": "finished",
            "overall_rule": "best", "prize_highest_only": "y", "collective_formula": "quang_nam_2022",
            "threshold": "30", "points_per_percent": "2", "points_first": "20", "points_second": "10",
            "points_third": "5", "points_consolation": "1", "unit_prizes_first": "1", "unit_prizes_second": "0",
            "unit_prizes_third": "0", "unit_prizes_consolation": "2"}
    response = client.post(f"/admin/contests/{round_.contest_id}/results", data=data)
    assert response.status_code == 302
    contest = round_.contest
    db.session.refresh(contest)
    assert contest.tie_break == "score,duration,prediction,finished" and contest.prize_highest_only
    assert contest.collective_params["threshold"] == 0.3 and contest.collective_params["prize_points"]["first"] == 20
    assert contest.unit_prizes_consolation == 2


def test_settings_refuse_a_criterion_chosen_twice(make_round, make_user, login, client):
    round_ = make_round()
    sign_in_organiser(make_user, login)
    data = {"step1": "score", "step2": "score", "step3": "prediction", "step4": "finished", "overall_rule": "sum",
            "collective_formula": "hai_duong_2024", "threshold": "50", "points_per_percent": "1",
            "points_first": "10", "points_second": "7", "points_third": "5", "points_consolation": "3",
            "unit_prizes_first": "0", "unit_prizes_second": "0", "unit_prizes_third": "0",
            "unit_prizes_consolation": "0"}
    response = client.post(f"/admin/contests/{round_.contest_id}/results", data=data)
    assert response.status_code == 422 and "chỉ được chọn một lần" in response.get_data(as_text=True)


def test_unit_prizes_are_proposed_and_published(make_round, make_user, make_unit, finished_attempt, login, client,
                                                frozen_clock):
    frozen_clock(T0)
    round_ = make_round()
    round_.contest.unit_prizes_first = 1
    db.session.commit()
    best = make_unit(name="Tổ dân phố Dẫn đầu", headcount=1)
    finished_attempt(make_user(unit=best), round_, 4)
    sign_in_organiser(make_user, login)
    assert "Tổ dân phố Dẫn đầu" in client.get(f"/admin/contests/{round_.contest_id}/results/units").get_data(
        as_text=True)
    client.post(f"/admin/contests/{round_.contest_id}/results/units/publish", data={})
    [publication] = db.session.scalars(select(ResultPublication)).all()
    assert publication.round_id is None and publication.winners[0]["unit_id"] == best.id
    assert "Giải tập thể đã công bố" in client.get(f"/contests/{round_.contest.slug}/units").get_data(as_text=True)
