"""Full-width digits typed on a phone keyboard are the same number as ASCII ones: no second account for
one phone, no 500 for a CCCD."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.contests.models import Contest
from contest.extensions import db


@pytest.fixture
def form(make_unit, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    unit = make_unit()

    def build(phone, name="Nguyễn Văn An"):
        return {"full_name": name, "birth_date": "1990-05-17", "gender": "nam", "phone": phone,
                "password": "mat-khau-dai", "password_confirm": "mat-khau-dai", "unit_id": str(unit.id),
                "consent_participate": "y"}

    return build


def test_a_full_width_phone_cannot_register_a_second_account(app, form):
    first, second = app.test_client(), app.test_client()
    with app.app_context():
        assert first.post("/register", data=form("0388000001")).status_code == 302
    with app.app_context():
        response = second.post("/register", data=form("03880000０１", "Người Khác"))
    assert response.status_code == 422 and "đã được đăng ký" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_full_width_phone_signs_in_to_the_ascii_account(client, make_user, login):
    make_user(phone="0388000001")
    assert login("0388000001".replace("01", "０１")).status_code == 302


def test_a_full_width_cccd_is_accepted_as_its_digits(client, make_user, login):
    contest = Contest(slug="thi-cccd", title="Có CCCD", requires_cccd=True, is_published=True)
    db.session.add(contest)
    db.session.commit()
    login(make_user().phone)
    response = client.post("/contests/thi-cccd/cccd", data={"cccd": "００１２０３００４５６７"})
    assert response.status_code == 302
