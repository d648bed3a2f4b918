"""Signing in with a one-time code leads to choosing a password, before anything else."""

import pytest

from contest.accounts.models import User
from contest.accounts.roster_service import import_roster
from contest.extensions import db

ROSTER = "Họ và tên,Đơn vị,Số điện thoại\nNguyễn Văn An,VP,0912345678\n".encode()


@pytest.fixture
def code(make_unit):
    make_unit("VP", "Văn phòng", kind="office")
    [issued] = import_roster(ROSTER, "roster.csv").codes
    return issued.code


def test_signing_in_with_the_code_leads_to_choosing_a_password(code, client, login):
    response = login("0912345678", code)
    assert response.status_code == 302 and response.location.endswith("/account/first-password")
    assert "Đặt mật khẩu mới" in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/account", "/account/password", "/admin/surveys", "/contests/x"])
def test_every_page_waits_for_the_new_password(code, client, login, path):
    login("0912345678", code)
    response = client.get(path)
    assert response.status_code == 302 and response.location.endswith("/account/first-password")


def test_json_requests_are_refused_until_the_password_is_chosen(code, client, login):
    login("0912345678", code)
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 403 and "mật khẩu mới" in response.get_json()["error"]


def test_after_choosing_a_password_the_code_no_longer_works(code, client, login):
    login("0912345678", code)
    response = client.post("/account/first-password", data={"current_password": code, "new_password": "an-taymo-2026",
                                                            "new_password_confirm": "an-taymo-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    user = db.session.scalar(db.select(User).where(User.phone == "0912345678"))
    assert not user.must_change_password
    client.post("/logout")
    assert login("0912345678", code).status_code == 401
    assert login("0912345678", "an-taymo-2026").status_code == 302


def test_the_code_itself_cannot_be_kept_as_the_password(code, client, login):
    login("0912345678", code)
    response = client.post("/account/first-password", data={"current_password": code, "new_password": code,
                                                            "new_password_confirm": code})
    assert response.status_code == 422 and "khác mã" in response.get_data(as_text=True)


def test_signing_out_stays_possible(code, client, login):
    login("0912345678", code)
    assert client.post("/logout").status_code == 302
