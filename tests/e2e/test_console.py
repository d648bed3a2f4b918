"""The organiser's console in real Chromium on an office screen: build a round with the blueprint editor
(stopped when a topic has too few questions), watch the dashboard, download the monthly report."""


import openpyxl
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
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def office_page(browser):
    """A desktop page (1280 × 800) that accepts downloads, in Vietnamese."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def one_finished_attempt(app, round_id, phone):
    """The resident takes the seeded round and gets every question right."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.phone == phone))
        attempt = start_attempt(user, db.session.get(Round, round_id))
        for q in db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)):
            save_answer(attempt.id, user.id, q.position, q.correct, 1)
        db.session.expire_all()
        finish_attempt(attempt)


def test_organiser_builds_a_round_watches_the_dashboard_and_downloads_the_monthly_report(
        live_server, seeded, resident, office_page, tmp_path):
    round_id = seeded()
    phone, _ = resident()
    one_finished_attempt(live_server.app, round_id, phone)
    with live_server.app.app_context():
        create_organiser("btc", "Phòng Văn hóa – Xã hội", "btc-mat-khau-2026")
    page = office_page
    sign_in(page, live_server.url, "btc", "btc-mat-khau-2026")

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Tạo cuộc thi mới").click()
    page.get_by_label("Tên cuộc thi").fill("Cuộc thi tìm hiểu CCHC tháng 12")
    page.get_by_label("Thể lệ").fill("Điều 1. Đối tượng:\n- Người dân\n- Cán bộ")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("link", name="Thêm đợt thi").click()
    page.get_by_label("Tên đợt thi").fill("Đợt 1")
    page.get_by_label("Bắt đầu (giờ Việt Nam)").fill("2026-12-01T08:00")
    page.get_by_label("Kết thúc (giờ Việt Nam)").fill("2026-12-07T17:00")
    page.get_by_label("Thời gian làm bài (phút)").fill("20")
    page.get_by_label("Số lần dự thi tối đa").fill("3")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("heading", name="Cấu trúc đề")).to_be_visible()
    expect(page.get_by_label("Ngân hàng thử")).to_be_checked()  # the only bank, offered for a new round
    too_many = page.get_by_label("Cải cách thể chế mọi độ khó")
    too_many.fill("5")
    expect(page.locator("#blueprint-check")).to_contain_text("Cải cách thể chế")
    page.get_by_role("button", name="Lưu cấu trúc đề").click()
    expect(page.locator(".flash-error")).to_contain_text("Ngân hàng không đủ câu hỏi")
    expect(page.locator(".flash-error")).to_contain_text("cần 5 câu nhưng chỉ có 2 câu")
    page.get_by_label("Cải cách thể chế mọi độ khó").fill("2")
    page.get_by_label("Cải cách thủ tục hành chính mọi độ khó").fill("1")
    page.get_by_role("button", name="Lưu cấu trúc đề").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu cấu trúc đề thi")
    expect(page.get_by_text("Người dân: 3 câu")).to_be_visible()

    page.get_by_role("link", name="Tổng quan").click()
    expect(page.get_by_role("heading", name="Tổng quan: Cuộc thi thử về CCHC")).to_be_visible()
    expect(page.locator('[data-stat="contest"] .big')).to_have_text("1")
    page.wait_for_function("document.getElementById('chart-units').chart !== undefined")
    bars = page.evaluate("document.getElementById('chart-units').chart.data.datasets[0].data")
    assert bars and bars[0] > 0

    page.get_by_role("link", name="Xuất Excel").click()
    report = page.locator("#xuat-periodic-report")
    expect(report.get_by_label("Kỳ báo cáo")).to_contain_text("Kỳ báo cáo tháng")
    with page.expect_download() as info:
        report.get_by_role("button", name="Tải Excel").click()
    download = info.value
    assert download.suggested_filename.startswith("bao-cao-dinh-ky_") and download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    sheet = book["Theo đơn vị"]
    assert sheet["A1"].value.startswith("BÁO CÁO KẾT QUẢ CUỘC THI TÌM HIỂU VỀ CẢI CÁCH HÀNH CHÍNH TỪ NGÀY")
    unit_row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1] == "Tổ dân phố số 7")
    assert unit_row[4] == 1  # one participant
