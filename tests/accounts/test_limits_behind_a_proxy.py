"""Limits that hold: per real client behind a trusted proxy, per account whichever name it is given by, and
a sign-in that costs the same time whether or not the account exists."""

import statistics
import time

from sqlalchemy import select

from contest.audit.models import AuditEntry
from contest.extensions import db
from tests.conftest import PASSWORD

PROXY = {"REMOTE_ADDR": "127.0.0.1"}


def wrong_login(client, login, forwarded_for=None, remote="127.0.0.1"):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/login", data={"login": login, "password": "sai-mat-khau"}, headers=headers,
                       environ_base={"REMOTE_ADDR": remote}).status_code


def test_guesses_at_one_account_by_its_phone_and_its_email_count_together(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")
    user = make_user(email="an.nv@taymo.gov.vn")
    names = [user.phone, "AN.NV@taymo.gov.vn", "+84" + user.phone[1:], user.phone]
    codes = [wrong_login(app.test_client(), name, remote=f"10.0.0.{i}") for i, name in enumerate(names)]
    assert codes == [401, 401, 401, 429]


def test_behind_a_proxy_one_client_cannot_spend_another_clients_budget(make_app):
    app = make_app(RATELIMIT_ENABLED=True, PROXY_FIX_HOPS=1, LOGIN_RATE_LIMIT="3 per minute")
    attacker, neighbour = app.test_client(), app.test_client()
    codes = [wrong_login(attacker, f"09000000{i:02d}", "203.0.113.66") for i in range(4)]
    assert codes[-1] == 429
    assert wrong_login(neighbour, "0911111111", "198.51.100.7") == 401


def test_without_the_proxy_setting_a_forged_forwarded_for_changes_nothing(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [wrong_login(client, f"09000000{i:02d}", f"203.0.113.{i}", remote="192.0.2.1") for i in range(4)]
    assert codes[-1] == 429


def test_behind_a_proxy_the_audit_log_records_the_clients_address(make_app, make_user):
    app = make_app(PROXY_FIX_HOPS=1)
    make_user(role="organiser", login="btc")
    person_id = make_user().id
    client = app.test_client()
    headers = {"X-Forwarded-For": "203.0.113.9"}
    with app.app_context():
        client.post("/login", data={"login": "btc", "password": PASSWORD}, headers=headers, environ_base=PROXY)
    with app.app_context():
        client.post(f"/admin/users/{person_id}/lock", headers=headers, environ_base=PROXY)
    assert db.session.scalar(select(AuditEntry.ip).where(AuditEntry.action == "user.lock")) == "203.0.113.9"


def _median_seconds(app, login, tries=3):
    times = []
    for _ in range(tries):
        client = app.test_client()
        with app.app_context():
            start = time.perf_counter()
            client.post("/login", data={"login": login, "password": "sai-mat-khau"})
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_signing_in_takes_as_long_for_an_unknown_phone_as_for_a_known_one(app, make_user):
    known = make_user().phone
    _median_seconds(app, known, 1)  # warm up both paths
    _median_seconds(app, "0999999999", 1)
    known_time, unknown_time = _median_seconds(app, known), _median_seconds(app, "0999999999")
    assert unknown_time > 0.5 * known_time, (known_time, unknown_time)
