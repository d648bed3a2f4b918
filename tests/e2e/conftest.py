"""Real-browser tests: Debian's Chromium driven by Playwright against the app on a live local server.

Without a Chromium these tests are skipped with a loud warning; with REQUIRE_BROWSER=1 (as in CI) a missing
browser fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from contest import clock
from contest.extensions import db

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
_missing: list[str] = []


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium") or None):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium not found (install Debian's chromium, or set CHROMIUM_PATH)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and REQUIRE_BROWSER=1", pytrace=False)
        _missing.append(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(make_app):
    """The app with CSRF on, served from a thread on a free local port, on empty tables."""
    from tests.conftest import _empty_tables

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        _empty_tables()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.session.remove()


@pytest.fixture
def phone_page(browser):
    """A page the size of a cheap Android phone (360 × 740), in Vietnamese."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def pytest_terminal_summary(terminalreporter):
    if _missing:
        bar = "!" * 78
        terminalreporter.write_line(bar, red=True, bold=True)
        terminalreporter.write_line("BROWSER TESTS WERE SKIPPED: " + _missing[0], red=True, bold=True)
        terminalreporter.write_line("Run with REQUIRE_BROWSER=1 to make this a failure (CI does).", red=True)
        terminalreporter.write_line(bar, red=True, bold=True)


@pytest.fixture
def seeded(live_server):
    """Units, the small bank and a published contest whose round is open now (real clock)."""
    from datetime import timedelta

    import sqlalchemy as sa

    from contest.banks.importing import import_bank
    from contest.banks.models import Bank, Topic
    from contest.contests.models import BlueprintItem, Contest, Round
    from contest.units.service import import_units
    from tests.conftest import DATA

    def seed(**fields):
        with live_server.app.app_context():
            import_units("Mã đơn vị,Tên đơn vị,Loại,Số người\nTDP-07,Tổ dân phố số 7,Tổ dân phố,598\n".encode(),
                         "units.csv")
            import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml")
            now = clock.now()
            contest = Contest(slug="thi-thu", title="Cuộc thi thử về CCHC", kind="contest", audience="residents",
                              is_published=True, rules="Thể lệ thử.")
            round_ = Round(contest=contest, number=1, title="Đợt 1", opens_at=now - timedelta(days=1),
                           closes_at=now + timedelta(days=6), time_limit_minutes=fields.pop("time_limit_minutes", 20),
                           attempts_allowed=3, review_policy=fields.pop("review_policy", "after_submit"),
                           prediction_kind="full_score_count", prediction_prompt="Bao nhiêu người đạt điểm tuyệt đối?",
                           **fields)
            for topic in db.session.scalars(sa.select(Topic)):
                round_.blueprint.append(BlueprintItem(group="residents", topic_id=topic.id, count=2))
            round_.banks = list(db.session.scalars(sa.select(Bank)))
            db.session.add(contest)
            db.session.commit()
            return round_.id

    return seed


@pytest.fixture
def resident(live_server):
    """A registered resident (phone 0987654321, password mai-1975-tdp7) created through the service."""
    from datetime import date

    from contest.accounts.service import Registration, register_resident
    from contest.units.models import Unit

    def create():
        with live_server.app.app_context():
            unit = db.session.scalar(db.select(Unit))
            register_resident(Registration(full_name="Lê Thị Mai", birth_date=date(1975, 3, 8), gender="nu",
                                           phone="0987654321", password="mai-1975-tdp7", unit_id=unit.id,
                                           consent_participate=True, consent_publish_name=True))
        return "0987654321", "mai-1975-tdp7"

    return create


def sign_in(page, base_url, phone, password):
    page.goto(base_url + "/login")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(phone)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def fill_registration(page, base_url, *, name="Lê Thị Mai", birth="1975-03-08", gender="Nữ", phone="0987654321",
                      password="mai-1975-tdp7", unit="Tổ dân phố số 7", publish=False):
    """Open the registration form and fill it as a resident would (does not submit)."""
    import re

    page.goto(base_url + "/register")
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Ngày sinh").fill(birth)
    page.get_by_label(gender, exact=True).check()
    page.get_by_label("Số điện thoại di động").fill(phone)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_label("Nhập lại mật khẩu").fill(password)
    page.get_by_label("Tổ dân phố / đơn vị").select_option(label=unit)
    page.get_by_label(re.compile("Tôi đồng ý tham gia cuộc thi")).check()
    if publish:
        page.get_by_label(re.compile("công bố họ tên")).check()
