"""Absolute links of the public pages and the Open Graph tags of each.

An absolute link is built on PUBLIC_BASE_URL when it is set, else on the request's scheme and host, which
behind PROXY_FIX_HOPS trusted proxies are read from their X-Forwarded-Proto/-Host headers (contest.__init__).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app, has_request_context, request, url_for
from jinja2 import pass_context

from contest.contests.models import Contest
from contest.sharing.addresses import normalise_base_url

SITE_TITLE = "HoiThi – Thi tìm hiểu về cải cách hành chính"
SITE_DESCRIPTION = ("Cuộc thi tìm hiểu và khảo sát kiến thức về cải cách hành chính của phường: đăng ký bằng số "
                    "điện thoại, làm bài trên điện thoại, xem kết quả và bảng xếp hạng.")
# The public pages about one contest, with how each names itself in a preview card.
PAGE_TITLES = {
    "contests.detail": "{contest}",
    "contests.standings": "Bảng xếp hạng {round} – {contest}",
    "ranking.winners": "Danh sách đạt giải {round} – {contest}",
    "ranking.announcement": "Thông báo kết quả {round} – {contest}",
    "ranking.units": "Bảng xếp hạng đơn vị – {contest}",
    "ranking.overall": "Bảng xếp hạng chung – {contest}",
    "sharing.poster": "{contest}",
}
DESCRIPTION_LENGTH = 200


def absolute_url(endpoint: str, **values) -> str:
    """The absolute address of a page, on PUBLIC_BASE_URL when set."""
    base = normalise_base_url(current_app.config.get("PUBLIC_BASE_URL"))
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def share_url(contest: Contest) -> str:
    """The contest's short share link, absolute (what its QR code holds)."""
    return absolute_url("sharing.short_link", code=contest.share_code)


def share_link_text(contest: Contest) -> str:
    """The share link without its scheme, as printed on a poster for someone to type."""
    return re.sub(r"^https?://", "", share_url(contest))


def summary_of(contest: Contest) -> str:
    """A short description of the contest for a preview card: its summary, else the start of its rules."""
    text = contest.summary or re.sub(r"[#*_>`\[\]]", "", contest.rules or "")
    text = " ".join(text.split())
    if len(text) > DESCRIPTION_LENGTH:
        text = text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + "…"
    return text or SITE_DESCRIPTION


@dataclass(frozen=True)
class OpenGraph:
    """The preview of a page: what Zalo, Facebook and others show for a pasted link."""

    title: str
    description: str
    url: str
    image: str
    image_alt: str
    kind: str = "website"


def open_graph(contest: Contest | None, round_=None) -> OpenGraph:
    """The Open Graph data of the current page: about its contest on a public contest page, else the site's."""
    endpoint = request.endpoint or ""
    page_url = absolute_url(endpoint, **(request.view_args or {})) if request.url_rule else absolute_url(
        "contests.home")
    if contest is None or not contest.is_published or endpoint not in PAGE_TITLES:
        return OpenGraph(SITE_TITLE, SITE_DESCRIPTION, page_url, absolute_url("sharing.site_card"),
                         "HoiThi – thi tìm hiểu về cải cách hành chính")
    title = PAGE_TITLES[endpoint].format(contest=contest.title, round=getattr(round_, "title", ""))
    return OpenGraph(title, summary_of(contest), page_url,
                     absolute_url("sharing.card", code=contest.share_code),
                     f"{contest.title}: mã QR để tham gia cuộc thi", kind="article")


@pass_context
def open_graph_of_page(context) -> OpenGraph | None:
    """The template global behind templates/sharing/_og.html: reads the page's contest and round (None when
    a page is rendered outside a request, where there is no address to build on)."""
    if not has_request_context():
        return None
    contest = context.get("contest")
    round_ = context.get("round")
    return open_graph(contest if isinstance(contest, Contest) else None, round_)
