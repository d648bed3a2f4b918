"""The bank editor in real Chromium, on a 1366 px desktop and a 360 px phone: the organiser creates a bank,
writes one question of each kind (messages and the taker's preview appear as they type), then a round that
draws from it; axe-core finds no serious or critical violation on the editor's pages."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from contest import clock
from contest.accounts.service import create_organiser
from contest.banks.models import Bank, Question
from contest.contests.models import Contest, Round
from contest.extensions import db
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

TOPIC = "Cải cách thủ tục hành chính"
VIEWPORTS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 360, "height": 740}}


def write_question(page, *, kind, text, options, correct, weights=(), save="Lưu và thêm câu khác", shows=None):
    page.get_by_label("Chủ đề").fill(TOPIC)
    page.get_by_label("Loại câu hỏi").select_option(label=kind)
    page.get_by_label("Nội dung câu hỏi").fill(text)
    for i, option in enumerate(options):
        page.get_by_label(f"Phương án {'ABCDEF'[i]}", exact=True).fill(option)
    for i, weight in enumerate(weights):
        page.get_by_label(f"Trọng số {'ABCDEF'[i]} (%)").fill(weight)
    for letter in correct:
        page.get_by_label(f"Phương án {letter} là đáp án đúng").check()
    page.get_by_label("Nguồn (văn bản căn cứ)").fill("Nghị định số 61/2018/NĐ-CP")
    expect(page.locator("#preview legend")).to_contain_text(text)  # the taker's view, rendered as they type
    if shows:
        expect(page.locator("#preview")).to_contain_text(shows)
    page.get_by_role("button", name=save).click()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_organiser_writes_a_bank_of_three_kinds_and_a_round_draws_from_it(live_server, browser, viewport):
    with live_server.app.app_context():
        create_organiser("btc", "Phòng Văn hóa – Xã hội", "btc-mat-khau-2026")
        contest = Contest(slug="thi-cchc", title="Cuộc thi CCHC", kind="contest", audience="residents")
        db.session.add(contest)
        db.session.commit()
        contest_id = contest.id
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  is_mobile=viewport == "phone", has_touch=viewport == "phone")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, "btc", "btc-mat-khau-2026")

    page.goto(live_server.url + "/admin/banks")
    page.get_by_role("link", name="Tạo ngân hàng mới").click()
    assert_accessible(page)
    page.get_by_label("Tên ngân hàng").fill("Câu hỏi CCHC phường 2026")
    page.get_by_role("button", name="Tạo ngân hàng").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã tạo ngân hàng")
    assert_accessible(page)

    page.get_by_role("link", name="Thêm câu hỏi").click()
    assert_accessible(page)
    # A message beside its field as the organiser types: no key ticked yet.
    page.get_by_label("Nội dung câu hỏi").fill("Hồ sơ thủ tục hành chính ở phường nộp ở đâu?")
    expect(page.locator("#err-answer")).to_have_text("Thiếu đáp án đúng.")
    write_question(page, kind="Một đáp án đúng", text="Hồ sơ thủ tục hành chính ở phường nộp ở đâu?",
                   options=["Bộ phận Một cửa", "Công an phường", "Trạm y tế"], correct="A")
    expect(page.locator(".flash-success")).to_contain_text("Đã thêm câu “CH-0001”")

    write_question(page, kind="Nhiều đáp án đúng", text="Việc nào làm được trên Cổng dịch vụ công quốc gia?",
                   options=["Nộp hồ sơ trực tuyến", "Đổi tiền mặt", "Thanh toán lệ phí trực tuyến"],
                   correct="AC", weights=("50", "-100", "50"), shows="Chọn tất cả các phương án đúng.")
    expect(page.locator(".flash-success")).to_contain_text("Đã thêm câu “CH-0002”")

    page.get_by_label("Loại câu hỏi").select_option(label="Đúng / Sai")
    expect(page.get_by_label("Phương án A", exact=True)).to_have_value("Đúng")  # written in for the organiser
    write_question(page, kind="Đúng / Sai", text="Kết quả thủ tục hành chính có thể nhận qua bưu chính công ích.",
                   options=[], correct="A", save="Lưu câu hỏi")
    expect(page.locator("table.cards tbody tr")).to_have_count(3)
    assert_accessible(page)

    with live_server.app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.name == "cau-hoi-cchc-phuong-2026"))
        stored = db.session.scalars(select(Question).where(Question.bank_id == bank.id).order_by(Question.id)).all()
        assert [(q.kind, q.correct, q.weights) for q in stored] == [
            ("single", [0], None), ("multiple", [0, 2], [50, -100, 50]), ("true_false", [0], None)]
        bank_id = bank.id

    # A round from it: the round form, then its blueprint drawing the three questions from the new bank.
    page.goto(f"{live_server.url}/admin/contests/{contest_id}/rounds/new")
    opens = clock.to_vn(clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    closes = clock.to_vn(clock.now() + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Tên đợt thi").fill("Đợt 1")
    page.get_by_label("Bắt đầu (giờ Việt Nam)").fill(opens)
    page.get_by_label("Kết thúc (giờ Việt Nam)").fill(closes)
    page.get_by_label("Thời gian làm bài (phút)").fill("20")
    page.get_by_label("Số lần dự thi tối đa").fill("1")
    page.get_by_role("button", name="Lưu và sang cấu trúc đề").click()
    page.get_by_label("Câu hỏi CCHC phường 2026").check()
    page.get_by_role("button", name="Xem số câu của ngân hàng đã chọn").click()
    field = page.get_by_label(f"{TOPIC} mọi độ khó")
    field.fill("3")
    field.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu cấu trúc đề thi")
    with live_server.app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.contest_id == contest_id))
        assert [b.id for b in round_.banks] == [bank_id] and round_.question_count("residents") == 3
    context.close()


def test_edit_page_shows_the_lint_advice_and_is_accessible(live_server, browser):
    with live_server.app.app_context():
        create_organiser("btc", "Phòng Văn hóa – Xã hội", "btc-mat-khau-2026")
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, "btc", "btc-mat-khau-2026")
    page.goto(live_server.url + "/admin/banks/new")
    page.get_by_label("Tên ngân hàng").fill("Thử góp ý")
    page.get_by_role("button", name="Tạo ngân hàng").click()
    page.get_by_role("link", name="Thêm câu hỏi").click()
    write_question(page, kind="Một đáp án đúng", text="Ai tiếp nhận hồ sơ?",
                   options=["Bộ phận Một cửa", "Công an", "Tất cả các ý trên"], correct="A", save="Lưu câu hỏi")
    page.get_by_role("link", name="Sửa").click()
    expect(page.locator("#advice")).to_contain_text("Nên sửa ngay")
    page.get_by_label("Phương án C", exact=True).fill("Trạm y tế")
    expect(page.locator("#advice")).not_to_contain_text("Nên sửa ngay")
    assert_accessible(page)
    context.close()
