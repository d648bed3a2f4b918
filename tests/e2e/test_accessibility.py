"""axe-core and tap targets on a 360 px phone: every public page, the attempt, submit and result pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import sign_in
from tests.e2e.test_results_pages import published  # noqa: F401 - the closed, published round fixture

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = ["/", "/login", "/register", "/privacy", "/contests/thi-cchc", "/contests/thi-cchc/rounds/1/standings",
                "/contests/thi-cchc/units", "/contests/thi-cchc/rounds/1/winners",
                "/contests/thi-cchc/rounds/1/announcement", "/contests/thi-cchc/standings", "/trang-khong-co"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_serious_axe_violation_and_large_tap_targets(live_server, published, phone_page,  # noqa: F811
                                                                        path):
    phone_page.goto(live_server.url + path)
    assert_accessible(phone_page)


def test_attempt_submit_and_result_pages_have_no_serious_axe_violation_and_large_tap_targets(
        live_server, seeded, resident, phone_page):
    seeded()
    page = phone_page
    sign_in(page, live_server.url, *resident())
    assert_accessible(page)
    page.goto(live_server.url + "/contests/thi-thu")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d$"))
    assert_accessible(page)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Nộp bài")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Xác nhận nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/account")
    assert_accessible(page)
