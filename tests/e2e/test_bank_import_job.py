"""A large question bank imported from the console in real Chromium: the upload is checked by a background job
(the preview waits for its report, then shows it), the confirm goes to the import job's progress page, which ends
with the import's summary and a link to the bank, and passes the accessibility check."""

import re

import pytest
from playwright.sync_api import expect

from contest.extensions import db
from tests.conftest import DATA
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def office_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in_organiser(live_server, page) -> None:
    """A city organiser, signed in on ``page``."""
    from contest.accounts.models import User

    with live_server.app.app_context():
        user = User(login="bantochuc", role="organiser", full_name="Nguyễn Văn Tổ Chức")
        user.set_password("to-chuc-2026")
        db.session.add(user)
        db.session.commit()
    sign_in(page, live_server.url, "bantochuc", "to-chuc-2026")


def test_a_large_bank_import_ends_on_its_job_page_with_the_summary_and_the_bank(live_server, office_page):
    # As on a real server: jobs in threads; the file counts as large for the check and for the import.
    live_server.app.config.update(JOBS_RUN="thread", BANK_IMPORT_JOB_QUESTIONS=1, BANK_CHECK_JOB_BYTES=1_000)
    page = office_page
    sign_in_organiser(live_server, page)
    page.goto(live_server.url + "/admin/banks/upload")
    page.get_by_label("Tệp câu hỏi").set_input_files(str(DATA / "bank-good.xlsx"))
    page.get_by_label("Tên ngân hàng (không bắt buộc)").fill("so-tay")
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page).to_have_url(re.compile(r"/admin/banks/upload/[^/]+/[0-9a-f]{64}$"))
    # The check job's report (the page reloads itself when the job ends, if it was still running).
    expect(page.get_by_text("Số câu hỏi đọc được")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Xác nhận nhập 4 câu hỏi")).click()

    expect(page).to_have_url(re.compile(r"/admin/jobs/\d+$"))
    expect(page.get_by_text("Đã nhập. Ngân hàng “so-tay”: 4 câu mới")).to_be_visible()
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    assert_accessible(page)
    page.get_by_role("link", name="Xem ngân hàng câu hỏi").click()
    expect(page).to_have_url(re.compile(r"/admin/banks/so-tay/questions$"))


def test_the_preview_of_a_large_file_waits_for_its_check_job_then_shows_the_report(live_server, office_page,
                                                                                  monkeypatch):
    from contest.jobs import service
    from contest.jobs.models import Job

    live_server.app.config.update(BANK_CHECK_JOB_BYTES=1_000)
    monkeypatch.setattr(service, "dispatch", lambda job_id, mode=None: None)  # the worker is busy elsewhere
    page = office_page
    sign_in_organiser(live_server, page)
    page.goto(live_server.url + "/admin/banks/upload")
    page.get_by_label("Tệp câu hỏi").set_input_files(str(DATA / "bank-good.xlsx"))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.get_by_role("heading", name=re.compile("Đang kiểm tra tệp"))).to_be_visible()
    expect(page.locator("#job-progress")).to_be_visible()
    assert_accessible(page)
    with live_server.app.app_context():
        service.perform(db.session.scalar(db.select(Job.id)))  # the worker gets to it
    # The page's script sees the job end and reloads: the report, without a parse in the request.
    expect(page.get_by_role("button", name=re.compile("Xác nhận nhập 4 câu hỏi"))).to_be_visible()
