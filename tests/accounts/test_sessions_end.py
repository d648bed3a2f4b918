"""Sessions that end: a password change or reset, a lock, an erasure or signing out ends every session and
remember-me cookie of the account on the server, not only in the browser that asked."""

import pytest

from contest.accounts.management import anonymise_user, reset_password, set_locked
from contest.accounts.models import User
from contest.extensions import db
from tests.conftest import PASSWORD

NEW = "mat-khau-moi-2026"


@pytest.fixture
def person(make_user):
    return make_user()


def alone(app, call):
    """One request in its own app context, as a server runs it (the test's context would share ``g``, and
    with it the signed-in user, between two clients)."""
    with app.app_context():
        return call()


def signed_in(app, person, remember=False, password=PASSWORD):
    client = app.test_client()
    data = {"login": person.login, "password": password}
    if remember:
        data["remember"] = "y"
    assert alone(app, lambda: client.post("/login", data=data)).status_code == 302
    return client


def account_page(app, client) -> int:
    return alone(app, lambda: client.get("/account")).status_code


def fresh(person) -> User:
    db.session.expire_all()
    return db.session.get(User, person.id)


def test_an_organiser_reset_ends_the_session_signed_in_before_it(app, person):
    theirs = signed_in(app, person)
    alone(app, lambda: reset_password(fresh(person)))
    assert account_page(app, theirs) == 302


def test_a_session_from_before_the_reset_cannot_choose_the_new_password(app, person):
    theirs = signed_in(app, person)
    alone(app, lambda: reset_password(fresh(person)))
    alone(app, lambda: theirs.post("/account/first-password", data={
        "current_password": "", "new_password": NEW, "new_password_confirm": NEW}))
    assert fresh(person).must_change_password and not fresh(person).check_password(NEW)


def test_the_first_password_page_asks_for_the_temporary_password(app, person):
    temporary = alone(app, lambda: reset_password(fresh(person)))
    client = app.test_client()
    alone(app, lambda: client.post("/login", data={"login": person.login, "password": temporary}))
    response = alone(app, lambda: client.post("/account/first-password", data={
        "current_password": "doan-bua-123", "new_password": NEW, "new_password_confirm": NEW}))
    assert response.status_code == 422 and "không đúng" in response.get_data(as_text=True)
    assert not fresh(person).check_password(NEW)


def test_the_first_password_is_set_with_the_temporary_password(app, person):
    temporary = alone(app, lambda: reset_password(fresh(person)))
    client = app.test_client()
    alone(app, lambda: client.post("/login", data={"login": person.login, "password": temporary}))
    response = alone(app, lambda: client.post("/account/first-password", data={
        "current_password": temporary, "new_password": NEW, "new_password_confirm": NEW}))
    assert response.status_code == 302 and fresh(person).check_password(NEW)
    assert account_page(app, client) == 200


def change_password(app, client):
    return alone(app, lambda: client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW}))


def test_changing_ones_password_ends_the_other_sessions(app, person):
    mine, other = signed_in(app, person), signed_in(app, person)
    assert change_password(app, mine).status_code == 302
    assert account_page(app, other) == 302


def test_changing_ones_password_keeps_the_session_that_changed_it(app, person):
    mine = signed_in(app, person, remember=True)
    change_password(app, mine)
    assert account_page(app, mine) == 200


def test_changing_ones_password_ends_the_remember_cookie(app, person):
    mine = signed_in(app, person, remember=True)
    stolen = app.test_client()
    stolen.set_cookie("remember_token", mine.get_cookie("remember_token").value)
    change_password(app, mine)
    assert account_page(app, stolen) == 302


def test_a_remember_cookie_alone_still_signs_in_while_nothing_changed(app, person):
    mine = signed_in(app, person, remember=True)
    copy = app.test_client()
    copy.set_cookie("remember_token", mine.get_cookie("remember_token").value)
    assert account_page(app, copy) == 200


def test_signing_out_ends_a_copy_of_the_session_cookie(app, person):
    mine = signed_in(app, person)
    copy = app.test_client()
    copy.set_cookie("session", mine.get_cookie("session").value)
    assert account_page(app, copy) == 200
    alone(app, lambda: mine.post("/logout"))
    assert account_page(app, copy) == 302


def test_signing_out_ends_the_remember_cookie(app, person):
    mine = signed_in(app, person, remember=True)
    copy = app.test_client()
    copy.set_cookie("remember_token", mine.get_cookie("remember_token").value)
    alone(app, lambda: mine.post("/logout"))
    assert account_page(app, copy) == 302


def test_a_lock_ends_the_remember_cookie(app, person):
    mine = signed_in(app, person, remember=True)
    copy = app.test_client()
    copy.set_cookie("remember_token", mine.get_cookie("remember_token").value)
    alone(app, lambda: set_locked(fresh(person), True))
    alone(app, lambda: set_locked(fresh(person), False))
    assert account_page(app, copy) == 302


def test_an_erasure_ends_the_session(app, person):
    theirs = signed_in(app, person)
    alone(app, lambda: anonymise_user(fresh(person)))
    assert account_page(app, theirs) == 302


def test_a_session_cookie_without_a_version_is_no_session(app, person):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(person.id)
    assert account_page(app, client) == 302
