"""Lists people read are in Vietnamese alphabetical order with numbers by value (360 px phone)."""

import pytest
from playwright.sync_api import expect

from contest.collation import sort_key
from tests.e2e.test_phone_pages import ward  # noqa: F401 - the sample ward with a closed residents' round

pytestmark = pytest.mark.e2e


def test_registration_lists_residential_groups_first_in_numeric_order(live_server, ward, phone_page):  # noqa: F811
    page = phone_page
    page.goto(live_server.url + "/register")
    options = page.get_by_label("Tổ dân phố / đơn vị").locator("option").all_inner_texts()[1:]
    assert options[:14] == [f"Tổ dân phố số {n}" for n in range(1, 15)]
    assert options.index("Ủy ban Mặt trận Tổ quốc Việt Nam phường") > options.index("Trường THCS An Bình")


def test_unit_leaderboard_name_column_sorts_a_to_z_with_an_up_arrow(live_server, ward, phone_page):  # noqa: F811
    page = phone_page
    page.goto(f"{live_server.url}/contests/{ward}/units")
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    expect(page.get_by_role("link", name="Đơn vị ▲")).to_be_visible()
    names = page.locator("table.units tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names, key=sort_key)
    assert names.index("Tổ dân phố số 2") < names.index("Tổ dân phố số 10") < names.index("Trạm Y tế phường An Bình")
    assert names.index("Ủy ban Mặt trận Tổ quốc Việt Nam phường") < names.index("Văn phòng HĐND và UBND phường")
    page.get_by_role("link", name="Đơn vị ▲").click()
    expect(page.get_by_role("link", name="Đơn vị ▼")).to_be_visible()
    expect(page.locator("table.units tbody tr td:first-child").first).to_have_text("Văn phòng HĐND và UBND phường")
