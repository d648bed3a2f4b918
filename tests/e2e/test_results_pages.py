"""The public winners page and the unit leaderboard on a 360 px phone, in real Chromium."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from contest import clock
from contest.accounts.models import User
from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.publishing import publish_round
from contest.ranking.refresh import close_round
from contest.units.models import Unit

pytestmark = pytest.mark.e2e


@pytest.fixture
def published(live_server):
    """A closed round with three people from two units, its winners published."""
    with live_server.app.app_context():
        now = clock.now()
        big = Unit(code="TDP-01", name="Tổ dân phố số 1", kind="residential", headcount=400)
        small = Unit(code="TDP-02", name="Tổ dân phố số 2", kind="residential", headcount=2)
        contest = Contest(slug="thi-cchc", title="Cuộc thi tìm hiểu CCHC", kind="contest", audience="residents",
                          is_published=True)
        round_ = Round(contest=contest, number=1, title="Tuần 1", opens_at=now - timedelta(days=8),
                       closes_at=now - timedelta(days=1), prizes_first=1, prizes_second=1, prizes_third=1)
        db.session.add_all([big, small, contest])
        db.session.flush()
        people = [("Nguyễn Thị Hồng Nhung", True, small, 20), ("Trần Văn Bảo", False, big, 18),
                  ("Lê Hoàng Phúc", True, small, 15)]
        for i, (name, consent, unit, score) in enumerate(people):
            user = User(login=f"u{i}", full_name=name, role="resident", phone=f"09000000{i:02d}", unit=unit,
                        publish_name=consent, password_hash="!")
            db.session.add(user)
            db.session.flush()
            finished = round_.opens_at + timedelta(days=1, minutes=i)
            db.session.add(Attempt(round_id=round_.id, user_id=user.id, unit_id=unit.id, group="residents",
                                   number=1, state="finished", started_at=finished - timedelta(minutes=9),
                                   deadline=finished, finished_at=finished, score=score, max_score=20,
                                   duration_seconds=540))
            db.session.flush()
            mark_counting_attempt(round_, user.id)
        db.session.commit()
        close_round(round_)
        publish_round(round_)
    return "thi-cchc"


def test_winners_page_fits_a_phone_and_respects_consent(live_server, published, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{published}/rounds/1/winners")
    expect(page.get_by_role("heading", name="Giải Nhất")).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Hồng Nhung")).to_be_visible()
    expect(page.get_by_text("T. V. B.")).to_be_visible()
    assert page.get_by_text("Trần Văn Bảo").count() == 0
    assert "0900000001" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_unit_leaderboard_sorts_by_a_tapped_column_on_a_phone(live_server, published, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{published}/units")
    names = page.locator("table.units tbody tr td:first-child")
    expect(names.first).to_contain_text("Tổ dân phố số 2")  # 100 % of 2 people take part
    page.get_by_role("link", name="Người dự thi").click()
    page.get_by_role("link", name="Người dự thi ▼").click()  # tap again: ascending
    expect(names.first).to_contain_text("Tổ dân phố số 1")
    expect(page.get_by_role("heading", name="Xếp hạng tập thể")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
