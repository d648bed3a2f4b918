"""The round workflow and corrections in real Chromium, on a 1366 px office screen and a 360 px phone:
duplicating a round, "Làm thử" leaving no trace in standings and exports, closing now, publishing with
confirmation, an organiser correcting a birth date. Every new page passes axe-core."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from contest.accounts.models import User
from contest.accounts.service import create_organiser
from contest.attempts.finishing import finish_attempt
from contest.attempts.models import AttemptQuestion
from contest.attempts.saving import save_answer
from contest.attempts.starting import start_attempt
from contest.contests.models import Round
from contest.extensions import db
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

SCREENS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(params=list(SCREENS))
def screen(request, browser):
    """A page on an office screen (1366 px) or a phone (360 px), in Vietnamese, accepting downloads."""
    phone = request.param == "phone"
    context = browser.new_context(viewport=SCREENS[request.param], locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  accept_downloads=True, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def console(live_server, seeded, resident, screen):
    """The seeded open round, the resident (Lê Thị Mai) and a signed-in organiser; returns (page, round id)."""
    round_id = seeded(prizes_first=1)
    resident()
    with live_server.app.app_context():
        create_organiser("btc", "Phòng Văn hóa – Xã hội", "btc-mat-khau-2026")
    sign_in(screen, live_server.url, "btc", "btc-mat-khau-2026")
    expect(screen).to_have_url(live_server.url + "/admin/")  # an organiser lands on the console
    return screen, round_id


def resident_attempt(app, round_id, finish=True):
    """Lê Thị Mai takes the round with every question right (finished, or left open)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.phone == "0987654321"))
        attempt = start_attempt(user, db.session.get(Round, round_id))
        for q in db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)):
            save_answer(attempt.id, user.id, q.position, q.correct, 1)
        db.session.expire_all()
        if finish:
            finish_attempt(attempt)


def open_contest(page, base_url, round_id):
    page.goto(f"{base_url}/admin/")
    page.get_by_role("link", name="Cuộc thi thử về CCHC").first.click()
    expect(page.get_by_role("heading", name="Cuộc thi thử về CCHC")).to_be_visible()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_duplicating_a_round(live_server, console):
    page, round_id = console
    open_contest(page, live_server.url, round_id)
    page.get_by_role("link", name="Nhân bản đợt").click()
    expect(page.get_by_role("heading", name="Nhân bản đợt 1")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_label("Tên đợt thi mới").fill("Đợt 2")
    page.get_by_label("Bắt đầu (giờ Việt Nam)").fill("2027-01-04T08:00")
    page.get_by_label("Kết thúc (giờ Việt Nam)").fill("2027-01-10T17:00")
    page.get_by_role("button", name="Tạo đợt thi mới").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã tạo Đợt 2 từ Đợt 1")
    expect(page.get_by_role("heading", name=re.compile("^Đợt 2"))).to_be_visible()
    expect(page.get_by_text("08:00 ngày 04/01/2027 – 17:00 ngày 10/01/2027")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Người dân: \d+ câu"))).to_have_count(2)  # the blueprint came along


def test_practice_leaves_no_trace_in_standings_and_exports(live_server, console, tmp_path):
    page, round_id = console
    resident_attempt(live_server.app, round_id)
    open_contest(page, live_server.url, round_id)
    page.get_by_role("link", name="Làm thử").click()
    expect(page.get_by_role("heading", name="Làm thử đợt 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Bắt đầu làm thử").click()
    expect(page.locator("#countdown")).to_be_visible()
    page.locator("#cau-1 input").nth(0).check()
    expect(page.locator("#state-1")).to_contain_text("Đã lưu")
    page.get_by_role("button", name="Nộp bài").click()
    page.get_by_role("button", name="Xác nhận nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible()

    page.goto(f"{live_server.url}/contests/thi-thu/rounds/1/standings")
    expect(page.get_by_role("cell", name="Lê Thị Mai")).to_be_visible()
    expect(page.get_by_text("Phòng Văn hóa – Xã hội")).to_have_count(0)

    page.goto(f"{live_server.url}/admin/exports")
    section = page.locator("#xuat-attempts")
    with page.expect_download() as info:
        section.get_by_role("button", name="Tải CSV").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert "Lê Thị Mai" in text and "Phòng Văn hóa" not in text
    assert len(text.strip().splitlines()) == 2  # the header and the resident's attempt, no practice


def test_closing_now(live_server, console):
    page, round_id = console
    resident_attempt(live_server.app, round_id, finish=False)
    open_contest(page, live_server.url, round_id)
    page.get_by_role("link", name="Đóng đợt ngay").click()
    expect(page.get_by_role("heading", name="Đóng đợt 1 ngay?")).to_be_visible()
    expect(page.locator("#open-count")).to_contain_text("1 bài đang làm")
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_role("button", name="Đóng đợt ngay và chốt kết quả").click()
    expect(page.locator(".flash-success")).to_contain_text("1 bài đang làm đã được nộp và chấm")
    expect(page.get_by_text(re.compile("^Đã chốt lúc"))).to_be_visible()
    expect(page.get_by_role("cell", name="Lê Thị Mai").first).to_be_visible()


def test_publishing_with_confirmation(live_server, console):
    page, round_id = console
    resident_attempt(live_server.app, round_id)
    page.goto(f"{live_server.url}/admin/rounds/{round_id}/close-now")
    page.get_by_role("button", name="Đóng đợt ngay và chốt kết quả").click()
    page.get_by_role("link", name="Công bố kết quả…").click()
    expect(page.get_by_role("heading", name="Công bố kết quả đợt 1")).to_be_visible()
    expect(page.get_by_role("cell", name="Lê Thị Mai")).to_be_visible()
    expect(page.get_by_role("cell", name="Giải Nhất")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_role("button", name="Xác nhận công bố danh sách này").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã công bố kết quả")
    page.goto(f"{live_server.url}/contests/thi-thu/rounds/1/winners")
    expect(page.get_by_text("Lê Thị Mai")).to_be_visible()


def test_an_organiser_corrects_a_birth_date(live_server, console):
    page, _ = console
    page.goto(f"{live_server.url}/admin/users?q=0987654321")
    page.get_by_role("link", name="Lê Thị Mai").click()
    page.get_by_role("link", name="Sửa ngày sinh, số điện thoại, giới tính").click()
    expect(page.get_by_role("heading", name="Sửa thông tin cá nhân")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_label("Ngày sinh").fill("1968-03-12")
    page.get_by_label("Lý do sửa").fill("Theo yêu cầu của bà Mai, đã đối chiếu CCCD")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã sửa thông tin cá nhân")
    expect(page.get_by_text("12/03/1968")).to_be_visible()
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.phone == "0987654321"))
        assert user.birth_date == date(1968, 3, 12)


def test_duplicating_a_contest(live_server, console):
    page, round_id = console
    open_contest(page, live_server.url, round_id)
    page.get_by_role("link", name="Nhân bản cuộc thi").click()
    expect(page.get_by_role("heading", name="Nhân bản “Cuộc thi thử về CCHC”")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_label("Tên cuộc thi mới").fill("Cuộc thi về CCHC năm 2027")
    page.get_by_role("button", name="Tạo cuộc thi mới").click()
    expect(page.locator(".flash-success")).to_contain_text("chưa công bố")
    expect(page.get_by_role("heading", name="Cuộc thi về CCHC năm 2027")).to_be_visible()


def test_a_start_in_the_past_asks_before_it_goes_live(live_server, console):
    page, round_id = console
    page.goto(f"{live_server.url}/admin/contests/1/rounds/{round_id}/edit")
    page.get_by_label("Bắt đầu (giờ Việt Nam)").fill("2020-01-01T08:00")
    page.get_by_role("button", name="Lưu và sang cấu trúc đề").click()
    expect(page.locator("#past-start")).to_contain_text("đã qua")
    assert_accessible(page)
    page.get_by_role("button", name="Vẫn lưu, bắt đầu ngay").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu đợt thi")


def test_a_resident_asks_for_a_correction_and_reads_how_to_recover_a_password(live_server, seeded, resident,
                                                                              screen):
    seeded()
    phone, password = resident()
    page = screen
    page.goto(live_server.url + "/login")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", name="Quên mật khẩu?")).to_be_visible()
    assert_accessible(page)
    sign_in(page, live_server.url, phone, password)
    page.goto(live_server.url + "/account")
    page.get_by_role("link", name="Yêu cầu Ban tổ chức sửa").click()
    assert_accessible(page)
    page.get_by_label("Thông tin cần sửa và thông tin đúng").fill("Ngày sinh đúng là 12/03/1968")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.locator("#correction-pending")).to_contain_text("Ngày sinh đúng là 12/03/1968")
