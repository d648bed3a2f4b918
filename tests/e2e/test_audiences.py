"""Each audience sees its own contest: residents' units in a residents' announcement, no invitation to an
official to take a residents-only contest (on a 360 px phone)."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from contest.accounts.models import User
from contest.extensions import db
from contest.units.models import Unit
from tests.e2e.conftest import sign_in
from tests.e2e.test_phone_pages import ward  # noqa: F401 - the sample ward with a closed residents' round

pytestmark = pytest.mark.e2e


def test_residents_contest_announcement_names_only_residential_groups_as_lowest(live_server, ward,  # noqa: F811
                                                                                 phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{ward}/rounds/1/announcement")
    lowest = page.get_by_text(re.compile("tỷ lệ tham gia thấp nhất"))
    expect(lowest).to_contain_text("Tổ dân phố")
    for office in ("Văn phòng", "Phòng", "Trung tâm", "Trường", "Trạm", "Ủy ban"):
        assert office not in lowest.inner_text()
    expect(page.locator("table.cards")).not_to_contain_text("Văn phòng HĐND và UBND phường")


def test_official_home_does_not_invite_to_take_a_residents_only_contest(live_server, ward, phone_page):  # noqa: F811
    with live_server.app.app_context():
        official = User(login="0912000222", phone="0912000222", role="official", full_name="Trần Văn Cán",
                        unit=db.session.scalar(sa.select(Unit).where(Unit.code == "VP-HDND-UBND")))
        official.set_password("can-bo-mat-khau")
        db.session.add(official)
        db.session.commit()
    page = phone_page
    sign_in(page, live_server.url, "0912000222", "can-bo-mat-khau")
    page.goto(live_server.url + "/")
    card = page.locator("article.contest", has_text="Cuộc thi tìm hiểu CCHC")
    expect(card).to_contain_text("Đối tượng: Người dân")
    expect(card).to_contain_text("không thuộc đối tượng dự thi")
    assert card.get_by_role("link", name="Xem thể lệ và dự thi").count() == 0


def test_visitor_home_still_invites_to_take_part(live_server, ward, phone_page):  # noqa: F811
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Xem thể lệ và dự thi")).to_be_visible()
