"""After the questions, on a 360 px phone: the submit confirmation, the result, the review and the survey's
advice say plainly what a resident needs to know."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from contest.accounts.models import User
from contest.contests.models import Round
from contest.extensions import db
from contest.units.models import Unit
from tests.e2e.conftest import sign_in
from tests.e2e.test_survey import survey_site  # noqa: F401 - the open officials' survey fixture

pytestmark = pytest.mark.e2e


@pytest.fixture
def taking(live_server, seeded, resident, phone_page):
    """A resident signed in on the open round's attempt page, question 1 answered and saved."""
    seeded()
    page = phone_page
    sign_in(page, live_server.url, *resident())
    page.goto(live_server.url + "/contests/thi-thu")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    page.locator("#cau-1 input").nth(0).check()
    expect(page.locator("#state-1")).to_contain_text("Đã lưu")
    return page


def submit(page):
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Nộp bài")).to_be_visible()


def test_submit_page_address_has_no_stray_question_mark(taking):
    page = taking
    submit(page)
    assert re.search(r"/attempts/\d+/submit$", page.url), page.url


def test_submit_page_links_each_unanswered_question(taking):
    page = taking
    submit(page)
    links = page.get_by_role("list", name="Các câu chưa trả lời").get_by_role("link")
    expect(links).to_have_count(3)
    expect(links.first).to_have_accessible_name("Câu 2")
    links.first.click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+#cau-2$"))


def test_submit_page_counts_down_to_the_deadline(taking):
    page = taking
    submit(page)
    countdown = page.locator("#submit-countdown")
    expect(countdown).to_have_text(re.compile(r"^(19|20):\d\d$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=4000)


def test_result_page_says_how_many_attempts_remain(taking):
    page = taking
    submit(page)
    page.get_by_role("button", name="Xác nhận nộp bài").click()
    expect(page.locator(".attempts-left")).to_contain_text("Bạn còn 2 lượt dự thi")
    expect(page.get_by_role("button", name="Thi thêm một lần")).to_be_visible()


def test_result_page_buttons_do_not_touch(taking):
    page = taking
    submit(page)
    page.get_by_role("button", name="Xác nhận nộp bài").click()
    boxes = page.locator(".button-row .button").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
    assert len(boxes) == 4  # again, the contest, the standings, the participation certificate
    for (_, _, right, bottom), (left, top, _, _) in zip(boxes, boxes[1:], strict=False):
        gap = max(left - right, top - bottom)  # beside each other, or the next one on a new line
        assert gap >= 8, boxes


def test_review_says_right_or_wrong_in_words_with_the_points(taking):
    page = taking
    submit(page)
    page.get_by_role("button", name="Xác nhận nộp bài").click()
    verdicts = page.locator("h3.verdict")
    expect(verdicts).to_have_count(4)
    texts = verdicts.all_inner_texts()
    assert all(re.search(r"(Đúng|Sai)", t) and re.search(r"\d+/\d+ điểm", t) for t in texts), texts
    expect(verdicts.nth(1)).to_contain_text("Sai (chưa trả lời)")
    expect(page.get_by_text("đáp án đúng").first).to_be_visible()


def test_contest_page_with_one_attempt_does_not_speak_of_the_best_attempt(live_server, seeded, phone_page):
    round_id = seeded()
    with live_server.app.app_context():
        db.session.get(Round, round_id).attempts_allowed = 1
        db.session.commit()
    page = phone_page
    page.goto(live_server.url + "/contests/thi-thu")
    expect(page.get_by_text("Mỗi người dự thi một lần")).to_be_visible()
    assert "cao nhất được tính" not in page.content()


def test_survey_result_names_every_topic_tied_at_the_lowest_rate(live_server, survey_site, phone_page):  # noqa: F811
    with live_server.app.app_context():
        official = User(login="0912000111", phone="0912000111", role="official", full_name="Nguyễn Văn Cán",
                        unit=db.session.scalar(sa.select(Unit).where(Unit.code == "VP")))
        official.set_password("can-bo-mat-khau")
        db.session.add(official)
        db.session.commit()
    page = phone_page
    sign_in(page, live_server.url, "0912000111", "can-bo-mat-khau")
    page.goto(live_server.url + "/contests/khao-sat-cchc")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    submit(page)
    page.get_by_role("button", name="Xác nhận nộp bài").click()  # nothing answered: every topic at 0 %
    advice = page.get_by_text(re.compile("nên ôn thêm"))
    expect(advice).to_contain_text("Cải cách thể chế")
    expect(advice).to_contain_text("Cải cách thủ tục hành chính")
