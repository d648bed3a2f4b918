"""Registration on a 360 px phone: every mistake at once, a summary at the top that links to each field."""

import re

import pytest
from playwright.sync_api import expect

from contest.units.service import import_units
from tests.e2e.conftest import fill_registration

pytestmark = pytest.mark.e2e


@pytest.fixture
def units(live_server):
    with live_server.app.app_context():
        assert import_units("Mã đơn vị,Tên đơn vị,Loại,Số người\nTDP-07,Tổ dân phố số 7,Tổ dân phố,598\n".encode(),
                            "units.csv").ok


@pytest.fixture
def sent_with_five_mistakes(live_server, units, phone_page):
    """A form with a wrong confirmation, a landline, an age under 18, no unit and no consent, sent."""
    page = phone_page
    fill_registration(page, live_server.url, name="Phạm Văn Bình", birth="2012-01-01", gender="Nam",
                      phone="024 3825 1234", password="mat-khau-dai")
    page.get_by_label("Nhập lại mật khẩu").fill("mat-khau-khac")
    page.get_by_label("Tổ dân phố / đơn vị").select_option(index=0)
    page.get_by_label(re.compile("Tôi đồng ý tham gia cuộc thi")).uncheck()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("alert")).to_be_visible()
    return page


def test_a_wrong_confirmation_does_not_hide_the_other_mistakes(sent_with_five_mistakes):
    page = sent_with_five_mistakes
    expect(page.locator("#password_confirm-err")).to_contain_text("không khớp")
    expect(page.locator("#phone-err")).to_contain_text("10 chữ số")
    expect(page.locator("#birth_date-err")).to_contain_text("từ đủ 18 tuổi")
    expect(page.locator("#unit_id-err")).to_contain_text("Vui lòng chọn")
    expect(page.locator("#consent_participate-err")).to_contain_text("cần đồng ý")


def test_a_summary_at_the_top_links_to_each_field_in_error(sent_with_five_mistakes):
    page = sent_with_five_mistakes
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("5 mục cần sửa")
    assert summary.evaluate("s => s.getBoundingClientRect().top + window.scrollY") < 400
    summary.get_by_role("link", name=re.compile("Số điện thoại di động")).click()
    expect(page.get_by_label("Số điện thoại di động")).to_be_focused()


def test_what_was_typed_is_kept_after_the_mistakes(sent_with_five_mistakes):
    page = sent_with_five_mistakes
    expect(page.get_by_label("Họ và tên")).to_have_value("Phạm Văn Bình")
    expect(page.get_by_label("Số điện thoại di động")).to_have_value("024 3825 1234")
    expect(page.get_by_label("Ngày sinh")).to_have_value("2012-01-01")
    expect(page.get_by_label("Nam", exact=True)).to_be_checked()
    expect(page.get_by_label("Mật khẩu", exact=True)).to_have_value("mat-khau-dai")
    expect(page.get_by_label("Nhập lại mật khẩu")).to_have_value("")


def test_the_page_with_mistakes_passes_axe_and_tap_targets(sent_with_five_mistakes):
    from tests.e2e.a11y import assert_accessible

    assert_accessible(sent_with_five_mistakes)
