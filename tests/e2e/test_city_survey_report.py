"""A city survey's report in real Chromium (issue 19): the city's organiser sees the wards side by side; a
ward's organiser sees their ward's slice only."""

from datetime import timedelta

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
from contest.units.models import Unit
from tests.conftest import DATA
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

CITY = ("btc-thanh-pho", "thanh-pho-mat-khau-2026")
WARD = ("btc-tay-mo", "tay-mo-mat-khau-2026")


@pytest.fixture
def city_survey(live_server):
    """A city with two wards, an office in each with one official who took the city's survey; one organiser
    for the city and one for Tây Mỗ (real clock)."""
    with live_server.app.app_context():
        city = Unit(code="HN", name="Thành phố Hà Nội", kind="city")
        offices = {}
        for code, name, person in (("TAYMO", "Phường Tây Mỗ", "Nguyễn Văn An"),
                                   ("DAIMO", "Phường Đại Mỗ", "Trần Thị Giang")):
            ward = Unit(code=code, name=name, kind="ward", parent=city)
            offices[person] = Unit(code=f"{code}-VP", name=f"Văn phòng {name}", kind="office", parent=ward,
                                   headcount=5)
        db.session.add_all(offices.values())
        db.session.commit()
        import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml", owner_unit_id=city.id)
        create_organiser(CITY[0], "Ban tổ chức thành phố", CITY[1])
        ward_organiser = create_organiser(WARD[0], "Ban tổ chức phường Tây Mỗ", WARD[1])
        ward_organiser.managed_unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.code == "TAYMO"))
        now = clock.now()
        contest = Contest(slug="khao-sat-thanh-pho", title="Khảo sát kiến thức CCHC toàn thành phố", kind="survey",
                          audience="officials", is_published=True, owner_unit_id=city.id)
        round_ = Round(contest=contest, number=1, title="Đợt khảo sát", opens_at=now - timedelta(days=1),
                       closes_at=now + timedelta(days=6), time_limit_minutes=15, attempts_allowed=1,
                       review_policy="after_submit")
        for topic in db.session.scalars(sa.select(Topic)):
            round_.blueprint.append(BlueprintItem(group="officials", topic_id=topic.id, count=2))
        round_.banks = list(db.session.scalars(sa.select(Bank)))
        db.session.add(contest)
        for n, (name, office) in enumerate(offices.items()):
            official = User(login=f"09000000{n:02d}", phone=f"09000000{n:02d}", role="official", full_name=name,
                            unit=office)
            official.set_password("mat-khau-can-bo-2026")
            db.session.add(official)
        db.session.commit()
        for official in db.session.scalars(sa.select(User).where(User.role == "official")):
            attempt = start_attempt(official, round_)
            for q in attempt.questions:
                q.selected = list(q.correct)
            db.session.commit()
            finish_attempt(attempt)
        return round_.id


@pytest.fixture
def desk_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_city_sees_the_wards_side_by_side(live_server, city_survey, desk_page):
    page = desk_page
    sign_in(page, live_server.url, *CITY)
    page.goto(f"{live_server.url}/admin/surveys/rounds/{city_survey}")
    expect(page.locator("#participation-wards")).to_contain_text("Phường Tây Mỗ")
    expect(page.locator("#participation-wards")).to_contain_text("Phường Đại Mỗ")
    expect(page.locator("#participation-summary")).to_contain_text("Toàn thành phố: 2/2")
    page.get_by_role("link", name="Bản đồ nhiệt theo chủ đề").click()
    expect(page.locator("#heatmap-wards tbody tr")).to_have_count(2)


def test_a_ward_sees_its_slice_only(live_server, city_survey, desk_page):
    page = desk_page
    sign_in(page, live_server.url, *WARD)
    page.goto(f"{live_server.url}/admin/surveys")
    expect(page.get_by_text("Khảo sát của thành phố – chỉ xem")).to_be_visible()
    page.get_by_role("link", name="Đợt khảo sát").click()
    expect(page.locator("#participation-summary")).to_contain_text("Phường Tây Mỗ: 1/1")
    expect(page.locator("#participation-wards")).to_have_count(0)
    expect(page.locator("#results")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#results")).not_to_contain_text("Trần Thị Giang")
