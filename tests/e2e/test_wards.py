"""A city of wards in real Chromium (issue 19): a ward organiser's contest is seen by the ward's residents and not
by another ward's; a resident registers through their ward's page; a city survey's report shows every ward to the
city's organiser and only their ward to a ward organiser. Every new page passes axe (0 serious/critical)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from contest import clock
from contest.accounts.models import User
from contest.accounts.service import create_organiser
from contest.attempts.finishing import finish_attempt
from contest.attempts.starting import start_attempt
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Topic
from contest.contests.models import BlueprintItem, Contest, Round
from contest.extensions import db
from contest.units.service import import_units
from tests.conftest import DATA
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

CITY_UNITS = """Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên
HN,Thành phố Hà Nội,Thành phố,
P-TAYMO,Phường Tây Mỗ,Phường,HN
P-DAIMO,Phường Đại Mỗ,Phường,HN
TM-TDP1,Tổ dân phố số 1,Tổ dân phố,P-TAYMO
TM-VHXH,Phòng Văn hóa – Xã hội phường Tây Mỗ,Cơ quan,P-TAYMO
DM-TDP1,Tổ dân phố số 1,Tổ dân phố,P-DAIMO
DM-VHXH,Phòng Văn hóa – Xã hội phường Đại Mỗ,Cơ quan,P-DAIMO
"""
PASSWORD = "mat-khau-phuong-2026"
WARD_ORGANISER = "btc-taymo"
CITY_ORGANISER = "btc-thanhpho"


def person(login: str, name: str, role: str, unit_code: str, phone: str | None = None) -> None:
    unit_id = db.session.scalar(sa.text("SELECT id FROM units WHERE code = :c"), {"c": unit_code})
    user = User(login=login, phone=phone, role=role, full_name=name, unit_id=unit_id, password_hash="!")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()


@pytest.fixture
def city(live_server):
    """Two wards of a city, the small bank, the city's organiser, Tây Mỗ's organiser, a resident of each ward."""
    with live_server.app.app_context():
        assert import_units(CITY_UNITS.encode(), "don-vi.csv").ok
        import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
        create_organiser(CITY_ORGANISER, "Ban tổ chức thành phố", PASSWORD)
        create_organiser(WARD_ORGANISER, "Ban tổ chức phường Tây Mỗ", PASSWORD)
        db.session.scalar(sa.select(User).where(User.login == WARD_ORGANISER)).managed_unit_id = db.session.scalar(
            sa.text("SELECT id FROM units WHERE code = 'P-TAYMO'"))
        db.session.commit()
        person("0987000001", "Lê Thị Mai", "resident", "TM-TDP1", "0987000001")
        person("0987000002", "Trần Văn Hùng", "resident", "DM-TDP1", "0987000002")
    return SimpleNamespace(taymo="0987000001", daimo="0987000002")


@pytest.fixture
def office_page(browser):
    """An office PC's browser window, in Vietnamese."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def ward_organiser_creates_a_contest(page, base_url: str, title: str) -> None:
    """Through the console's pages: the contest, published, and its first round (opening tomorrow)."""
    sign_in(page, base_url, WARD_ORGANISER, PASSWORD)
    page.goto(base_url + "/admin/")
    page.get_by_role("link", name="Tạo cuộc thi mới").click()
    page.get_by_label("Tên cuộc thi").fill(title)
    page.get_by_label("Thể lệ").fill("Điều 1. Đối tượng: người dân phường Tây Mỗ.")
    page.get_by_label("Công bố trên trang chủ").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu cuộc thi")
    page.get_by_role("link", name="Thêm đợt thi").click()
    opens = clock.to_vn(clock.now() + timedelta(days=1)).replace(hour=8, minute=0)
    page.get_by_label("Tên đợt thi").fill("Đợt 1")
    page.get_by_label("Bắt đầu (giờ Việt Nam)").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Kết thúc (giờ Việt Nam)").fill((opens + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Thời gian làm bài (phút)").fill("20")
    page.get_by_label("Số lần dự thi tối đa").fill("3")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu đợt thi")


def owned_by_the_organisers_ward(app, title: str) -> str:
    """The contest's owner is the organiser's ward. The console's own scoping (engineer A, issue 19) sets it when a
    ward organiser saves a contest; until that is merged the test sets the same value through the model."""
    with app.app_context():
        contest = db.session.scalar(sa.select(Contest).where(Contest.title == title))
        organiser = db.session.scalar(sa.select(User).where(User.login == WARD_ORGANISER))
        contest.owner_unit_id = organiser.managed_unit_id
        db.session.commit()
        return contest.slug


def test_a_ward_organisers_contest_is_seen_by_the_wards_residents_and_not_by_another_wards(
        live_server, city, office_page, browser):
    title = "Cuộc thi tìm hiểu CCHC phường Tây Mỗ"
    ward_organiser_creates_a_contest(office_page, live_server.url, title)
    slug = owned_by_the_organisers_ward(live_server.app, title)

    for phone, sees in ((city.daimo, False), (city.taymo, True)):
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", is_mobile=True,
                                      has_touch=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, live_server.url, phone, PASSWORD)
        page.goto(live_server.url + "/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        heading = page.get_by_role("link", name=title)
        response = page.goto(f"{live_server.url}/contests/{slug}")
        if sees:
            assert response.status == 200
            expect(page.get_by_role("heading", level=1)).to_have_text(title)
        else:
            assert response.status == 404
            expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
            page.goto(live_server.url + "/")
            expect(heading).to_have_count(0)
            page.goto(live_server.url + "/p/P-TAYMO/")
            expect(page.get_by_text("chỉ dành cho người dân và cán bộ của Phường Tây Mỗ")).to_be_visible()
            expect(page.get_by_role("link", name=title)).to_have_count(0)
            assert_accessible(page)
        if sees:
            page.goto(live_server.url + "/")
            expect(page.get_by_role("link", name=title)).to_be_visible()
        context.close()


def test_a_resident_registers_through_their_wards_page(live_server, city, phone_page):
    with live_server.app.app_context():  # a published contest of Tây Mỗ
        db.session.add(Contest(slug="thi-tay-mo", title="Cuộc thi của phường Tây Mỗ", kind="contest",
                               audience="residents", is_published=True, rules="Thể lệ.",
                               owner_unit_id=db.session.scalar(sa.text("SELECT id FROM units WHERE code='P-TAYMO'"))))
        db.session.commit()
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Cuộc thi của phường Tây Mỗ")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Phường Tây Mỗ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cuộc thi của Phường Tây Mỗ")
    expect(page.get_by_role("link", name="Cuộc thi của phường Tây Mỗ")).to_be_visible()
    expect(page.get_by_text("Phường Tây Mỗ", exact=True).first).to_be_visible()
    assert_accessible(page)

    page.locator("#noi-dung").get_by_role("link", name="Đăng ký", exact=True).click()  # the ward page's own link
    unit = page.get_by_label("Tổ dân phố / đơn vị")
    assert unit.locator("option").all_inner_texts() == [
        "— Chọn tổ dân phố hoặc đơn vị —", "Tổ dân phố số 1", "Phòng Văn hóa – Xã hội phường Tây Mỗ"]
    assert_accessible(page)
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Ngày sinh").fill("1980-02-14")
    page.get_by_label("Nữ", exact=True).check()
    page.get_by_label("Số điện thoại di động").fill("0987000003")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    unit.select_option(label="Tổ dân phố số 1")
    page.get_by_label("Tôi đồng ý tham gia cuộc thi", exact=False).check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.locator(".flash-success")).to_contain_text("Đăng ký thành công")
    expect(page.get_by_role("link", name="Cuộc thi của phường Tây Mỗ")).to_be_visible()


def test_registration_from_the_city_home_first_asks_for_the_ward(live_server, city, phone_page):
    page = phone_page
    page.goto(live_server.url + "/register")
    expect(page.get_by_role("heading", name="Bạn ở phường, xã nào?")).to_be_visible()
    expect(page.get_by_label("Tổ dân phố / đơn vị")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Phường Đại Mỗ").click()
    options = page.get_by_label("Tổ dân phố / đơn vị").locator("option").all_inner_texts()
    assert options == ["— Chọn tổ dân phố hoặc đơn vị —", "Tổ dân phố số 1", "Phòng Văn hóa – Xã hội phường Đại Mỗ"]


@pytest.fixture
def city_survey(live_server, city):
    """A city survey (owned by the city) with one official of each ward who has taken it."""
    with live_server.app.app_context():
        person("canbo-taymo", "Phạm Thị Tây", "official", "TM-VHXH")
        person("canbo-daimo", "Vũ Văn Đại", "official", "DM-VHXH")
        now = clock.now()
        contest = Contest(slug="khao-sat-thanh-pho", title="Khảo sát kiến thức CCHC của thành phố", kind="survey",
                          audience="officials", is_published=True, rules="Mỗi người làm một lần.",
                          owner_unit_id=db.session.scalar(sa.text("SELECT id FROM units WHERE code = 'HN'")))
        round_ = Round(contest=contest, number=1, title="Đợt khảo sát", opens_at=now - timedelta(days=1),
                       closes_at=now + timedelta(days=6), time_limit_minutes=15, attempts_allowed=1,
                       review_policy="after_submit")
        for topic in db.session.scalars(sa.select(Topic)):
            round_.blueprint.append(BlueprintItem(group="officials", topic_id=topic.id, count=1))
        round_.banks = list(db.session.scalars(sa.select(Bank)))
        db.session.add(contest)
        db.session.commit()
        for login in ("canbo-taymo", "canbo-daimo"):
            official = db.session.scalar(sa.select(User).where(User.login == login))
            finish_attempt(start_attempt(official, db.session.get(Round, round_.id)))
        return round_.id


def test_a_city_surveys_report_shows_every_ward_to_the_city_and_one_ward_to_its_organiser(
        live_server, city_survey, office_page):
    page = office_page
    sign_in(page, live_server.url, CITY_ORGANISER, PASSWORD)
    page.goto(f"{live_server.url}/admin/surveys/rounds/{city_survey}")
    expect(page.get_by_role("link", name="Phạm Thị Tây")).to_be_visible()
    expect(page.get_by_role("link", name="Vũ Văn Đại")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server.url, WARD_ORGANISER, PASSWORD)
    page.goto(f"{live_server.url}/admin/surveys/rounds/{city_survey}")
    expect(page.get_by_role("link", name="Phạm Thị Tây")).to_be_visible()
    expect(page.get_by_text("Vũ Văn Đại")).to_have_count(0)
    expect(page.get_by_text("Phòng Văn hóa – Xã hội phường Đại Mỗ")).to_have_count(0)
