"""In real Chromium, the Content-Security-Policy blocks nothing on the pages people use: every script and
style comes from our files (the attempt page is left out until its inline script has moved to its file)."""

import pytest

from contest.accounts.service import create_organiser
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

PUBLIC = ["/", "/login", "/register", "/privacy", "/khong-co-trang-nay"]
ORGANISER = ["/admin/", "/admin/dashboard", "/admin/units", "/admin/banks", "/admin/banks/upload",
             "/admin/roster", "/admin/exports", "/admin/unit-stats", "/admin/audit", "/admin/users",
             "/admin/surveys", "/admin/results", "/account"]


@pytest.fixture
def office_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked = []
    page.on("console", lambda message: blocked.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: blocked.append(f"{page.url}: {error}"))
    yield page, blocked
    context.close()


def test_the_policy_blocks_nothing_on_public_and_console_pages(live_server, seeded, office_page):
    seeded()
    with live_server.app.app_context():
        create_organiser("btc", "Phòng Văn hóa – Xã hội", "btc-mat-khau-2026")
    page, blocked = office_page
    for path in PUBLIC:
        page.goto(live_server.url + path)
    sign_in(page, live_server.url, "btc", "btc-mat-khau-2026")
    for path in ORGANISER:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    assert not blocked, "\n".join(blocked)


def test_the_dashboard_chart_is_sized_by_the_page_script(live_server, seeded, office_page):
    seeded()
    with live_server.app.app_context():
        create_organiser("btc", "Phòng Văn hóa – Xã hội", "btc-mat-khau-2026")
    page, _ = office_page
    sign_in(page, live_server.url, "btc", "btc-mat-khau-2026")
    page.goto(live_server.url + "/admin/dashboard")
    sized = page.locator("[data-height]").first
    assert sized.evaluate("el => el.style.height") == sized.get_attribute("data-height") + "px"
