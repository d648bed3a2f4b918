"""Corrections the privacy page promises: an organiser corrects a birth date, phone or gender (audited with
the reason, by the registration's rules); a resident asks for it from their account page; "Quên mật khẩu?"
explains the ward's path."""

from datetime import date

import pytest
from sqlalchemy import select

from contest.accounts.models import User
from contest.audit.models import AuditEntry
from contest.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def _correct(client, person, **changes):
    data = {"birth_date": person.birth_date.isoformat() if person.birth_date else "", "phone": person.phone or "",
            "gender": person.gender or "", "reason": "Đã đối chiếu CCCD"}
    data.update(changes)
    return client.post(f"/admin/users/{person.id}/correct", data=data)


def _fresh(person) -> User:
    db.session.expire_all()
    return db.session.get(User, person.id)


def test_an_organiser_corrects_a_birth_date(client, organiser, make_user):
    person = make_user(birth_date=date(1980, 1, 1))
    response = _correct(client, person, birth_date="1968-03-12")
    assert response.status_code == 302 and _fresh(person).birth_date == date(1968, 3, 12)


def test_a_correction_is_audited_with_its_reason(client, organiser, make_user):
    person = make_user(birth_date=date(1980, 1, 1))
    _correct(client, person, birth_date="1968-03-12", reason="Theo giấy khai sinh")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.correct"))
    assert entry.changes["birth_date"] == ["1980-01-01", "1968-03-12"] and entry.changes["reason"] == \
        "Theo giấy khai sinh" and entry.actor_id == organiser.id


def test_a_correction_without_a_reason_is_refused(client, organiser, make_user):
    person = make_user(birth_date=date(1980, 1, 1))
    response = _correct(client, person, birth_date="1968-03-12", reason="  ")
    assert response.status_code == 422 and "lý do" in response.get_data(as_text=True)
    assert _fresh(person).birth_date == date(1980, 1, 1)


def test_a_birth_date_in_the_future_is_refused(client, organiser, make_user):
    person = make_user()
    response = _correct(client, person, birth_date="2030-01-01")
    assert response.status_code == 422 and "sau ngày hôm nay" in response.get_data(as_text=True)


def test_a_phone_typed_with_full_width_digits_and_spaces_is_stored_as_ten_ascii_digits(client, organiser, make_user):
    person = make_user()
    _correct(client, person, phone="０９１２ ３４５ ６７８")
    assert _fresh(person).phone == "0912345678"


def test_a_phone_used_by_another_account_is_refused(client, organiser, make_user):
    other = make_user()
    person = make_user()
    response = _correct(client, person, phone=other.phone)
    assert response.status_code == 422 and "đã được dùng" in response.get_data(as_text=True)
    assert _fresh(person).phone != other.phone


def test_a_phone_that_is_not_a_mobile_number_is_refused(client, organiser, make_user):
    person = make_user()
    response = _correct(client, person, phone="0241234567")
    assert response.status_code == 422 and "số di động" in response.get_data(as_text=True)


def test_a_resident_signs_in_with_the_corrected_phone(client, organiser, make_user):
    person = make_user()
    _correct(client, person, phone="0912345678")
    client.post("/logout")
    response = client.post("/login", data={"login": "0912345678", "password": PASSWORD})
    assert response.status_code == 302 and _fresh(person).login == "0912345678"


def test_an_organiser_corrects_a_gender(client, organiser, make_user):
    person = make_user(gender="nam")
    _correct(client, person, gender="nu")
    assert _fresh(person).gender == "nu"


def test_a_resident_files_a_correction_request(client, make_user, login):
    person = make_user()
    login(person.login)
    response = client.post("/account/correction-request", data={"text": "Ngày sinh đúng là 12/03/1968"})
    assert response.status_code == 302 and _fresh(person).correction_request == "Ngày sinh đúng là 12/03/1968"


def test_an_empty_correction_request_is_refused(client, make_user, login):
    person = make_user()
    login(person.login)
    response = client.post("/account/correction-request", data={"text": ""})
    assert response.status_code == 422 and _fresh(person).correction_requested_at is None


def test_the_organiser_sees_pending_correction_requests(client, make_user, login):
    asking, quiet = make_user(full_name="Lê Văn Hỏi"), make_user(full_name="Phan Thị Lặng")
    login(asking.login)
    client.post("/account/correction-request", data={"text": "Giới tính đúng là nữ"})
    client.post("/logout")
    make_user(role="organiser", login="btc")
    login("btc")
    page = client.get("/admin/users?correction=1").get_data(as_text=True)
    assert "Lê Văn Hỏi" in page and quiet.full_name not in page
    assert "Giới tính đúng là nữ" in client.get(f"/admin/users/{asking.id}").get_data(as_text=True)


def test_correcting_settles_the_persons_request(client, make_user, login):
    person = make_user(gender="nam")
    login(person.login)
    client.post("/account/correction-request", data={"text": "Giới tính đúng là nữ"})
    client.post("/logout")
    make_user(role="organiser", login="btc")
    login("btc")
    _correct(client, _fresh(person), gender="nu")
    person = _fresh(person)
    assert (person.gender, person.correction_request, person.correction_requested_at) == ("nu", None, None)


def test_a_resident_cannot_open_the_correction_form(client, make_user, login):
    person = make_user()
    login(person.login)
    assert client.get(f"/admin/users/{person.id}/correct").status_code == 403


def test_the_sign_in_page_links_to_forgot_password(client):
    assert 'href="/forgot-password"' in client.get("/login").get_data(as_text=True)


def test_forgot_password_explains_the_organisers_temporary_password(client):
    page = client.get("/forgot-password").get_data(as_text=True)
    assert "mật khẩu tạm thời" in page and "Ban tổ chức" in page
