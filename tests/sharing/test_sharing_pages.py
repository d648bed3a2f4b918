"""The share link, its QR code, the poster and the Open Graph tags of the public pages."""

import io
import re

import pytest
from pypdf import PdfReader

from contest import ConfigurationError
from contest.contests.models import Contest
from contest.extensions import db
from contest.sharing.images import qr_png


def og(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.fixture
def contest(make_round):
    round_ = make_round(prizes_first=1, prizes_second=2)
    round_.contest.title = "Cuộc thi tìm hiểu về cải cách hành chính"
    round_.contest.summary = "Dành cho người dân phường Tây Mỗ."
    round_.contest.certificate_issuer = "Ủy ban nhân dân phường Tây Mỗ"
    db.session.commit()
    return round_.contest


def test_every_contest_gets_its_own_share_code(contest, make_round):
    other = make_round().contest
    assert contest.share_code and other.share_code and contest.share_code != other.share_code


def test_the_share_link_leads_to_the_contest_page(client, contest):
    response = client.get(f"/c/{contest.share_code}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/contests/{contest.slug}")


def test_the_share_link_typed_in_capitals_still_leads_to_the_contest(client, contest):
    assert client.get(f"/c/{contest.share_code.upper()}").status_code == 302


def test_an_unknown_share_code_is_not_found(client, contest):
    assert client.get("/c/zzzzzzzz").status_code == 404


def test_the_share_link_of_an_unpublished_contest_is_not_found_for_visitors(client, contest):
    contest.is_published = False
    db.session.commit()
    assert client.get(f"/c/{contest.share_code}").status_code == 404
    assert client.get(f"/c/{contest.share_code}/qr.png").status_code == 404


def test_the_qr_code_holds_the_absolute_share_link_on_the_public_base_url(make_app, contest):
    app = make_app(PUBLIC_BASE_URL="https://thi.taymo.gov.vn")
    response = app.test_client().get(f"/c/{contest.share_code}/qr.png")
    assert response.mimetype == "image/png"
    assert response.data == qr_png(f"https://thi.taymo.gov.vn/c/{contest.share_code}")


def test_the_qr_code_is_also_an_svg(client, contest):
    response = client.get(f"/c/{contest.share_code}/qr.svg")
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data


def test_the_contest_page_carries_open_graph_tags(client, contest):
    html = client.get(f"/contests/{contest.slug}").get_data(as_text=True)
    assert og(html, "og:title") == "Cuộc thi tìm hiểu về cải cách hành chính"
    assert og(html, "og:description") == "Dành cho người dân phường Tây Mỗ."
    assert og(html, "og:url") == f"http://localhost/contests/{contest.slug}"
    assert og(html, "og:image") == f"http://localhost/c/{contest.share_code}/the.png"
    assert og(html, "og:type") == "article" and og(html, "twitter:card") == "summary_large_image"


def test_the_home_page_carries_the_sites_open_graph_tags(client, contest):
    html = client.get("/").get_data(as_text=True)
    assert og(html, "og:title").startswith("HoiThi") and og(html, "og:image") == "http://localhost/the-hoithi.png"


@pytest.mark.parametrize(("path", "title"), [
    ("/contests/{slug}/rounds/1/standings", "Bảng xếp hạng Đợt 1 – "),
    ("/contests/{slug}/rounds/1/announcement", "Thông báo kết quả Đợt 1 – "),
])
def test_results_pages_carry_open_graph_tags_of_their_round(client, contest, path, title):
    html = client.get(path.format(slug=contest.slug)).get_data(as_text=True)
    assert og(html, "og:title") == title + contest.title
    assert og(html, "og:image").startswith("http://localhost/c/")


def test_absolute_links_follow_the_public_base_url(make_app, contest):
    app = make_app(PUBLIC_BASE_URL="https://thi.taymo.gov.vn/")
    html = app.test_client().get(f"/contests/{contest.slug}").get_data(as_text=True)
    assert og(html, "og:url") == f"https://thi.taymo.gov.vn/contests/{contest.slug}"


def test_absolute_links_follow_the_trusted_proxys_host_and_scheme(make_app, contest):
    app = make_app(PROXY_FIX_HOPS=1)
    html = app.test_client().get(f"/contests/{contest.slug}", headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-Host": "thi.taymo.gov.vn"}).get_data(as_text=True)
    assert og(html, "og:url") == f"https://thi.taymo.gov.vn/contests/{contest.slug}"


def test_forwarded_host_is_ignored_without_a_trusted_proxy(client, contest):
    html = client.get(f"/contests/{contest.slug}", headers={"X-Forwarded-Host": "evil.example"}).get_data(
        as_text=True)
    assert "evil.example" not in html


def test_a_public_base_url_that_is_not_a_site_address_stops_the_start(make_app):
    with pytest.raises(ConfigurationError):
        make_app(PUBLIC_BASE_URL="thi.taymo.gov.vn")


def test_the_preview_card_is_a_png(client, contest):
    response = client.get(f"/c/{contest.share_code}/the.png")
    assert response.mimetype == "image/png" and response.data.startswith(b"\x89PNG")


def test_the_poster_tells_title_ward_dates_prizes_steps_and_shows_the_qr(client, contest):
    html = client.get(f"/contests/{contest.slug}/poster").get_data(as_text=True)
    for expected in (contest.title, "Ủy ban nhân dân phường Tây Mỗ", "Từ 07:00 ngày 21/11/2026",
                     "1 giải Nhất, 2 giải Nhì", "Ba bước để tham gia", f"/c/{contest.share_code}/qr.svg",
                     f"localhost/c/{contest.share_code}"):
        assert expected in html, expected


def test_the_poster_of_an_unpublished_contest_is_not_found_for_visitors(client, contest):
    contest.is_published = False
    db.session.commit()
    assert client.get(f"/contests/{contest.slug}/poster").status_code == 404


def test_the_contest_page_shows_its_share_link(client, contest):
    html = client.get(f"/contests/{contest.slug}").get_data(as_text=True)
    assert f"http://localhost/c/{contest.share_code}" in html and "Chia sẻ cuộc thi" in html


def test_a_contest_made_without_a_code_still_gets_one(app):
    contest = Contest(slug="moi", title="Mới", kind="contest", audience="residents")
    db.session.add(contest)
    db.session.commit()
    assert contest.share_code


def test_the_poster_downloads_as_a_pdf_with_its_text(client, contest):
    response = client.get(f"/contests/{contest.slug}/poster.pdf")
    assert response.mimetype == "application/pdf" and "attachment" in response.headers["Content-Disposition"]
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "Cuộc thi tìm hiểu về cải cách hành chính" in text and f"localhost/c/{contest.share_code}" in text


def test_the_pdf_poster_of_an_unpublished_contest_is_not_found_for_visitors(client, contest):
    contest.is_published = False
    db.session.commit()
    assert client.get(f"/contests/{contest.slug}/poster.pdf").status_code == 404
