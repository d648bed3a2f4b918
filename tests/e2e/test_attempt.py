"""Taking an attempt in real Chromium on a phone: autosave, reload, offline, submit, timer at zero."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from contest import clock
from contest.attempts.models import Attempt, AttemptQuestion
from contest.extensions import db
from tests.conftest import ticking_from
from tests.e2e.conftest import fill_registration, sign_in

pytestmark = pytest.mark.e2e


def server_answers(app):
    with app.app_context():
        db.session.expire_all()
        rows = db.session.scalars(select(AttemptQuestion).order_by(AttemptQuestion.position)).all()
        return {q.position: q.selected for q in rows}


def page_answers(page):
    """What the page shows as chosen, per question (the truth the server must end up with)."""
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('fieldset.question'))
        .map(fs => [fs.dataset.position, Array.from(fs.querySelectorAll('input:checked')).map(i => +i.value)]))""")


def choose(page, position, option_index):
    page.locator(f"#cau-{position} input").nth(option_index).check()


def test_register_start_answer_reload_submit_and_see_the_standings(live_server, seeded, phone_page):
    seeded()
    page = phone_page
    fill_registration(page, live_server.url, publish=True)
    page.get_by_role("button", name="Đăng ký").click()
    page.goto(live_server.url + "/contests/thi-thu")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^(19|20):\d\d$"))

    choose(page, 1, 0)
    choose(page, 2, 1)
    expect(page.locator("#state-1")).to_contain_text("Đã lưu")
    expect(page.locator("#state-2")).to_contain_text("Đã lưu")
    expect(page.locator("#answered-count")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.reload()
    expect(page.locator("#cau-1 input").nth(0)).to_be_checked()
    expect(page.locator("#cau-2 input").nth(1)).to_be_checked()
    expect(page.locator("#nav-1")).to_have_class(re.compile("answered"))

    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_text("câu chưa trả lời")).to_be_visible()
    page.get_by_label("Bao nhiêu người đạt điểm tuyệt đối?").fill("3")
    page.get_by_role("button", name="Xác nhận nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible()
    expect(page.locator("#score")).to_have_text(re.compile(r"^[0-2]$"))
    page.get_by_role("link", name="Bảng xếp hạng").click()
    expect(page.get_by_role("cell", name="Lê Thị Mai")).to_be_visible()
    expect(page.get_by_text("Hạng của bạn: 1")).to_be_visible()


def test_answers_given_offline_reach_the_server_when_the_network_returns(live_server, seeded, resident, phone_page):
    seeded()
    page = phone_page
    sign_in(page, live_server.url, *resident())
    page.goto(live_server.url + "/contests/thi-thu")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    choose(page, 1, 1)
    expect(page.locator("#state-1")).to_contain_text("Đã lưu")

    page.context.set_offline(True)
    choose(page, 2, 0)
    choose(page, 3, 1)
    choose(page, 1, 0)  # a change of mind while offline
    expect(page.locator("#state-3")).to_contain_text("Chưa lưu được")
    expect(page.locator("#connection")).to_contain_text("Mất kết nối")
    assert server_answers(live_server.app) == {1: [1], 2: None, 3: None, 4: None}

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    for position in (1, 2, 3):
        expect(page.locator(f"#state-{position}")).to_contain_text("Đã lưu", timeout=15_000)
    shown = page_answers(page)
    expected = {int(k): (v or None) for k, v in shown.items()}
    assert expected[1] in ([0], [0, 1])  # [0, 1] when question 1 happens to be a multiple-answer one
    assert server_answers(live_server.app) == expected


def test_answers_left_unsent_in_a_closed_tab_are_sent_when_the_page_opens_again(live_server, seeded, resident,
                                                                                 browser):
    seeded()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server.url, *resident())
    page.goto(live_server.url + "/contests/thi-thu")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    # Going offline before the attempt page has loaded its script would cut the script off, not the saves.
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d"))  # the script is running
    attempt_url = page.url
    context.set_offline(True)
    choose(page, 4, 1)
    expect(page.locator("#state-4")).to_contain_text("Chưa lưu được")
    page.close()  # the tab is closed while offline: the answer is only in localStorage
    context.set_offline(False)
    page = context.new_page()
    page.goto(attempt_url)
    expect(page.locator("#state-4")).to_contain_text("Đã lưu", timeout=15_000)
    expect(page.locator("#cau-4 input").nth(1)).to_be_checked()
    assert server_answers(live_server.app)[4] == [1]
    context.close()


def test_the_attempt_finishes_itself_when_the_timer_reaches_zero(live_server, seeded, resident, phone_page):
    seeded(time_limit_minutes=20)
    page = phone_page
    sign_in(page, live_server.url, *resident())
    page.goto(live_server.url + "/contests/thi-thu")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    choose(page, 1, 1)
    expect(page.locator("#state-1")).to_contain_text("Đã lưu")

    # Move the server's clock (not the phone's) to three seconds before the deadline; it keeps running.
    with live_server.app.app_context():
        deadline = db.session.scalar(select(Attempt.deadline))
    clock.set_clock(ticking_from(deadline - timedelta(seconds=3)))
    try:
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the page re-reads server time
        expect(page.locator("#countdown")).to_have_text(re.compile(r"^0:0[0-3]$"), timeout=5_000)
        expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible(timeout=20_000)
        expect(page.get_by_text("tự động nộp khi hết giờ")).to_be_visible()
        with live_server.app.app_context():
            attempt = db.session.scalar(select(Attempt))
            assert attempt.state == "finished" and attempt.finished_at == attempt.deadline
            assert attempt.auto_finished
    finally:
        clock.set_clock(None)


def test_submitting_while_a_save_is_still_in_flight_waits_for_it(live_server, seeded, resident, phone_page):
    seeded()
    page = phone_page
    sign_in(page, live_server.url, *resident())
    page.goto(live_server.url + "/contests/thi-thu")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    # Tapped before the script runs, an answer would not be saved at all (and the button would submit at once).
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d"))
    # A slow 3G link: every request takes most of a second.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 800, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    choose(page, 1, 1)
    page.get_by_role("button", name="Nộp bài").click()  # at once, while the save travels
    expect(page.get_by_role("button", name="Xác nhận nộp bài")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("câu chưa trả lời")).to_contain_text("3")
    assert server_answers(live_server.app)[1] == [1]


def _hurry_animations(page):
    """Run the page's CSS animations 100 times faster (the reload warning appears after 8 s by CSS)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Animation.enable")
    cdp.send("Animation.setPlaybackRate", {"playbackRate": 100})
    return cdp


def test_a_page_whose_script_never_arrived_tells_the_taker_to_reload(live_server, seeded, resident, phone_page):
    seeded()
    page = phone_page
    sign_in(page, live_server.url, *resident())
    page.route("**/js/attempt.js*", lambda route: route.abort())
    page.goto(live_server.url + "/contests/thi-thu")
    _hurry_animations(page)
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    expect(page.locator("#script-missing")).to_be_visible(timeout=5_000)
    expect(page.locator("#script-missing")).to_contain_text("tải lại trang")


def test_the_reload_warning_stays_hidden_when_the_script_runs(live_server, seeded, resident, phone_page):
    seeded()
    page = phone_page
    sign_in(page, live_server.url, *resident())
    page.goto(live_server.url + "/contests/thi-thu")
    _hurry_animations(page)
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d"))  # the script is running
    page.wait_for_timeout(300)  # 30 s of animation time at 100 times the speed
    expect(page.locator("#script-missing")).to_be_hidden()


def test_the_attempt_page_has_no_inline_script(live_server, seeded, resident, phone_page):
    """A Content-Security-Policy without 'unsafe-inline' must not break the page: data goes in data-* only."""
    seeded()
    page = phone_page
    sign_in(page, live_server.url, *resident())
    page.goto(live_server.url + "/contests/thi-thu")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d"))
    inline = page.evaluate("""() => Array.from(document.scripts).filter(s => !s.src
        && (!s.type || s.type === 'text/javascript' || s.type === 'module')).length""")
    assert inline == 0


def _start(page, live_server, resident):
    sign_in(page, live_server.url, *resident())
    page.goto(live_server.url + "/contests/thi-thu")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d"))  # the script is running
    return page.url


def test_a_tab_overtaken_by_another_tab_shows_the_stored_answer_and_says_so(live_server, seeded, resident,
                                                                            browser):
    seeded()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    tab_a = context.new_page()
    attempt_url = _start(tab_a, live_server, resident)
    tab_b = context.new_page()
    tab_b.goto(attempt_url)
    expect(tab_b.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d"))

    choose(tab_b, 1, 0)
    expect(tab_b.locator("#state-1")).to_contain_text("Đã lưu")
    # Tab A was not reloaded: its save carries the same seq and loses. (A click, not check(): the page puts
    # the stored answer back as soon as the server answers, which check() would take for a failed click.)
    tab_a.locator("#cau-1 input").nth(1).click()
    expect(tab_a.locator("#state-1")).to_contain_text("đã được đổi ở một cửa sổ khác")
    expect(tab_a.locator("#state-1")).not_to_contain_text("Đã lưu lúc")
    expect(tab_a.locator("#cau-1 input").nth(0)).to_be_checked()
    expect(tab_a.locator("#cau-1 input").nth(1)).not_to_be_checked()
    assert server_answers(live_server.app)[1] == [0]
    assert page_answers(tab_a)["1"] == [0]

    choose(tab_a, 1, 1)  # tapping again in tab A now wins: its counter moved past tab B's
    expect(tab_a.locator("#state-1")).to_contain_text("Đã lưu lúc")
    assert server_answers(live_server.app)[1] in ([1], [0, 1])
    context.close()


def test_an_answer_tapped_after_the_session_is_lost_is_sent_after_signing_in_again(live_server, seeded, resident,
                                                                                   phone_page):
    seeded()
    page = phone_page
    phone, password = resident()
    _start(page, live_server, lambda: (phone, password))
    choose(page, 1, 1)
    expect(page.locator("#state-1")).to_contain_text("Đã lưu")

    page.context.clear_cookies()  # the session is gone (expired, signed out elsewhere, cookies cleared)
    choose(page, 2, 1)
    choose(page, 3, 0)
    banner = page.locator("#sign-in-again")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Đăng nhập lại để gửi 2 câu trả lời chưa lưu")
    expect(page.locator("#state-2")).to_contain_text("Chưa lưu")
    expect(page.locator("#cau-2 input").nth(1)).to_be_checked()
    assert server_answers(live_server.app)[2] is None

    page.get_by_role("link", name="Đăng nhập lại").click()
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(phone)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))  # back on the attempt page
    expect(page.locator("#state-2")).to_contain_text("Đã lưu", timeout=15_000)
    expect(page.locator("#state-3")).to_contain_text("Đã lưu", timeout=15_000)
    expect(banner).to_be_hidden()
    assert server_answers(live_server.app)[2] is not None and 1 in server_answers(live_server.app)[2]

    page.get_by_role("button", name="Nộp bài").click()
    page.get_by_role("button", name="Xác nhận nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible()
    with live_server.app.app_context():
        second = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.position == 2))
        assert 1 in second.selected and second.awarded is not None  # stored and graded


def test_answers_queued_while_signed_out_are_sent_when_another_tab_signs_in(live_server, seeded, resident,
                                                                            browser):
    seeded()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    phone, password = resident()
    _start(page, live_server, lambda: (phone, password))
    context.clear_cookies()
    choose(page, 4, 1)
    expect(page.locator("#sign-in-again")).to_contain_text("Đăng nhập lại để gửi 1 câu trả lời chưa lưu")

    other = context.new_page()  # the taker signs in from a new tab; the first tab stays as it was
    sign_in(other, live_server.url, phone, password)
    expect(other.get_by_role("link", name="Tài khoản")).to_be_visible()
    expect(page.locator("#state-4")).to_contain_text("Đã lưu", timeout=15_000)
    expect(page.locator("#sign-in-again")).to_be_hidden()
    assert server_answers(live_server.app)[4] == [1]
    context.close()


def test_an_answer_refused_for_good_is_dropped_and_the_page_says_so(live_server, seeded, resident, phone_page):
    seeded()
    page = phone_page
    _start(page, live_server, resident)
    # A question whose frozen options shrank under the page (as a stale page would send): option 1 is gone.
    page.evaluate("""() => { const i = document.querySelector('#cau-1 input[value="1"]'); i.value = '7'; }""")
    page.locator("#cau-1 input").nth(1).click()  # the page puts back the stored (empty) answer at once
    expect(page.locator("#state-1")).to_contain_text("Không lưu được")
    expect(page.locator("#cau-1 input").nth(1)).not_to_be_checked()
    expect(page.locator("#answered-count")).to_have_text("0")
    assert page.evaluate("localStorage.length") == 0
    assert server_answers(live_server.app)[1] is None


@pytest.mark.parametrize(("status", "code"), [(503, "unavailable"), (503, "db_unavailable"), (429, "rate_limited"),
                                              (403, "forbidden"),
                                              (500, "server_error")])
def test_a_save_refused_for_a_reason_that_can_pass_stays_queued_and_is_sent(live_server, seeded, resident,
                                                                            phone_page, status, code):
    seeded()
    page = phone_page
    _start(page, live_server, resident)
    refusals = []

    def refuse_once(route):
        if not refusals:
            refusals.append(route.request.url)
            route.fulfill(status=status, content_type="application/json",
                          body=f'{{"ok": false, "code": "{code}", "error": "Hệ thống đang bận."}}')
        else:
            route.continue_()

    page.route("**/api/attempts/*/answers", refuse_once)
    choose(page, 2, 1)
    expect(page.locator("#state-2")).to_contain_text("Chưa lưu được")
    expect(page.locator("#cau-2 input").nth(1)).to_be_checked()
    expect(page.locator("#state-2")).to_contain_text("Đã lưu", timeout=15_000)  # the retry went through
    assert refusals and 1 in server_answers(live_server.app)[2]
