"""An unreached prize on a 360 px phone: the winners page and the announcement say so, and stay accessible."""

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
from tests.e2e.a11y import assert_accessible

pytestmark = pytest.mark.e2e

NO_FIRST = "Giải Nhất: không có người đạt điều kiện (≥ 90 % số điểm)"


@pytest.fixture
def short_of_first(live_server):
    """A closed, published round whose Giải Nhất needs 90 %: the best of two scores 17 of 20."""
    with live_server.app.app_context():
        now = clock.now()
        contest = Contest(slug="thi-nguong", title="Cuộc thi có ngưỡng điểm", kind="contest", audience="residents",
                          is_published=True)
        round_ = Round(contest=contest, number=1, title="Tuần 1", opens_at=now - timedelta(days=8),
                       closes_at=now - timedelta(days=1), prizes_first=1, prizes_second=1, prize_min_first=90)
        db.session.add(contest)
        db.session.flush()
        for i, (name, score) in enumerate([("Nguyễn Thị Hồng Nhung", 17), ("Lê Hoàng Phúc", 12)]):
            user = User(login=f"t{i}", full_name=name, role="resident", publish_name=True, password_hash="!")
            db.session.add(user)
            db.session.flush()
            finished = round_.opens_at + timedelta(days=1, minutes=i)
            db.session.add(Attempt(round_id=round_.id, user_id=user.id, group="residents", number=1,
                                   state="finished", started_at=finished - timedelta(minutes=9), deadline=finished,
                                   finished_at=finished, score=score, max_score=20, duration_seconds=540))
            db.session.flush()
            mark_counting_attempt(round_, user.id)
        db.session.commit()
        close_round(round_)
        publish_round(round_)
    return "thi-nguong"


def test_winners_page_on_a_phone_says_the_first_prize_was_not_awarded(live_server, short_of_first, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{short_of_first}/rounds/1/winners")
    expect(page.get_by_text(NO_FIRST)).to_be_visible()
    expect(page.get_by_role("heading", name="Giải Nhì")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_announcement_on_a_phone_says_the_first_prize_was_not_awarded(live_server, short_of_first, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/contests/{short_of_first}/rounds/1/announcement")
    expect(page.get_by_text(NO_FIRST)).to_be_visible()
    assert_accessible(page)
