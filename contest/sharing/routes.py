"""Public sharing pages: the short link, its QR code (PNG, SVG), the preview card and the A4 poster."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, render_template, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from contest import clock
from contest.contests.models import Contest
from contest.extensions import db
from contest.sharing.codes import normalise_share_code
from contest.sharing.images import preview_card, qr_png, qr_svg
from contest.sharing.links import (
    SITE_DESCRIPTION,
    SITE_TITLE,
    absolute_url,
    open_graph_of_page,
    share_link_text,
    share_url,
)
from contest.sharing.poster import poster_facts, poster_pdf

bp = Blueprint("sharing", __name__)

# Images change only with the contest's title or the site's address: an hour in shared caches is plenty.
IMAGE_MAX_AGE = 3600


@bp.app_context_processor
def _open_graph():
    """Every page can show its preview tags (templates/sharing/_og.html) and a contest's share link."""
    return {"open_graph_of_page": open_graph_of_page, "share_url": share_url}


def _sees(contest: Contest) -> bool:
    """The same rule as the contest's page: published (organisers see all), surveys for staff only."""
    role = current_user.role if current_user.is_authenticated else None
    if not contest.is_published and role != "organiser":
        return False
    return contest.kind != "survey" or role in ("official", "unit_manager", "organiser")


def shared_contest(code: str) -> Contest:
    """The contest a share code names and the visitor may see, else 404."""
    normalised = normalise_share_code(code)
    contest = db.session.scalar(select(Contest).where(Contest.share_code == normalised)) if normalised else None
    if contest is None or not _sees(contest):
        abort(404)
    return contest


def _image(data: bytes, mimetype: str, filename: str | None = None) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _font() -> Path:
    return Path(current_app.static_folder) / "fonts" / "DejaVuSerif-Bold.ttf"


@lru_cache(maxsize=64)
def _card(title: str, subtitle: str, link_text: str, url: str, font: Path) -> bytes:
    return preview_card(title, subtitle, link_text, url, font)


@bp.route("/c/<code>")
def short_link(code: str):
    """The short share link: on to the contest's public page."""
    contest = shared_contest(code)
    return redirect(url_for("contests.detail", slug=contest.slug), 302)


@bp.route("/c/<code>/qr.png")
def qr_image(code: str):
    """The QR code of the share link as a PNG (for Zalo messages and slides)."""
    contest = shared_contest(code)
    return _image(qr_png(share_url(contest)), "image/png", f"ma-qr-{contest.slug}.png")


@bp.route("/c/<code>/qr.svg")
def qr_vector(code: str):
    """The QR code of the share link as an SVG (sharp at any print size)."""
    contest = shared_contest(code)
    return _image(qr_svg(share_url(contest), title=f"Mã QR: {contest.title}"), "image/svg+xml",
                  f"ma-qr-{contest.slug}.svg")


@bp.route("/c/<code>/the.png")
def card(code: str):
    """The contest's preview card (Open Graph image): title, organiser, the link and its QR code."""
    contest = shared_contest(code)
    subtitle = contest.certificate_issuer or "Cuộc thi tìm hiểu về cải cách hành chính"
    return _image(_card(contest.title, subtitle, share_link_text(contest), share_url(contest), _font()),
                  "image/png")


@bp.route("/the-hoithi.png")
def site_card():
    """The site's preview card, for the home page and pages not about one contest."""
    home = absolute_url("contests.home")
    return _image(_card(SITE_TITLE, SITE_DESCRIPTION, home.split("://", 1)[-1], home, _font()), "image/png")


@bp.route("/contests/<slug>/poster")
def poster(slug: str):
    """The printable A4 poster for notice boards: title, organiser, dates, prizes, the QR code, three steps."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None or not _sees(contest):
        abort(404)
    return render_template("sharing/poster.html", contest=contest, facts=poster_facts(contest, clock.now()),
                           share_url=share_url(contest), share_text=share_link_text(contest))


@bp.route("/contests/<slug>/poster.pdf")
def poster_download(slug: str):
    """The same poster as an A4 PDF, ready to print without the browser's print settings."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None or not _sees(contest):
        abort(404)
    data = poster_pdf(contest.title, contest.certificate_issuer or "", contest.summary or "",
                      poster_facts(contest, clock.now()), share_link_text(contest), qr_png(share_url(contest)),
                      Path(current_app.static_folder) / "fonts", with_prizes=contest.kind == "contest")
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"ap-phich_{contest.slug}.pdf", max_age=0)
