"""Small things an organiser reads in the console (1366 px): Vietnamese decimal commas on the charts."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from contest.accounts.service import create_organiser
from contest.extensions import db
from contest.units.models import Unit
from tests.e2e.conftest import sign_in
from tests.e2e.test_phone_pages import ward  # noqa: F401 - the sample ward, 5 residents of thousands

pytestmark = pytest.mark.e2e


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_dashboard_participation_axis_writes_decimals_with_a_comma(live_server, ward, desk):  # noqa: F811
    with live_server.app.app_context():
        create_organiser("btc", "Ban tổ chức", "btc-mat-khau-2026")
        db.session.execute(sa.update(Unit).values(headcount=10_000))  # every rate under 0.1 %: decimal ticks
        db.session.commit()
    sign_in(desk, live_server.url, "btc", "btc-mat-khau-2026")
    desk.goto(live_server.url + "/admin/dashboard")
    expect(desk.locator("#chart-units")).to_be_visible()
    labels = desk.evaluate("document.getElementById('chart-units').chart.scales.x.ticks.map(t => t.label)")
    assert any("," in label for label in labels), labels
    assert not any("." in label for label in labels), labels
