"""The blueprint editor in real Chromium: the organiser ticks a second bank, sees its counts beside the first,
and saves with Enter."""

import pytest
from playwright.sync_api import expect

from contest.accounts.service import create_organiser
from contest.banks.importing import import_bank
from contest.contests.models import Round
from contest.extensions import db
from tests.contests.test_round_banks import TRIAL_BANK
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def test_organiser_adds_a_bank_sees_its_counts_and_saves_with_enter(live_server, seeded, browser):
    round_id = seeded()
    with live_server.app.app_context():
        assert import_bank(TRIAL_BANK.encode(), "thu-nghiem.yaml").ok
        create_organiser("btc", "Phòng Văn hóa – Xã hội", "btc-mat-khau-2026")
        contest_id = db.session.get(Round, round_id).contest_id
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, "btc", "btc-mat-khau-2026")
    page.goto(f"{live_server.url}/admin/contests/{contest_id}/rounds/{round_id}/blueprint")
    expect(page.get_by_label("Ngân hàng thử")).to_be_checked()
    expect(page.get_by_label("Tệp thử")).not_to_be_checked()

    page.get_by_label("Tệp thử").check()
    page.get_by_role("button", name="Xem số câu của ngân hàng đã chọn").click()
    expect(page.locator("table.blueprint")).to_contain_text("thu-nghiem: 15")
    field = page.get_by_label("Cải cách thể chế mọi độ khó")
    field.fill("12")
    field.press("Enter")

    expect(page.locator(".flash-success")).to_contain_text("Đã lưu cấu trúc đề thi")
    with live_server.app.app_context():
        round_ = db.session.get(Round, round_id)
        assert [b.name for b in round_.banks] == ["ngan-hang-thu", "thu-nghiem"]
        assert round_.question_count("residents") == 12 + 2  # and the other topic's 2, as seeded
    context.close()
