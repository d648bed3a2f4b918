"""In Chromium, on a 1366 px desktop and a 360 px phone: a pasted share link's page carries Open Graph tags,
the poster prints on one A4 page with its text, and certificates download with the person's name in them."""

import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from contest import clock
from contest.accounts.models import User
from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.publishing import publish_round
from contest.ranking.refresh import close_round
from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    phone = request.param == "phone"
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", is_mobile=phone, has_touch=phone,
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def contest(live_server):
    """A published contest whose closed round's winners are published: Nguyễn Thị Hằng won the Giải Nhất."""
    with live_server.app.app_context():
        now = clock.now()
        contest = Contest(slug="thi-cchc-2026", title="Cuộc thi tìm hiểu về cải cách hành chính năm 2026",
                          kind="contest", audience="residents", is_published=True,
                          summary="Cuộc thi dành cho người dân phường Tây Mỗ.",
                          certificate_issuer="Ủy ban nhân dân phường Tây Mỗ", certificate_place="Tây Mỗ",
                          certificate_signer_title="TM. Ban Tổ chức\nTrưởng ban",
                          certificate_signer_name="Phạm Quốc Khánh")
        round_ = Round(contest=contest, number=1, title="Đợt 1", opens_at=now - timedelta(days=8),
                       closes_at=now - timedelta(days=1), prizes_first=1, prizes_second=1)
        db.session.add(contest)
        db.session.flush()
        for i, (name, score) in enumerate([("Nguyễn Thị Hằng", 18), ("Trần Văn Đức", 12)]):
            user = User(login=f"09000000{i:02d}", phone=f"09000000{i:02d}", full_name=name, role="resident")
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            finished = round_.opens_at + timedelta(days=1, minutes=i)
            db.session.add(Attempt(round_id=round_.id, user_id=user.id, group="residents", number=1,
                                   state="finished", started_at=finished - timedelta(minutes=9), deadline=finished,
                                   finished_at=finished, score=score, max_score=20, duration_seconds=540))
            db.session.flush()
            mark_counting_attempt(round_, user.id)
        organiser = User(login="btc", full_name="Ban Tổ chức", role="organiser")
        organiser.set_password(PASSWORD)
        db.session.add(organiser)
        db.session.commit()
        close_round(round_)
        publish_round(round_)
        return {"id": contest.id, "slug": contest.slug, "code": contest.share_code}


def pdf_text(path) -> list[str]:
    with open(path, "rb") as handle:
        return [p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages]


def meta(page, prop):
    return page.locator(f'meta[property="{prop}"], meta[name="{prop}"]').get_attribute("content")


def test_a_pasted_share_link_opens_a_page_with_open_graph_tags(live_server, contest, page):
    page.goto(f"{live_server.url}/c/{contest['code']}")
    assert page.url == f"{live_server.url}/contests/{contest['slug']}"
    assert meta(page, "og:title") == "Cuộc thi tìm hiểu về cải cách hành chính năm 2026"
    assert meta(page, "og:description") == "Cuộc thi dành cho người dân phường Tây Mỗ."
    assert meta(page, "og:url") == page.url and meta(page, "og:type") == "article"
    assert meta(page, "twitter:card") == "summary_large_image"
    image = page.request.get(meta(page, "og:image"))
    assert image.ok and image.headers["content-type"] == "image/png"
    expect(page.get_by_role("heading", name="Chia sẻ cuộc thi")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)


def test_the_poster_prints_on_one_a4_page_with_its_text(live_server, contest, page):
    page.goto(f"{live_server.url}/contests/{contest['slug']}/poster")
    expect(page.get_by_role("heading", name="Ba bước để tham gia")).to_be_visible()
    assert page.evaluate("document.querySelector('.poster-qr img').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    printed = page.pdf(prefer_css_page_size=True, print_background=True)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(printed)).pages]
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    for expected in ("Cuộc thi tìm hiểu về cải cách hành chính năm 2026", "Ủy ban nhân dân phường Tây Mỗ".upper(),
                     "1 giải Nhất, 1 giải Nhì", "Ba bước để tham gia", f"/c/{contest['code']}"):
        assert expected in text, expected
    assert "Đăng xuất" not in text and "Tải mã QR" not in text


def test_a_winner_downloads_their_participation_certificate_from_the_result_page(live_server, contest, page):
    sign_in(page, live_server.url, "0900000000", PASSWORD)
    page.goto(f"{live_server.url}/attempts/1/result")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải giấy chứng nhận tham gia (PDF)").click()
    [text] = pdf_text(download.value.path())
    assert "Nguyễn Thị Hằng" in text and "Kết quả: 18/20 điểm" in text


def test_the_organiser_downloads_the_rounds_prize_certificates(live_server, contest, page):
    sign_in(page, live_server.url, "btc", PASSWORD)
    page.goto(f"{live_server.url}/admin/contests/{contest['id']}")
    page.get_by_role("link", name="Đợt 1").click()
    expect(page.get_by_role("heading", name="Giấy chứng nhận đạt giải")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tất cả 2 giấy chứng nhận (PDF, A4 ngang)").click()
    first, second = pdf_text(download.value.path())
    assert "Nguyễn Thị Hằng" in first and "GIẢI NHẤT" in first and "Phạm Quốc Khánh" in first
    assert "Trần Văn Đức" in second and "GIẢI NHÌ" in second


def test_the_signature_page_is_accessible(live_server, contest, page):
    sign_in(page, live_server.url, "btc", PASSWORD)
    page.goto(f"{live_server.url}/admin/contests/{contest['id']}/certificate-signature")
    expect(page.get_by_label("Họ và tên người ký")).to_have_value("Phạm Quốc Khánh")
    assert_accessible(page)


def test_the_poster_downloads_as_a_pdf_with_its_text(live_server, contest, page):
    page.goto(f"{live_server.url}/contests/{contest['slug']}/poster")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải áp phích (PDF)").click()
    pages = pdf_text(download.value.path())
    text = " ".join(pages[0].split())
    assert len(pages) == 1
    for expected in ("Cuộc thi tìm hiểu về cải cách hành chính năm 2026", "ỦY BAN NHÂN DÂN PHƯỜNG TÂY MỖ",
                     "1 giải Nhất, 1 giải Nhì", "Ba bước để tham gia", f"/c/{contest['code']}"):
        assert expected in text, expected
