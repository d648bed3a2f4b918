"""Signing out ends the session on the server: a copy of the session cookie no longer opens the account."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_a_copied_session_cookie_does_not_open_the_account_after_sign_out(live_server, seeded, resident, browser,
                                                                          phone_page):
    seeded()
    page = phone_page
    sign_in(page, live_server.url, *resident())
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    copied = page.context.cookies()
    thief = browser.new_context()
    try:
        thief.add_cookies(copied)
        other = thief.new_page()
        other.goto(live_server.url + "/account")
        expect(other.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_text("Bạn đã đăng xuất")).to_be_visible()
        other.goto(live_server.url + "/account")
        expect(other).to_have_url(f"{live_server.url}/login?next=%2Faccount")
    finally:
        thief.close()
