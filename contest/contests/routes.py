"""Public pages: the home page, a contest with its rules and rounds, the CCCD declaration."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from contest import clock
from contest.accounts.forms import CccdForm
from contest.accounts.service import AccountError, has_cccd, people_by_id, register_cccd
from contest.attempts.expiry import finish_if_overdue
from contest.attempts.forms import StartForm
from contest.attempts.models import Attempt
from contest.attempts.terms import group_of
from contest.contests.models import (
    AUDIENCES,
    COUNTING_RULES,
    GROUPS,
    PREDICTION_KINDS,
    REVIEW_POLICIES,
    Contest,
)
from contest.contests.service import current_round, published_contests
from contest.extensions import db
from contest.ranking.lookups import participant_count, result_of, top_results
from contest.ranking.page_cache import public_page
from contest.ranking.refresh import fresh_results, ranking_order
from contest.ranking.standings import TIE_BREAK_STEPS
from contest.units.models import Unit

bp = Blueprint("contests", __name__)


def _sees_surveys() -> bool:
    """A knowledge survey is for officials: residents and visitors neither see it listed nor open its page."""
    return current_user.is_authenticated and current_user.role in ("official", "unit_manager", "organiser")


@bp.route("/")
def home():
    """The home page: published contests with their current round."""
    contests = [(c, current_round(c)) for c in published_contests() if c.kind != "survey" or _sees_surveys()]
    my_group = group_of(current_user) if current_user.is_authenticated else None
    return render_template("contests/home.html", contests=contests, now=clock.now(), my_group=my_group,
                           audiences=AUDIENCES)


@bp.route("/contests/<slug>")
def detail(slug: str):
    """A contest: its rules and its rounds."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None or (not contest.is_published and not _is_organiser()):
        abort(404)
    if contest.kind == "survey" and not _sees_surveys():
        abort(404)
    needs_cccd = (contest.requires_cccd and current_user.is_authenticated
                  and not has_cccd(current_user, contest.id))
    current = current_round(contest)
    mine = []
    group = None
    if current is not None and current_user.is_authenticated:
        group = group_of(current_user)
        mine = db.session.scalars(select(Attempt).where(Attempt.round_id == current.id,
                                                        Attempt.user_id == current_user.id)
                                  .order_by(Attempt.number)).all()
        for attempt in mine:
            finish_if_overdue(attempt)
    return render_template("contests/detail.html", contest=contest, now=clock.now(),
                           current=current, counting_rules=COUNTING_RULES,
                           review_policies=REVIEW_POLICIES, prediction_kinds=PREDICTION_KINDS, groups=GROUPS,
                           needs_cccd=needs_cccd, mine=mine, my_group=group, start_form=StartForm())


@bp.route("/contests/<slug>/rounds/<int:number>/standings")
def standings(slug: str, number: int):
    """A round's public standings per audience group (top N, or one unit's top 50) with the taker's own rank."""
    top = min(max(request.args.get("top", 50, type=int), 10), 500)
    unit_id = request.args.get("unit", type=int)

    def build() -> str:
        contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
        if contest is None or (not contest.is_published and not _is_organiser()) or contest.kind != "contest":
            abort(404)
        round_ = next((r for r in contest.rounds if r.number == number), None)
        if round_ is None:
            abort(404)
        fresh_results(round_)
        unit = db.session.get(Unit, unit_id) if unit_id else None
        # the taker's own rank is on the page: never shared (public_page builds it for each signed-in visitor)
        mine = result_of(round_, current_user.id) if current_user.is_authenticated else None
        tables = [(group, top_results(round_, group, limit=top, unit_id=unit.id if unit else None),
                   participant_count(round_, group), mine if mine and mine.group == group else None)
                  for group in contest.groups]
        user_ids = {line.user_id for _, lines, _, _ in tables for line in lines}
        unit_ids = {line.unit_id for _, lines, _, _ in tables for line in lines}
        people = people_by_id(user_ids)
        units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
        return render_template("contests/standings.html", contest=contest, round=round_, tables=tables, top=top,
                               people=people, units=units, unit=unit, groups=GROUPS, now=clock.now(),
                               steps=[TIE_BREAK_STEPS[s] for s in ranking_order(round_)])

    return public_page(slug, ("standings", number, top, unit_id), [number], build)


@bp.route("/contests/<slug>/cccd", methods=["GET", "POST"])
@login_required
def cccd(slug: str):
    """Declare one's CCCD for a contest that asks for it."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug, Contest.is_published.is_(True)))
    if contest is None or not contest.requires_cccd or (contest.kind == "survey" and not _sees_surveys()):
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
