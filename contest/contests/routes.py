"""Public pages: the home page, a contest with its rules and rounds, the CCCD declaration."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from contest import clock
from contest.accounts.forms import CccdForm
from contest.accounts.service import AccountError, has_cccd, register_cccd
from contest.contests.models import COUNTING_RULES, GROUPS, PREDICTION_KINDS, REVIEW_POLICIES, Contest
from contest.contests.service import current_round, published_contests
from contest.extensions import db

bp = Blueprint("contests", __name__)


@bp.route("/")
def home():
    """The home page: published contests with their current round."""
    contests = [(c, current_round(c)) for c in published_contests()]
    return render_template("contests/home.html", contests=contests, now=clock.now())


@bp.route("/contests/<slug>")
def detail(slug: str):
    """A contest: its rules and its rounds."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None or (not contest.is_published and not _is_organiser()):
        abort(404)
    needs_cccd = (contest.requires_cccd and current_user.is_authenticated
                  and not has_cccd(current_user, contest.id))
    return render_template("contests/detail.html", contest=contest, now=clock.now(),
                           current=current_round(contest), counting_rules=COUNTING_RULES,
                           review_policies=REVIEW_POLICIES, prediction_kinds=PREDICTION_KINDS, groups=GROUPS,
                           needs_cccd=needs_cccd)


@bp.route("/contests/<slug>/cccd", methods=["GET", "POST"])
@login_required
def cccd(slug: str):
    """Declare one's CCCD for a contest that asks for it."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug, Contest.is_published.is_(True)))
    if contest is None or not contest.requires_cccd:
        abort(404)
    form = CccdForm()
    if form.validate_on_submit():
        try:
            register_cccd(current_user, contest.id, form.cccd.data)
        except AccountError as exc:
            form.cccd.errors.append(str(exc))
        else:
            flash("Đã ghi nhận số CCCD.", "success")
            return redirect(url_for("contests.detail", slug=contest.slug))
    return render_template("contests/cccd.html", contest=contest, form=form), (422 if form.errors else 200)


def _is_organiser() -> bool:
    return current_user.is_authenticated and current_user.role == "organiser"
