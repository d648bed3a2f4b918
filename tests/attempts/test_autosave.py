"""Autosave: acknowledged with the server's time, idempotent, refused when late or foreign."""

from datetime import timedelta

from contest.extensions import db
from tests.attempts.conftest import OPEN, questions_of, refresh


def test_save_is_stored_and_acknowledged_with_the_server_time(taker, make_round, start, save):
    _, attempt = start(make_round())
    response = save(attempt, position=2, selected=[1])
    data = response.get_json()
    assert response.status_code == 200 and data["ok"] is True
    assert data["server_time"] == OPEN.isoformat() and data["saved_at"] == OPEN.isoformat()
    assert questions_of(attempt)[1].selected == [1]


def test_repeating_the_same_save_is_harmless(taker, make_round, start, save):
    _, attempt = start(make_round())
    first = save(attempt, position=1, selected=[1], seq=3).get_json()
    second = save(attempt, position=1, selected=[1], seq=3)
    assert second.status_code == 200 and second.get_json()["selected"] == [1]
    assert second.get_json()["saved_at"] == first["saved_at"]
    assert questions_of(attempt)[0].selected == [1]


def test_an_older_save_arriving_late_never_overwrites_a_newer_one(taker, make_round, start, save):
    _, attempt = start(make_round())
    save(attempt, position=1, selected=[1], seq=5)
    response = save(attempt, position=1, selected=[0], seq=4)
    assert response.status_code == 200 and response.get_json()["selected"] == [1]
    assert questions_of(attempt)[0].selected == [1]


def test_clearing_an_answer_is_saved(taker, make_round, start, save):
    _, attempt = start(make_round())
    save(attempt, position=1, selected=[1], seq=1)
    assert save(attempt, position=1, selected=[], seq=2).status_code == 200
    assert questions_of(attempt)[0].selected == []


def test_save_within_the_grace_after_the_deadline_is_accepted(taker, make_round, start, save, frozen_clock):
    _, attempt = start(make_round())
    frozen_clock(attempt.deadline + timedelta(seconds=4))
    assert save(attempt).status_code == 200


def test_save_after_the_deadline_and_grace_is_refused_in_vietnamese(taker, make_round, start, save, frozen_clock):
    _, attempt = start(make_round())
    save(attempt, position=1, selected=[1], seq=1)
    frozen_clock(attempt.deadline + timedelta(seconds=6))
    response = save(attempt, position=2, selected=[1], seq=1)
    assert response.status_code == 409
    assert response.get_json()["code"] == "too_late" and "hết giờ" in response.get_json()["error"]
    assert questions_of(attempt)[1].selected is None
    finished = refresh(attempt)
    assert finished.state == "finished" and finished.finished_at == attempt.deadline


def test_save_to_somebody_elses_attempt_is_refused(taker, make_round, start, save, client, make_user, login):
    _, attempt = start(make_round())
    client.post("/logout")
    login(make_user().phone)
    response = save(attempt)
    assert response.status_code == 404
    assert questions_of(attempt)[0].selected is None


def test_save_to_a_question_not_in_the_attempt_is_refused(taker, make_round, start, save):
    _, attempt = start(make_round())
    response = save(attempt, position=99)
    assert response.status_code == 422 and response.get_json()["code"] == "bad_question"


def test_save_of_an_option_that_does_not_exist_is_refused(taker, make_round, start, save):
    _, attempt = start(make_round())
    response = save(attempt, position=1, selected=[9])
    assert response.status_code == 422 and response.get_json()["code"] == "bad_option"


def test_two_options_for_a_single_choice_question_are_refused(taker, make_round, start, save):
    _, attempt = start(make_round())
    single = next(q for q in questions_of(attempt) if q.kind != "multiple")
    response = save(attempt, position=single.position, selected=[0, 1])
    assert response.status_code == 422


def test_malformed_save_is_refused(taker, make_round, start, save):
    _, attempt = start(make_round())
    for raw in ({"position": "1", "selected": [0], "seq": 1}, {"position": 1, "selected": "0", "seq": 1},
                {"position": 1, "selected": [0], "seq": 0}, [1, 2], {"position": True, "selected": [0], "seq": 1}):
        assert save(attempt, raw=raw).status_code == 422, raw


def test_save_to_a_finished_attempt_is_refused(taker, make_round, start, save, client):
    _, attempt = start(make_round())
    client.post(f"/attempts/{attempt.id}/submit", data={})
    response = save(attempt)
    assert response.status_code == 409 and response.get_json()["code"] == "finished"


def test_save_without_a_session_is_refused(make_round, make_user, frozen_clock, make_app):
    frozen_clock(OPEN)
    app = make_app()
    user = make_user()
    client = app.test_client()
    client.post("/login", data={"login": user.phone, "password": "mat-khau-an-toan"})
    attempt_id = int(client.post(f"/rounds/{make_round().id}/start").headers["Location"].rsplit("/", 1)[1])
    anonymous = app.test_client()
    response = anonymous.post(f"/api/attempts/{attempt_id}/answers", json={"position": 1, "selected": [0], "seq": 1})
    assert response.status_code == 401 and response.is_json


def test_save_without_csrf_header_is_refused(make_app, make_user, make_round, frozen_clock):
    frozen_clock(OPEN)
    user = make_user()
    round_ = make_round()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"login": user.phone, "password": "mat-khau-an-toan", "csrf_token": token})
    attempt_page = client.post(f"/rounds/{round_.id}/start", data={"csrf_token": token})
    attempt_id = int(attempt_page.headers["Location"].rsplit("/", 1)[1])
    body = {"position": 1, "selected": [0], "seq": 1}
    refused = client.post(f"/api/attempts/{attempt_id}/answers", json=body)
    assert refused.status_code == 400 and refused.is_json
    accepted = client.post(f"/api/attempts/{attempt_id}/answers", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200


def test_prediction_is_saved_while_the_attempt_is_open(taker, make_round, start, client):
    _, attempt = start(make_round(prediction_kind="full_score_count"))
    response = client.post(f"/api/attempts/{attempt.id}/prediction", json={"prediction": 42})
    assert response.status_code == 200
    assert refresh(attempt).prediction == 42
    assert client.post(f"/api/attempts/{attempt.id}/prediction", json={"prediction": -1}).status_code == 422


def test_resume_shows_every_saved_answer(taker, make_round, start, save, client):
    _, attempt = start(make_round())
    for position in (1, 3):
        save(attempt, position=position, selected=[1], seq=1)
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    for position in (1, 3):
        assert f'name="q{position}" value="1"\n                 checked' in page
    assert page.count("checked>") == 2 or page.count("checked") >= 2
    db.session.expire_all()
    assert [q.selected for q in questions_of(attempt)] == [[1], None, [1], None]


def test_a_save_overtaken_by_another_window_is_answered_with_the_stored_value(taker, make_round, start, save):
    """Two tabs on one attempt, both at seq 0: B saves option 0 first, then A's option 1 (same seq) loses."""
    _, attempt = start(make_round())
    save(attempt, position=1, selected=[0], seq=1)  # tab B
    data = save(attempt, position=1, selected=[1], seq=1).get_json()  # tab A, not reloaded
    assert data["ok"] is True and data["applied"] is False
    assert data["selected"] == [0] and data["seq"] == 1
    assert questions_of(attempt)[0].selected == [0]


def test_a_repeated_save_is_acknowledged_as_the_stored_answer(taker, make_round, start, save):
    _, attempt = start(make_round())
    save(attempt, position=1, selected=[1], seq=2)
    data = save(attempt, position=1, selected=[1], seq=2).get_json()
    assert data["applied"] is True and data["selected"] == [1] and data["seq"] == 2


def _csrf_client(make_app, user):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"login": user.phone, "password": "mat-khau-an-toan", "csrf_token": token})
    return client, token


def test_a_save_with_a_stale_csrf_token_is_refused_with_the_csrf_code(make_app, make_user, make_round,
                                                                       frozen_clock):
    """The page keeps such an answer queued: the code tells it apart from a final refusal."""
    frozen_clock(OPEN)
    user = make_user()
    round_ = make_round()
    client, token = _csrf_client(make_app, user)
    location = client.post(f"/rounds/{round_.id}/start", data={"csrf_token": token}).headers["Location"]
    response = client.post(f"/api/{location.strip('/')}/answers", json={"position": 1, "selected": [0], "seq": 1},
                           headers={"X-CSRFToken": "stale-token-of-an-old-session"})
    data = response.get_json()
    assert response.status_code == 400 and data["code"] == "csrf" and "Phiên làm việc" in data["error"]


def test_the_attempt_state_hands_the_page_the_session_csrf_token(make_app, make_user, make_round, frozen_clock):
    """After signing in again (in this tab or another) the page reads the new session's token and sends."""
    frozen_clock(OPEN)
    user = make_user()
    round_ = make_round()
    client, token = _csrf_client(make_app, user)
    location = client.post(f"/rounds/{round_.id}/start", data={"csrf_token": token}).headers["Location"]
    state = client.get(f"/api/{location.strip('/')}/state").get_json()
    response = client.post(f"/api/{location.strip('/')}/answers", json={"position": 1, "selected": [0], "seq": 1},
                           headers={"X-CSRFToken": state["csrf_token"]})
    assert response.status_code == 200 and response.get_json()["applied"] is True


def test_the_attempt_state_without_a_session_says_to_sign_in(make_app, make_user, make_round, frozen_clock):
    frozen_clock(OPEN)
    app = make_app()
    user = make_user()
    client = app.test_client()
    client.post("/login", data={"login": user.phone, "password": "mat-khau-an-toan"})
    location = client.post(f"/rounds/{make_round().id}/start").headers["Location"]
    response = app.test_client().get(f"/api/{location.strip('/')}/state")
    assert response.status_code == 401 and response.get_json()["code"] == "login"
    assert "đăng nhập lại" in response.get_json()["error"]


def test_a_save_with_the_csrf_token_of_another_session_is_refused(make_app, make_user, make_round, frozen_clock):
    """A token this app signed, but for another session: the autosave's own check compares it with the session's."""
    frozen_clock(OPEN)
    round_ = make_round()
    user, other = make_user(), make_user()
    client, token = _csrf_client(make_app, user)
    _, other_token = _csrf_client(make_app, other)
    location = client.post(f"/rounds/{round_.id}/start", data={"csrf_token": token}).headers["Location"]
    response = client.post(f"/api/{location.strip('/')}/answers", json={"position": 1, "selected": [0], "seq": 1},
                           headers={"X-CSRFToken": other_token})
    assert response.status_code == 400 and response.get_json()["code"] == "csrf"


def test_a_prediction_without_csrf_header_is_refused(make_app, make_user, make_round, frozen_clock):
    frozen_clock(OPEN)
    round_ = make_round(prediction_kind="full_score_count")
    client, token = _csrf_client(make_app, make_user())
    location = client.post(f"/rounds/{round_.id}/start", data={"csrf_token": token}).headers["Location"]
    refused = client.post(f"/api/{location.strip('/')}/prediction", json={"prediction": 3})
    assert refused.status_code == 400 and refused.get_json()["code"] == "csrf"
    accepted = client.post(f"/api/{location.strip('/')}/prediction", json={"prediction": 3},
                           headers={"X-CSRFToken": token})
    assert accepted.status_code == 200
