"""A resident registers and logs in on a 360 px phone, in real Chromium."""

import pytest
from playwright.sync_api import expect

from contest.units.service import import_units
from tests.e2e.conftest import fill_registration

pytestmark = pytest.mark.e2e


@pytest.fixture
def units(live_server):
    with live_server.app.app_context():
        report = import_units("Mã đơn vị,Tên đơn vị,Loại,Số người\nTDP-07,Tổ dân phố số 7,Tổ dân phố,598\n"
                              .encode(), "units.csv")
        assert report.ok


def test_resident_registers_and_logs_in_on_a_phone(live_server, units, phone_page):
    page = phone_page
    fill_registration(page, live_server.url, phone="0987 654 321")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text("Đăng ký thành công")).to_be_visible()

    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(live_server.url + "/login")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("0987654321")
    page.get_by_label("Mật khẩu").fill("mai-1975-tdp7")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url + "/account")
    expect(page.get_by_text("Lê Thị Mai")).to_be_visible()
    expect(page.get_by_text("Tổ dân phố số 7")).to_be_visible()


def test_registration_errors_are_shown_beside_the_field(live_server, units, phone_page):
    page = phone_page
    fill_registration(page, live_server.url, name="Phạm Văn Bình", birth="2012-01-01", gender="Nam",
                      phone="024 3825 1234", password="mat-khau-dai")
    page.get_by_role("button", name="Đăng ký").click()
    # Both problems are shown together, each under its own field.
    expect(page.locator("#phone-err")).to_contain_text("10 chữ số")
    expect(page.locator("#birth_date-err")).to_contain_text("từ đủ 18 tuổi")
