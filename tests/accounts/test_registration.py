"""Resident registration rules."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.accounts.models import Consent, User
from contest.extensions import db


@pytest.fixture
def form(make_unit, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))  # 10:00 in Hà Nội
    unit = make_unit()

    def build(**changes):
        data = {"full_name": "Nguyễn Văn An", "birth_date": "1990-05-17", "gender": "nam",
                "phone": "0912 345 678", "password": "mat-khau-dai", "password_confirm": "mat-khau-dai",
                "unit_id": str(unit.id), "address": "", "occupation": "Giáo viên",
                "consent_participate": "y", "consent_publish_name": "y"}
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    return build


def test_registration_creates_a_resident_who_logs_in_with_the_phone(client, form):
    response = client.post("/register", data=form())
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert (user.login, user.phone, user.role) == ("0912345678", "0912345678", "resident")
    assert user.password_hash != "mat-khau-dai" and user.check_password("mat-khau-dai")


def test_both_consents_are_stored_separately(client, form):
    client.post("/register", data=form(consent_publish_name=None))
    user = db.session.scalar(select(User))
    consents = {c.kind: c.granted for c in db.session.scalars(select(Consent).where(Consent.user_id == user.id))}
    assert consents == {"participate": True, "publish_name": False}
    assert user.publish_name is False


def test_registration_without_participation_consent_is_refused(client, form):
    response = client.post("/register", data=form(consent_participate=None))
    assert response.status_code == 422
    assert db.session.scalar(select(User)) is None
    assert "đồng ý" in response.get_data(as_text=True)


def test_person_under_eighteen_is_refused(client, form):
    response = client.post("/register", data=form(birth_date="2008-11-22"))  # 18 tomorrow
    assert response.status_code == 422
    assert "từ đủ 18 tuổi" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_person_turning_eighteen_today_is_accepted(client, form):
    assert client.post("/register", data=form(birth_date="2008-11-21")).status_code == 302


def test_minimum_age_is_configurable(make_app, form):
    app = make_app(MIN_AGE=16)
    response = app.test_client().post("/register", data=form(birth_date="2009-01-01"))
    assert response.status_code == 302


def test_birth_date_in_the_future_is_refused(client, form):
    assert client.post("/register", data=form(birth_date="2027-01-01")).status_code == 422


@pytest.mark.parametrize("phone", ["024 3825 1234", "091234567", "abc", "+84 91 234 56"])
def test_non_mobile_phone_is_refused(client, form, phone):
    response = client.post("/register", data=form(phone=phone))
    assert response.status_code == 422
    assert "10 chữ số" in response.get_data(as_text=True)


def test_duplicate_phone_is_refused_however_it_is_written(client, form):
    assert client.post("/register", data=form()).status_code == 302
    client.post("/logout")
    response = client.post("/register", data=form(phone="+84912345678", full_name="Người Khác"))
    assert response.status_code == 422
    assert "đã được đăng ký" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(User)).all()) == 1


def test_name_is_stored_in_nfc(client, form):
    import unicodedata

    client.post("/register", data=form(full_name=unicodedata.normalize("NFD", "  Trần   Thị Hồng  ")))
    assert db.session.scalar(select(User.full_name)) == "Trần Thị Hồng"


def test_mismatched_password_confirmation_is_refused(client, form):
    assert client.post("/register", data=form(password_confirm="khac-hoan-toan")).status_code == 422


def test_short_password_is_refused(client, form):
    assert client.post("/register", data=form(password="ngan", password_confirm="ngan")).status_code == 422


def test_unit_must_be_chosen(client, form):
    assert client.post("/register", data=form(unit_id="0")).status_code == 422


def test_registration_is_rate_limited(make_app, form):
    app = make_app(RATELIMIT_ENABLED=True, REGISTER_RATE_LIMIT="2 per minute")
    client = app.test_client()
    codes = [client.post("/register", data=form(phone=f"091234567{i}")).status_code for i in range(3)]
    assert codes[-1] == 429


def test_the_most_common_password_is_refused_in_vietnamese(client, form):
    response = client.post("/register", data=form(password="12345678", password_confirm="12345678"))
    assert response.status_code == 422 and "phổ biến" in response.get_data(as_text=True)
    assert db.session.scalar(select(User.id)) is None


def test_a_unit_that_is_not_on_the_list_is_refused_in_vietnamese(client, form):
    response = client.post("/register", data=form(unit_id="999999"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Lựa chọn không hợp lệ" in body and "Not a valid" not in body
