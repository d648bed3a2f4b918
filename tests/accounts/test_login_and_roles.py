"""Sign-in, sign-out, password change, and who may open organiser pages."""

import pytest

from tests.conftest import PASSWORD


def test_resident_logs_in_with_phone_and_password(client, make_user, login):
    user = make_user()
    response = login(user.phone)
    assert response.status_code == 302
    assert user.full_name in client.get("/account").get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_user, login):
    user = make_user()
    response = login(user.phone, "sai-mat-khau")
    assert response.status_code == 401
    assert "hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_locked_account_cannot_log_in(make_user, login):
    user = make_user(is_locked=True)
    assert login(user.phone).status_code == 401


def test_logout_needs_a_post(client, make_user, login):
    user = make_user()
    login(user.phone)
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/account").status_code == 302


def test_password_change_needs_the_current_password(client, make_user, login):
    user = make_user()
    login(user.phone)
    data = {"current_password": "sai", "new_password": "mat-khau-moi-1", "new_password_confirm": "mat-khau-moi-1"}
    assert client.post("/account/password", data=data).status_code == 422
    data["current_password"] = PASSWORD
    assert client.post("/account/password", data=data).status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"login": user.phone, "password": "mat-khau-moi-1"}).status_code == 302


def test_guessing_one_accounts_password_is_rate_limited_from_any_address(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")
    user = make_user()
    codes = [app.test_client().post("/login", data={"login": user.phone, "password": "sai"},
                                    environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]


def test_login_is_rate_limited(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    user = make_user()
    client = app.test_client()
    codes = [client.post("/login", data={"login": user.phone, "password": "sai"}).status_code for _ in range(4)]
    assert codes[:3] == [401, 401, 401] and codes[3] == 429
    assert "thao tác quá nhanh" in client.post("/login", data={"login": "x", "password": "y"}).get_data(as_text=True)


def test_login_does_not_follow_next_to_another_site(make_user, login, client):
    user = make_user()
    response = client.post("/login?next=https://evil.example/", data={"login": user.phone, "password": PASSWORD})
    assert response.headers["Location"] == "/"


ORGANISER_PAGES = ["/admin/", "/admin/contests/new", "/admin/units", "/admin/banks"]


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_anonymous_visitor_is_sent_to_login_from_organiser_pages(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["resident", "official", "unit_manager"])
@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_non_organisers_get_403_on_organiser_pages(client, make_user, login, role, path):
    user = make_user(role=role)
    login(user.login)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_organiser_opens_organiser_pages(client, make_user, login, path):
    user = make_user(role="organiser", login="btc")
    login(user.login)
    assert client.get(path).status_code == 200


def test_create_organiser_command_makes_an_organiser_who_can_log_in(runner, login):
    result = runner.invoke(args=["users", "create-organiser", "--login", "pvhxh", "--name", "Phòng VH-XH",
                                 "--password", "mat-khau-btc-1"])
    assert result.exit_code == 0, result.output
    assert login("pvhxh", "mat-khau-btc-1").status_code == 302


def test_person_corrects_their_own_details(client, make_user, make_unit, login):
    user = make_user()
    other_unit = make_unit(name="Tổ dân phố số 12")
    login(user.phone)
    response = client.post("/account/edit", data={"full_name": "  Đỗ   Văn Hải ", "unit_id": str(other_unit.id),
                                                  "address": "Ngõ 5", "occupation": ""})
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "Đỗ Văn Hải" in page and "Tổ dân phố số 12" in page and "Ngõ 5" in page


def test_person_can_ask_for_their_data_to_be_deleted(client, make_user, login):
    user = make_user()
    login(user.phone)
    client.post("/account/delete-request")
    assert "Bạn đã yêu cầu xóa dữ liệu" in client.get("/account").get_data(as_text=True)


def test_a_common_password_cannot_replace_ones_own(client, make_user, login):
    login(make_user().phone)
    data = {"current_password": PASSWORD, "new_password": "matkhau123", "new_password_confirm": "matkhau123"}
    response = client.post("/account/password", data=data)
    assert response.status_code == 422 and "phổ biến" in response.get_data(as_text=True)


def test_deletion_request_is_not_withdrawn_once_the_data_is_erased(app, make_user):
    from contest import clock
    from contest.accounts.service import cancel_deletion
    from contest.extensions import db

    user = make_user()
    user.deletion_requested_at = user.anonymised_at = clock.now()
    db.session.commit()
    assert cancel_deletion(user) is False
    assert user.deletion_requested_at is not None
