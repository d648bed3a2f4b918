"""A deletion request on a 360 px phone: confirmed before it is made, withdrawn while nobody acted on it."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from contest.accounts.models import User
from contest.extensions import db
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def requested_at(app):
    with app.app_context():
        return db.session.scalar(sa.select(User.deletion_requested_at).where(User.phone == "0987654321"))


@pytest.fixture
def account_page(live_server, seeded, resident, phone_page):
    seeded()
    sign_in(phone_page, live_server.url, *resident())
    phone_page.goto(live_server.url + "/account")
    return phone_page


def test_asking_for_deletion_needs_a_confirmation(live_server, account_page):
    page = account_page
    page.get_by_role("link", name="Yêu cầu xóa dữ liệu của tôi…").click()
    expect(page.get_by_role("heading", name="Yêu cầu xóa dữ liệu cá nhân?")).to_be_visible()
    assert requested_at(live_server.app) is None
    page.get_by_role("link", name="Không, quay lại").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()
    assert requested_at(live_server.app) is None


def test_a_confirmed_deletion_request_can_be_cancelled(live_server, account_page):
    page = account_page
    page.get_by_role("link", name="Yêu cầu xóa dữ liệu của tôi…").click()
    page.get_by_role("button", name="Xác nhận yêu cầu xóa dữ liệu").click()
    expect(page.get_by_text("Đã ghi nhận yêu cầu xóa dữ liệu")).to_be_visible()
    assert requested_at(live_server.app) is not None
    page.get_by_role("button", name="Hủy yêu cầu xóa dữ liệu").click()
    expect(page.get_by_text("Đã hủy yêu cầu xóa dữ liệu")).to_be_visible()
    assert requested_at(live_server.app) is None
    expect(page.get_by_role("link", name="Yêu cầu xóa dữ liệu của tôi…")).to_be_visible()


def test_the_confirmation_page_passes_axe_and_tap_targets(live_server, account_page):
    from tests.e2e.a11y import assert_accessible

    account_page.get_by_role("link", name="Yêu cầu xóa dữ liệu của tôi…").click()
    assert_accessible(account_page)
