"""A locked or erased account, or a session ended by a password change, can no longer save answers,
the prediction or read the attempt's state: the autosave endpoints check the session's version too."""

import pytest

from contest.accounts.management import anonymise_user, set_locked
from contest.accounts.models import User
from contest.extensions import db
from tests.attempts.conftest import questions_of
from tests.conftest import PASSWORD

ENDPOINTS = [
    ("post", "answers", {"position": 1, "selected": [1], "seq": 1}),
    ("post", "prediction", {"prediction": 5}),
    ("get", "state", None),
]


def call(client, attempt, method, name, body):
    url = f"/api/attempts/{attempt.id}/{name}"
    return client.post(url, json=body) if method == "post" else client.get(url)


def fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.fixture
def attempt(taker, make_round, start):
    _, attempt = start(make_round(prediction_kind="participant_count"))
    return attempt


@pytest.mark.parametrize(("method", "name", "body"), ENDPOINTS)
def test_a_locked_account_is_refused_on_the_autosave_endpoints(client, taker, attempt, method, name, body):
    set_locked(fresh(taker), True)
    response = call(client, attempt, method, name, body)
    assert response.status_code == 401 and response.get_json()["code"] == "login"


@pytest.mark.parametrize(("method", "name", "body"), ENDPOINTS)
def test_an_erased_account_is_refused_on_the_autosave_endpoints(client, taker, attempt, method, name, body):
    anonymise_user(fresh(taker))
    assert call(client, attempt, method, name, body).status_code == 401


def test_a_save_from_a_locked_account_is_not_stored(client, taker, attempt, save):
    set_locked(fresh(taker), True)
    save(attempt, position=1, selected=[1], seq=1)
    assert questions_of(attempt)[0].selected is None


def test_an_unlocked_account_saves_again_after_signing_in(app, taker, attempt):
    set_locked(fresh(taker), True)
    set_locked(fresh(taker), False)
    again = app.test_client()
    with app.app_context():  # a request of its own, as on a server (the test's context shares ``g``)
        again.post("/login", data={"login": taker.phone, "password": PASSWORD})
    with app.app_context():
        response = again.post(f"/api/attempts/{attempt.id}/answers", json={"position": 1, "selected": [1], "seq": 1})
    assert response.status_code == 200


def test_the_session_that_changed_the_password_keeps_saving(client, taker, attempt, save):
    client.post("/account/password", data={"current_password": PASSWORD, "new_password": "moi-hon-2026",
                                           "new_password_confirm": "moi-hon-2026"})
    assert save(attempt, position=1, selected=[1], seq=1).status_code == 200
