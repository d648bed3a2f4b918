"""The knowledge survey in real Chromium: the organiser imports a roster and prints the slips; an official
signs in with a one-time code, sets a password, takes the survey and sees the result; the organiser opens the
heat map."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from contest import clock
from contest.accounts.roster_service import import_roster
from contest.accounts.service import create_organiser
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Topic
from contest.contests.models import BlueprintItem, Contest, Round
from contest.extensions import db
from contest.units.service import import_units
from tests.conftest import DATA
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

ORGANISER = ("btc", "btc-mat-khau-2026")


@pytest.fixture
def survey_site(live_server):
    """Units, the small bank, an organiser and an open survey for officials (real clock)."""
    with live_server.app.app_context():
        import_units("Mã đơn vị,Tên đơn vị,Loại\nVP,Văn phòng HĐND và UBND,Cơ quan\n"
                     "VHXH,Phòng Văn hóa – Xã hội,Cơ quan\n".encode(), "units.csv")
        import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
        create_organiser(*ORGANISER[:1], "Ban tổ chức", ORGANISER[1])
        now = clock.now()
        contest = Contest(slug="khao-sat-cchc", title="Khảo sát kiến thức CCHC 2026", kind="survey",
                          audience="officials", is_published=True, rules="Mỗi người làm một lần.")
        round_ = Round(contest=contest, number=1, title="Đợt khảo sát", opens_at=now - timedelta(days=1),
                       closes_at=now + timedelta(days=6), time_limit_minutes=15, attempts_allowed=1,
                       review_policy="after_submit")
        for topic in db.session.scalars(sa.select(Topic)):
            round_.blueprint.append(BlueprintItem(group="officials", topic_id=topic.id, count=2))
        round_.banks = list(db.session.scalars(sa.select(Bank)))
        db.session.add(contest)
        db.session.commit()
        return round_.id


@pytest.fixture
def desk_page(browser):
    """An office PC's browser window, in Vietnamese."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_organiser_imports_a_roster_and_prints_the_slips(live_server, survey_site, desk_page):
    page = desk_page
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    sign_in(page, live_server.url, *ORGANISER)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Cán bộ").click()
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(str(DATA / "roster-good.xlsx"))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#preview-summary")).to_contain_text("2 người mới")
    page.get_by_role("button", name="Xác nhận nhập danh sách").click()

    expect(page.locator("#slips-message")).to_contain_text("2 người mới")
    expect(page.locator(".slip")).to_have_count(2)
    expect(page.locator(".unit-page")).to_have_count(2)
    expect(page.locator(".slip-code").first).to_have_text(re.compile(r"^[a-z2-9]{10}$"))

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp Excel").click()
    assert download.value.suggested_filename == "ma-dang-nhap-mot-lan.xlsx"

    page.get_by_role("button", name=re.compile("In phiếu")).click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("In phiếu"))).to_be_hidden()
    expect(page.locator(".slip").first).to_be_visible()
    assert page.locator(".unit-page").first.evaluate("e => getComputedStyle(e).breakAfter") == "page"


def test_official_signs_in_with_a_code_sets_a_password_takes_the_survey_and_sees_the_result(
        live_server, survey_site, phone_page):
    with live_server.app.app_context():
        report = import_roster("Họ và tên,Đơn vị,Số điện thoại\nNguyễn Văn An,VP,0912345678\n".encode(), "ds.csv")
        [issued] = report.codes
    page = phone_page
    sign_in(page, live_server.url, "0912345678", issued.code)
    expect(page.get_by_role("heading", name="Đặt mật khẩu mới")).to_be_visible()
    page.goto(live_server.url + "/contests/khao-sat-cchc")  # nothing else opens first
    expect(page.get_by_role("heading", name="Đặt mật khẩu mới")).to_be_visible()
    page.get_by_label("Mã đăng nhập một lần hoặc mật khẩu tạm thời").fill(issued.code)
    page.get_by_label("Mật khẩu mới", exact=True).fill("an-taymo-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("an-taymo-2026")
    page.get_by_role("button", name="Lưu mật khẩu và tiếp tục").click()
    expect(page.get_by_text("Đã đặt mật khẩu")).to_be_visible()

    page.get_by_role("link", name="Khảo sát kiến thức CCHC 2026").click()
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    for position in range(1, 5):
        page.locator(f"#cau-{position} input").first.check()
        expect(page.locator(f"#state-{position}")).to_contain_text("Đã lưu")
    page.get_by_role("button", name="Nộp bài").click()
    page.get_by_role("button", name="Xác nhận nộp bài").click()

    expect(page.get_by_role("heading", name="Kết quả khảo sát kiến thức")).to_be_visible()
    expect(page.locator("#topic-breakdown")).to_contain_text("Cải cách thể chế")
    expect(page.get_by_text("đáp án đúng").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(live_server.url + "/contests/khao-sat-cchc")
    expect(page.get_by_role("button", name=re.compile("Bắt đầu làm bài"))).to_have_count(0)


def test_organiser_opens_the_heat_map(live_server, survey_site, desk_page):
    from contest.accounts.models import User
    from contest.attempts.finishing import finish_attempt
    from contest.attempts.starting import start_attempt

    with live_server.app.app_context():
        import_roster("Họ và tên,Đơn vị,Email\nTrần Thị Bình,VHXH,binh@taymo.gov.vn\nLê Minh Châu,VP,chau@taymo.gov.vn\n"
                      .encode(), "ds.csv")
        round_ = db.session.get(Round, survey_site)
        binh = db.session.scalar(sa.select(User).where(User.email == "binh@taymo.gov.vn"))
        attempt = start_attempt(binh, round_)
        for q in attempt.questions:
            q.selected = list(q.correct)
        db.session.commit()
        finish_attempt(attempt)

    page = desk_page
    sign_in(page, live_server.url, *ORGANISER)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Khảo sát", exact=True).click()
    page.get_by_role("link", name="Đợt khảo sát").click()
    expect(page.locator("#participation-summary")).to_contain_text("1/2 người đã làm bài")
    expect(page.locator("#participation")).to_contain_text("Lê Minh Châu")
    page.wait_for_load_state("load")  # the chart library is a deferred script: it runs after the text is there
    assert page.evaluate("typeof Chart") == "function"
    page.get_by_role("link", name="Bản đồ nhiệt theo chủ đề").click()
    heatmap = page.locator("#heatmap")
    expect(heatmap).to_contain_text("Toàn phường")
    expect(heatmap).to_contain_text("VHXH – Phòng Văn hóa – Xã hội")
    cell = heatmap.locator("td.heat").first
    expect(cell).to_have_text(re.compile(r"^100%"))
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(177, 241, 177)"  # hsl(120, 70%, 82%): green for 100%
