"""The start route checks the session itself (it reads the account in the statement that reads the round, instead
of loading it through Flask-Login's user loader): every session the loader refuses is refused here too, and the
request loads no account through the ORM."""

import pytest
from sqlalchemy import event, func, select

from contest.accounts.management import anonymise_user, reset_password, set_locked
from contest.attempts.models import Attempt
from contest.extensions import db
from tests.accounts.test_sessions_end import alone, fresh, signed_in
from tests.attempts.conftest import OPEN
from tests.conftest import PASSWORD


@pytest.fixture
def person(make_user, frozen_clock):
    frozen_clock(OPEN)
    return make_user()


def start(app, client, round_id):
    return alone(app, lambda: client.post(f"/rounds/{round_id}/start"))


def attempts() -> int:
    return db.session.scalar(select(func.count(Attempt.id)))


def test_a_signed_in_person_starts(app, person, make_round):
    response = start(app, signed_in(app, person), make_round().id)
    assert response.status_code == 302 and response.headers["Location"].startswith("/attempts/")
    assert attempts() == 1


def test_a_session_ended_by_a_password_reset_cannot_start(app, person, make_round):
    round_id = make_round().id
    theirs = signed_in(app, person)
    alone(app, lambda: reset_password(fresh(person)))
    response = start(app, theirs, round_id)
    assert response.status_code == 302 and "/login" in response.headers["Location"] and attempts() == 0


def test_a_locked_account_cannot_start(app, person, make_round):
    round_id = make_round().id
    theirs = signed_in(app, person)
    alone(app, lambda: set_locked(fresh(person), True))
    response = start(app, theirs, round_id)
    assert "/login" in response.headers["Location"] and attempts() == 0


def test_an_erased_account_cannot_start(app, person, make_round):
    round_id = make_round().id
    theirs = signed_in(app, person)
    alone(app, lambda: anonymise_user(fresh(person)))
    response = start(app, theirs, round_id)
    assert "/login" in response.headers["Location"] and attempts() == 0


def test_a_session_of_an_account_that_no_longer_exists_cannot_start(app, person, make_round):
    round_id = make_round().id
    theirs = signed_in(app, person)
    with theirs.session_transaction() as session:
        session["_user_id"] = "999999:1"
    response = start(app, theirs, round_id)
    assert "/login" in response.headers["Location"] and attempts() == 0


def test_an_account_that_must_choose_its_password_is_sent_to_choose_it_before_starting(app, person, make_round):
    round_id = make_round().id
    temporary = alone(app, lambda: reset_password(fresh(person)))
    theirs = signed_in(app, person, password=temporary)
    response = start(app, theirs, round_id)
    assert response.headers["Location"].endswith("/account/first-password") and attempts() == 0


def test_a_remember_me_cookie_alone_starts(app, person, make_round):
    round_id = make_round().id
    mine = signed_in(app, person, remember=True)
    copy = app.test_client()
    copy.set_cookie("remember_token", mine.get_cookie("remember_token").value)
    response = start(app, copy, round_id)
    assert response.headers["Location"].startswith("/attempts/") and attempts() == 1


def test_a_start_without_the_csrf_token_is_refused_and_starts_nothing(make_app, person, make_round):
    app = make_app(WTF_CSRF_ENABLED=True)
    round_id = make_round().id
    client = app.test_client()
    login_page = alone(app, lambda: client.get("/login")).get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    alone(app, lambda: client.post("/login", data={"login": person.login, "password": PASSWORD,
                                                   "csrf_token": token}))
    response = start(app, client, round_id)
    assert response.status_code == 400 and attempts() == 0


def test_a_start_request_loads_no_account_and_sends_three_statements(app, make_user, make_round, frozen_clock):
    frozen_clock(OPEN)
    round_id = make_round().id
    start(app, signed_in(app, make_user()), round_id)  # the round's first start caches its draw data
    client = signed_in(app, make_user())
    sent: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert start(app, client, round_id).status_code == 302
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    # the round's terms with the person's account and attempts, the attempt, its frozen questions
    assert len(sent) == 3 and not any(s.lstrip().upper().startswith("SELECT USERS") for s in sent), sent


def test_the_app_sets_no_default_rate_limit_that_the_skipped_limiter_hook_would_check(app):
    """contest.security.LIMITER_HOOK_SKIPPED skips the limiter's per-request hook on the start: it checks only
    default, application and meta limits there, so there must be none."""
    from contest.extensions import limiter

    manager = limiter.limit_manager
    assert not manager._default_limits and not manager._application_limits and not limiter._meta_limits


def test_the_start_limit_counts_each_person_apart(make_app, make_user, make_round, frozen_clock):
    frozen_clock(OPEN)
    app = make_app(RATELIMIT_ENABLED=True, START_RATE_LIMIT="2 per minute")
    round_id = make_round().id
    first, second = signed_in(app, make_user()), signed_in(app, make_user())
    codes = [start(app, first, round_id).status_code for _ in range(3)]
    assert codes == [302, 302, 429] and start(app, second, round_id).status_code == 302


def unreachable_redis() -> str:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nothing listens there once the socket is closed


def test_with_the_limit_storage_unreachable_the_start_limit_is_counted_by_the_worker(app, make_app, make_user,
                                                                                     make_round, frozen_clock,
                                                                                     caplog):
    frozen_clock(OPEN)
    round_id = make_round().id
    cookie = signed_in(app, make_user()).get_cookie("session").value  # elsewhere: a start is the first to count
    limited = make_app(RATELIMIT_ENABLED=True, START_RATE_LIMIT="2 per minute",
                       RATELIMIT_STORAGE_URI=unreachable_redis())
    client = limited.test_client()
    client.set_cookie("session", cookie)
    codes = [start(limited, client, round_id).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert [r.getMessage() for r in caplog.records if "unreachable" in r.getMessage()] == [
        "Rate-limit storage unreachable: each worker counts attempts.start alone until it answers"]


def test_a_copy_of_an_ended_session_cannot_use_up_the_persons_starts(make_app, person, make_round):
    app = make_app(RATELIMIT_ENABLED=True, START_RATE_LIMIT="2 per minute")
    round_id = make_round().id
    old = signed_in(app, person)
    temporary = alone(app, lambda: reset_password(fresh(person)))
    for _ in range(3):
        start(app, old, round_id)
    current = signed_in(app, person, password=temporary)
    alone(app, lambda: current.post("/account/first-password", data={
        "current_password": temporary, "new_password": "mat-khau-moi-2026", "new_password_confirm": "mat-khau-moi-2026"}))
    response = start(app, current, round_id)
    assert response.headers["Location"].startswith("/attempts/") and attempts() == 1
