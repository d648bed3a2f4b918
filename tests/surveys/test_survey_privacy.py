"""A survey: one attempt, a private result with the per-topic breakdown, no public ranking."""

import pytest
from sqlalchemy import select

from contest.attempts.models import Attempt
from contest.attempts.starting import start_attempt
from contest.attempts.terms import AttemptError
from contest.contests.service import save_round
from contest.extensions import db


@pytest.fixture
def official(make_user, ward):
    return make_user(role="official", unit=ward["VP"], full_name="Nguyễn Văn An")


def test_a_survey_allows_one_attempt_even_if_the_round_says_more(survey, official, take_survey):
    survey.attempts_allowed = 3
    db.session.commit()
    take_survey(official, survey)
    with pytest.raises(AttemptError, match="chỉ làm một lần"):
        start_attempt(official, survey)


def test_starting_again_through_the_page_is_refused(survey, official, take_survey, client, login):
    take_survey(official, survey)
    login(official.phone)
    response = client.post(f"/rounds/{survey.id}/start", follow_redirects=True)
    assert "chỉ làm một lần" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Attempt.id))) == 1


def test_saving_a_survey_round_keeps_one_attempt(survey):
    fields = {"opens_at": survey.opens_at, "closes_at": survey.closes_at, "attempts_allowed": 5}
    assert save_round(survey.contest, survey, **fields).attempts_allowed == 1


def test_the_official_sees_score_topics_and_keys_on_the_private_page(survey, official, take_survey, client, login):
    attempt = take_survey(official, survey, right=lambda code: code in ("T-001", "T-002"))
    login(official.phone)
    response = client.get(f"/attempts/{attempt.id}/result")
    assert response.status_code == 302 and response.location.endswith(f"/surveys/results/{attempt.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Kết quả theo chủ đề" in page
    assert "Cải cách thể chế" in page and "2/2" in page
    assert "Cải cách thủ tục hành chính" in page and "0/2" in page
    assert "đáp án đúng" in page and "Giải thích ngắn." in page
    assert "Bảng xếp hạng" not in page


def test_keys_wait_for_the_close_when_the_policy_says_so(survey, official, take_survey, client, login):
    survey.review_policy = "after_close"
    db.session.commit()
    attempt = take_survey(official, survey)
    login(official.phone)
    page = client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)
    assert "Kết quả theo chủ đề" in page and "đáp án đúng" not in page


def test_an_anonymous_visitor_is_sent_to_sign_in(survey, official, take_survey, client):
    attempt = take_survey(official, survey)
    response = client.get(f"/surveys/results/{attempt.id}")
    assert response.status_code == 302 and "/login" in response.location


def test_a_resident_cannot_see_an_officials_result(survey, official, take_survey, client, login, make_user):
    attempt = take_survey(official, survey)
    login(make_user().phone)
    assert client.get(f"/surveys/results/{attempt.id}").status_code == 404
    assert client.get(f"/attempts/{attempt.id}/result").status_code == 404


def test_another_official_cannot_see_the_result(survey, official, take_survey, client, login, make_user, ward):
    attempt = take_survey(official, survey)
    colleague = make_user(role="official", unit=ward["VP"])
    login(colleague.phone)
    assert client.get(f"/surveys/results/{attempt.id}").status_code == 404


def test_a_unit_manager_sees_results_in_their_unit_only(survey, take_survey, client, login, make_user, ward):
    inside = take_survey(make_user(role="official", unit=ward["VHXH"]), survey)
    outside = take_survey(make_user(role="official", unit=ward["THCS"]), survey)
    login(make_user(role="unit_manager", login="truongubnd", managed_unit_id=ward["UBND"].id).login)
    assert client.get(f"/surveys/results/{inside.id}").status_code == 200
    assert client.get(f"/surveys/results/{outside.id}").status_code == 404


def test_an_organiser_sees_any_result_with_its_keys(survey, official, take_survey, client, login, make_user):
    survey.review_policy = "never"
    db.session.commit()
    attempt = take_survey(official, survey)
    login(make_user(role="organiser", login="btc").login)
    page = client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "đáp án đúng" in page


def test_a_survey_has_no_public_standings_page(survey, client):
    assert client.get(f"/contests/{survey.contest.slug}/rounds/1/standings").status_code == 404


def test_the_home_page_shows_a_survey_to_officials_but_not_to_residents(survey, official, client, login, make_user):
    assert survey.contest.title not in client.get("/").get_data(as_text=True)
    login(make_user().phone)
    assert survey.contest.title not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(official.phone)
    assert survey.contest.title in client.get("/").get_data(as_text=True)


def test_a_unit_manager_sees_no_keys_before_the_round_closes(survey, take_survey, client, login, make_user, ward):
    attempt = take_survey(make_user(role="official", unit=ward["VP"]), survey)
    login(make_user(role="unit_manager", login="ql", managed_unit_id=ward["VP"].id).login)
    page = client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)
    assert "Kết quả theo chủ đề" in page and "đáp án đúng" not in page
