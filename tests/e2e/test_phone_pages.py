"""What a resident reads on a 360 px phone: the standings, the unit leaderboard, names as published."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from contest import clock
from contest.accounts.models import User
from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.refresh import close_round
from contest.units.models import Unit
from contest.units.service import import_units

pytestmark = pytest.mark.e2e

WARD_UNITS = "contest/demo/don-vi-phuong-mau.csv"


@pytest.fixture
def ward(live_server):
    """The sample ward's 22 units and a closed round with one resident from each of five units."""
    from pathlib import Path

    with live_server.app.app_context():
        import_units((Path(__file__).parents[2] / WARD_UNITS).read_bytes(), "don-vi.csv")
        now = clock.now()
        contest = Contest(slug="thi-phuong", title="Cuộc thi tìm hiểu CCHC", kind="contest", audience="residents",
                          is_published=True)
        round_ = Round(contest=contest, number=1, title="Tuần 1", opens_at=now - timedelta(days=8),
                       closes_at=now - timedelta(days=1))
        db.session.add(contest)
        db.session.flush()
        units = db.session.scalars(sa.select(Unit).order_by(Unit.id)).all()
        names = ["nguyễn văn an", "TRẦN THỊ BÍCH NGỌC", "Lê Hoàng Phúc", "phạm thị thu hương", "Đỗ Văn Hùng"]
        for i, name in enumerate(names):
            unit = units[(i * 4) % len(units)]
            user = User(login=f"u{i}", full_name=name, role="resident", phone=f"09100000{i:02d}", unit=unit,
                        publish_name=True, password_hash="!")
            db.session.add(user)
            db.session.flush()
            finished = round_.opens_at + timedelta(days=1, minutes=i)
            db.session.add(Attempt(round_id=round_.id, user_id=user.id, unit_id=unit.id, group="residents",
                                   number=1, state="finished", started_at=finished - timedelta(minutes=12),
                                   deadline=finished, finished_at=finished, score=20 - i, max_score=20,
                                   duration_seconds=725))
            db.session.flush()
            mark_counting_attempt(round_, user.id)
        db.session.commit()
        close_round(round_)
    return "thi-phuong"


def test_standings_table_fits_a_phone_without_sideways_scrolling(live_server, ward, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{ward}/rounds/1/standings")
    table = page.locator("table.standings")
    expect(table).to_be_visible()
    assert table.evaluate("t => t.getBoundingClientRect().right") <= 360 - 16
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_unit_names_in_the_standings_take_at_most_two_lines_on_a_phone(live_server, ward, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{ward}/rounds/1/standings")
    links = page.locator("table.standings tbody a")
    expect(links.first).to_be_visible()
    lines = links.evaluate_all("""els => els.map(a => {
        const r = document.createRange(); r.selectNodeContents(a);
        return Math.round(r.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)); })""")
    assert max(lines) <= 2, lines


def test_unit_leaderboard_of_a_ward_is_short_and_narrow_on_a_phone(live_server, ward, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{ward}/units")
    expect(page.get_by_text("Trung tâm Văn hóa – Thông tin và Thể thao phường").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("table.units").evaluate("t => t.getBoundingClientRect().height") < 22 * 100


def test_names_are_published_in_title_case_as_typed_in_the_database(live_server, ward, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{ward}/rounds/1/standings")
    expect(page.get_by_text("Nguyễn Văn An", exact=True)).to_be_visible()
    expect(page.get_by_text("Trần Thị Bích Ngọc", exact=True)).to_be_visible()
    assert page.get_by_text("nguyễn văn an", exact=True).count() == 0
    with live_server.app.app_context():
        assert db.session.scalar(sa.select(User.full_name).where(User.login == "u0")) == "nguyễn văn an"

