"""Organisers manage accounts: reset a password, lock, grant a unit, erase data on request; all audited."""

import pytest
from sqlalchemy import select

from contest.accounts.models import ContestIdentity, User
from contest.attempts.models import Attempt
from contest.audit.models import AuditEntry
from contest.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def actions():
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_users_are_found_by_name(client, organiser, make_user):
    make_user(full_name="Nguyễn Văn Tìm")
    make_user(full_name="Lê Thị Khác")
    body = client.get("/admin/users?q=Tìm").get_data(as_text=True)
    assert "Nguyễn Văn Tìm" in body and "Lê Thị Khác" not in body


def test_reset_password_shows_a_temporary_password_once(client, organiser, make_user):
    person = make_user()
    response = client.post(f"/admin/users/{person.id}/reset-password")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = response.get_data(as_text=True).split('data-testid="temporary-password">')[1].split("<")[0]
    db.session.refresh(person)
    assert person.check_password(password) and not person.check_password(PASSWORD)
    assert person.must_change_password and actions() == ["user.reset_password"]
    assert password not in str(db.session.scalar(select(AuditEntry)).changes)


def alone(app, call):
    """Run one request in its own app context, as a server does (the test's context would share ``g``,
    and with it the signed-in user, between two clients)."""
    with app.app_context():
        return call()


def test_a_temporary_password_must_be_changed_before_anything_else(client, organiser, make_user, login, app):
    person = make_user()
    body = alone(app, lambda: client.post(f"/admin/users/{person.id}/reset-password").get_data(as_text=True))
    password = body.split('data-testid="temporary-password">')[1].split("<")[0]
    other = app.test_client()
    alone(app, lambda: other.post("/login", data={"login": person.login, "password": password}))
    response = alone(app, lambda: other.get("/"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/first-password")


def test_a_locked_account_loses_its_open_session(client, organiser, make_user, app):
    person = make_user()
    theirs = app.test_client()
    alone(app, lambda: theirs.post("/login", data={"login": person.login, "password": PASSWORD}))
    assert alone(app, lambda: theirs.get("/account")).status_code == 200
    alone(app, lambda: client.post(f"/admin/users/{person.id}/lock"))
    assert alone(app, lambda: theirs.get("/account")).status_code == 302
    assert actions() == ["user.lock"]


def test_a_locked_account_can_be_unlocked(client, organiser, make_user):
    person = make_user(is_locked=True)
    client.post(f"/admin/users/{person.id}/unlock")
    db.session.refresh(person)
    assert not person.is_locked and actions() == ["user.unlock"]


def test_organiser_accounts_cannot_be_locked_here(client, organiser, make_user):
    other = make_user(role="organiser", login="btc2")
    response = client.post(f"/admin/users/{other.id}/lock", follow_redirects=True)
    db.session.refresh(other)
    assert not other.is_locked and "Ban tổ chức" in response.get_data(as_text=True)


def test_granting_a_unit_makes_a_unit_manager(client, organiser, make_user, make_unit):
    unit = make_unit(code="KDC-9", name="Khu dân cư 9", kind="office")
    person = make_user(role="official")
    client.post(f"/admin/users/{person.id}/unit-manager", data={"unit_id": unit.id})
    db.session.refresh(person)
    assert person.role == "unit_manager" and person.managed_unit_id == unit.id
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "user.role" and entry.changes["managed_unit"] == [None, "KDC-9"]


def test_revoking_returns_a_residential_manager_to_resident(client, organiser, make_user, make_unit):
    home = make_unit()
    person = make_user(role="unit_manager", unit=home, managed_unit_id=home.id)
    client.post(f"/admin/users/{person.id}/unit-manager/revoke")
    db.session.refresh(person)
    assert person.role == "resident" and person.managed_unit_id is None


def test_erasing_on_request_keeps_results_anonymous(client, organiser, make_user, make_round, take):
    from contest import clock

    round_ = make_round()
    person = make_user(full_name="Trần Thị Xóa", email="xoa@example.vn")
    take(person, round_)
    db.session.add(ContestIdentity(contest_id=round_.contest_id, user_id=person.id, cccd_hash="x" * 64,
                                   cccd_last4="1234"))
    person.deletion_requested_at = clock.now()
    db.session.commit()
    client.post(f"/admin/users/{person.id}/anonymise")
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.full_name.startswith("Người dùng đã xóa") and person.phone is None and person.birth_date is None
    assert person.email is None and person.is_locked and person.anonymised_at is not None
    assert db.session.scalar(select(ContestIdentity)) is None
    assert db.session.scalar(select(Attempt).where(Attempt.user_id == person.id)).score is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.delete"))
    assert "Trần Thị Xóa" not in str(entry.changes) + entry.summary


def test_pending_deletion_requests_can_be_listed(client, organiser, make_user):
    from contest import clock

    make_user(full_name="Người Muốn Xóa", deletion_requested_at=clock.now())
    make_user(full_name="Người Bình Thường")
    body = client.get("/admin/users?deletion=1").get_data(as_text=True)
    assert "Người Muốn Xóa" in body and "Người Bình Thường" not in body
