"""An organiser loads a question bank in real Chromium: a broken file is refused with row numbers, the fixed
file is previewed and imported."""

import re

import pytest
from playwright.sync_api import expect

from contest.extensions import db
from tests.conftest import DATA
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def organiser(live_server):
    from contest.accounts.models import User

    with live_server.app.app_context():
        user = User(login="bantochuc", role="organiser", full_name="Nguyễn Văn Tổ Chức")
        user.set_password("to-chuc-2026")
        db.session.add(user)
        db.session.commit()
    return "bantochuc", "to-chuc-2026"


@pytest.fixture
def office_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_organiser_fixes_a_broken_file_and_imports_it(live_server, organiser, office_page, tmp_path):
    page = office_page
    sign_in(page, live_server.url, *organiser)
    page.goto(live_server.url + "/admin/banks")
    page.get_by_role("link", name="Tải tệp câu hỏi lên").click()

    page.get_by_label("Tệp câu hỏi").set_input_files(str(DATA / "bank-broken.csv"))
    page.get_by_label("Tên ngân hàng (không bắt buộc)").fill("thu-nghiem")
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", name="2 lỗi – chưa nhập được")).to_be_visible()
    expect(page.get_by_text("Dòng 3: Cần ít nhất hai phương án trả lời.")).to_be_visible()
    expect(page.get_by_text("Dòng 4: Đáp án X không có phương án tương ứng.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Xác nhận nhập"))).to_have_count(0)

    fixed = tmp_path / "bank-broken.csv"
    fixed.write_text((DATA / "bank-broken.csv").read_text(encoding="utf-8")
                     .replace("Câu chỉ có một phương án?,Một,,,A", "Câu chỉ có một phương án?,Một,Hai,,A")
                     .replace("Câu đáp án lạ?,Một,Hai,Ba,X", "Câu đáp án lạ?,Một,Hai,Ba,C"), encoding="utf-8")
    page.get_by_role("link", name="Tải tệp khác lên").click()
    page.get_by_label("Tệp câu hỏi").set_input_files(str(fixed))
    page.get_by_label("Tên ngân hàng (không bắt buộc)").fill("thu-nghiem")
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text("3 câu mới, 0 câu cập nhật")).to_be_visible()
    expect(page.get_by_text("Câu đáp án lạ?")).to_be_visible()
    page.get_by_role("button", name="Xác nhận nhập 3 câu hỏi").click()

    expect(page.get_by_text("Đã nhập. Ngân hàng “thu-nghiem”: 3 câu mới")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("thu-nghiem"))
    expect(row.get_by_role("cell", name="3", exact=True)).to_be_visible()
