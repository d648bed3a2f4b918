"""An export from the console in real Chromium: asked on the exports page, prepared as a background job whose
progress page downloads the file by itself when ready, and passes the accessibility check."""

import pytest
from playwright.sync_api import expect

from contest.accounts.service import create_organiser
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def office_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_an_export_asked_on_the_exports_page_is_downloaded_from_its_progress_page(live_server, seeded,
                                                                                   office_page):
    seeded()
    with live_server.app.app_context():
        create_organiser("btc", "Phòng Văn hóa – Xã hội", "btc-mat-khau-2026")
    page = office_page
    sign_in(page, live_server.url, "btc", "btc-mat-khau-2026")
    page.goto(live_server.url + "/admin/exports")
    with page.expect_download() as info:
        page.locator("#xuat-unit-stats").get_by_role("button", name="Tải CSV").click()
    assert info.value.suggested_filename.startswith("thong-ke-don-vi_")
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("link", name="Tải tệp")).to_be_visible()
    assert "tai-ve" not in page.url  # a reload does not download the file again
    assert_accessible(page)
