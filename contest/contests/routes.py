"""Public pages: the home page, a ward's page, a contest with its rules and rounds, the CCCD declaration."""

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
from contest.contests.public import (
    home_listing,
    may_take_part,
    unit_tree,
    viewer_ward,
    ward_by_code,
    ward_listing,
)
from contest.contests.service import current_round, published_contests
from contest.extensions import db
from contest.ranking.lookups import participant_count, result_of, top_results
from contest.ranking.page_cache import public_page
from contest.ranking.refresh import fresh_results, ranking_order
from contest.ranking.standings import TIE_BREAK_STEPS
from contest.units.models import Unit
from contest.units.scope import may_manage

bp = Blueprint("contests", __name__)


def _sees_surveys() -> bool:
    """A knowledge survey is for officials: residents and visitors neither see it listed nor open its page."""
    return current_user.is_authenticated and current_user.role in ("official", "unit_manager", "organiser")


@bp.route("/")
def home():
    """The home page: published contests with their current round; in a city of wards, the city-wide contests
    and the visitor's own ward's, with a link to each ward's page."""
    contests = [c for c in published_contests() if c.kind != "survey" or _sees_surveys()]
    tree = unit_tree()
    entries = home_listing(tree, current_user, contests) if tree.ward_ids else [(c, None) for c in contests]
    return _listing_page("contests/home.html", tree, entries, ward=None, mine=viewer_ward(tree, current_user))


@bp.route("/p/<code>/")
def ward(code: str):
    """A ward's page: its published contests, then the city-wide ones (marked "Toàn thành phố")."""
    ward_unit = ward_by_code(code)
    if ward_unit is None:
        abort(404)
    contests = [c for c in published_contests() if c.kind != "survey" or _sees_surveys()]
    tree = unit_tree()
    entries, allowed = ward_listing(tree, current_user, contests, ward_unit.id)
    return _listing_page("contests/ward.html", tree, entries, ward=ward_unit, allowed=allowed,
                         mine=viewer_ward(tree, current_user))


def _listing_page(template: str, tree, entries, **context):
    """A page listing contests (the home, a ward's page) with the current round of each."""
    my_group = group_of(current_user) if current_user.is_authenticated else None
    return render_template(template, contests=[(c, current_round(c), w) for c, w in entries], now=clock.now(),
                           my_group=my_group, audiences=AUDIENCES, ward_ids=tree.ward_ids, unit_names=tree.names,
                           unit_codes=tree.codes, **context)


def _published_or_404(slug: str) -> Contest:
    """A contest the visitor may open: published (or managed by the organiser), a survey only for staff, a
    ward's only for the people of that ward (and visitors who are not signed in)."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    if contest is None or (not contest.is_published and not _manages(contest)):
        abort(404)
    if contest.kind == "survey" and not _sees_surveys():
        abort(404)
    if not may_take_part(current_user, contest.owner_unit_id):
        abort(404)
    return contest


@bp.route("/contests/<slug>")
def detail(slug: str):
    """A contest: its rules and its rounds."""
    contest = _published_or_404(slug)
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
        if contest is None or (not contest.is_published and not _manages(contest)) or contest.kind != "contest":
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
    contest = _published_or_404(slug)
    if not contest.is_published or not contest.requires_cccd:
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


def _manages(contest: Contest) -> bool:
    """An organiser previews an unpublished contest they may manage (a ward organiser: their ward's)."""
    return _is_organiser() and may_manage(current_user, contest.owner_unit_id)
