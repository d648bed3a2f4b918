"""Organiser pages for results: ranking settings, closing a round, reviewing the proposed winners,
disqualifying and reinstating attempts, publishing (and correcting) the winners and the units' prizes."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from contest import clock
from contest.accounts.service import people_by_id
from contest.admin import bp
from contest.attempts.models import Attempt
from contest.contests.models import COLLECTIVE_FORMULAS, GROUPS, Contest, Round
from contest.extensions import db
from contest.ranking.forms import ConfirmForm, DisqualifyForm, PublishForm, RankingSettingsForm, ReinstateForm
from contest.ranking.leaderboard import collective_parameters
from contest.ranking.lookups import participant_count, top_results
from contest.ranking.prizes import TIERS
from contest.ranking.publishing import (
    correct_order,
    disqualify_attempt,
    order_pending,
    publications,
    publish_round,
    publish_units,
    reinstate_attempt,
    review_round,
    unit_awards,
)
from contest.ranking.refresh import RankingError, close_round, fresh_results, ranking_order
from contest.ranking.settings import save_ranking_settings
from contest.ranking.standings import TIE_BREAK_STEPS, tie_break_order
from contest.units.models import Unit

TIER_KEYS = ("first", "second", "third", "consolation")


@bp.route("/results")
def results_index():
    """The contests with public ranking, each linking to its results."""
    contests = db.session.scalars(select(Contest).where(Contest.kind == "contest")
                                  .order_by(Contest.created_at.desc(), Contest.id.desc())).all()
    return render_template("admin/results/index.html", contests=contests, now=clock.now())


@bp.route("/contests/<int:contest_id>/results", methods=["GET", "POST"])
def results(contest_id: int):
    """A contest's results: ranking settings, each round's state, the units' prizes."""
    contest = db.get_or_404(Contest, contest_id)
    form = RankingSettingsForm()
    params = collective_parameters(contest.collective_formula, contest.collective_params)
    if request.method == "GET":
        for i, step in enumerate(tie_break_order(contest.tie_break), start=1):
            getattr(form, f"step{i}").data = step
        form.overall_rule.data = contest.overall_rule
        form.prize_highest_only.data = contest.prize_highest_only
        form.collective_formula.data = contest.collective_formula
        form.threshold.data = Decimal(str(round(params["threshold"] * 100, 1)))
        form.points_per_percent.data = Decimal(str(params.get("points_per_percent", 1.0)))
        prize_points = params.get("prize_points") or collective_parameters("quang_nam_2022", None)["prize_points"]
        for tier in TIER_KEYS:
            getattr(form, f"points_{tier}").data = Decimal(str(prize_points[tier]))
            getattr(form, f"unit_prizes_{tier}").data = getattr(contest, f"unit_prizes_{tier}")
    elif form.validate_on_submit():
        try:
            kept = save_ranking_settings(
                contest, tie_break=[form.step1.data, form.step2.data, form.step3.data, form.step4.data],
                overall_rule=form.overall_rule.data, prize_highest_only=form.prize_highest_only.data,
                collective_formula=form.collective_formula.data,
                collective_params={"threshold": float(form.threshold.data) / 100,
                                   "points_per_percent": float(form.points_per_percent.data),
                                   "prize_points": {t: float(getattr(form, f"points_{t}").data) for t in TIER_KEYS}},
                unit_prizes={t: getattr(form, f"unit_prizes_{t}").data for t in TIER_KEYS})
        except RankingError as exc:
            flash(str(exc), "error")
        else:
            flash("Đã lưu cách xếp hạng và trao giải.", "success")
            if kept:
                flash(_kept_order_message(kept), "info")
            return redirect(url_for("admin.results", contest_id=contest.id))
    unit_history = publications(contest, None)
    return render_template("admin/results/contest.html", contest=contest, form=form, now=clock.now(),
                           formulas=COLLECTIVE_FORMULAS, unit_history=unit_history, publish_form=PublishForm(),
                           confirm_form=ConfirmForm()), (422 if form.errors else 200)


def _kept_order_message(kept: list[Round]) -> str:
    names = ", ".join(r.title for r in kept)
    return (f"Thứ tự tiêu chí mới áp dụng cho các đợt chưa công bố kết quả. {names} đã công bố nên vẫn giữ "
            "thứ tự cũ trên trang công khai; muốn áp dụng thứ tự mới cho đợt đã công bố, hãy công bố đính chính "
            "ở trang kết quả của đợt đó.")


def _fresh(contest: Contest) -> None:
    """The stored standings of every round, current enough for a page that shows the proposed prizes."""
    for round_ in contest.rounds:
        fresh_results(round_)


@bp.route("/contests/<int:contest_id>/results/units")
def unit_results(contest_id: int):
    """The collective ranking and the proposed units' prizes, beside the published ones."""
    contest = db.get_or_404(Contest, contest_id)
    _fresh(contest)
    rows, proposed = unit_awards(contest)
    history = publications(contest, None)
    return render_template("admin/results/units.html", contest=contest, rows=rows, proposed=proposed,
                           latest=history[-1] if history else None, tiers=TIERS, publish_form=PublishForm(),
                           formula=COLLECTIVE_FORMULAS.get(contest.collective_formula, ""))


@bp.route("/contests/<int:contest_id>/results/units/publish", methods=["POST"])
def publish_unit_results(contest_id: int):
    """Publish (or correct) the units' prizes."""
    contest = db.get_or_404(Contest, contest_id)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            publish_units(contest, form.note.data or "")
        except RankingError as exc:
            flash(str(exc), "error")
        else:
            flash("Đã công bố giải tập thể.", "success")
    return redirect(url_for("admin.unit_results", contest_id=contest.id))


def _round(round_id: int) -> Round:
    round_ = db.get_or_404(Round, round_id)
    if round_.contest.kind != "contest":
        abort(404)
    return round_


@bp.route("/rounds/<int:round_id>/results")
def round_results(round_id: int):
    """Review a round: its standings, the proposed winners against the published list, disqualified attempts."""
    round_ = _round(round_id)
    _fresh(round_.contest)
    review = review_round(round_)
    top = min(max(request.args.get("top", 50, type=int), 10), 1000)
    tables = [(g, top_results(round_, g, limit=top), participant_count(round_, g)) for g in round_.contest.groups]
    disqualified = db.session.scalars(select(Attempt).where(Attempt.round_id == round_.id,
                                                            Attempt.disqualified_reason.is_not(None))
                                      .order_by(Attempt.disqualified_at)).all()
    user_ids = {ln.user_id for _, lines, _ in tables for ln in lines} | {w["user_id"] for w in review.proposed} \
        | {a.user_id for a in disqualified} | {c.key[1] for c in review.changes}
    if review.published:
        user_ids |= {w["user_id"] for w in review.published.winners}
    people = people_by_id(user_ids)
    units = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    return render_template("admin/results/round.html", round=round_, contest=round_.contest, review=review,
                           tables=tables, disqualified=disqualified, people=people, units=units, tiers=TIERS,
                           groups=GROUPS, now=clock.now(), disqualify_form=DisqualifyForm(),
                           reinstate_form=ReinstateForm(), publish_form=PublishForm(), confirm_form=ConfirmForm(),
                           history=publications(round_.contest, round_), order_pending=order_pending(round_),
                           ranked_by=[TIE_BREAK_STEPS[s] for s in ranking_order(round_)],
                           contest_order=[TIE_BREAK_STEPS[s] for s in tie_break_order(round_.contest.tie_break)])


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
def close(round_id: int):
    """Close a round that has ended: freeze the prediction's actual value and the standings."""
    round_ = _round(round_id)
    if ConfirmForm().validate_on_submit():
        try:
            close_round(round_)
        except RankingError as exc:
            flash(str(exc), "error")
        else:
            flash("Đã chốt kết quả đợt thi.", "success")
    return redirect(url_for("admin.round_results", round_id=round_.id))


@bp.route("/rounds/<int:round_id>/publish", methods=["POST"])
def publish(round_id: int):
    """Publish the round's winners, or a correction with its reason."""
    round_ = _round(round_id)
    form = PublishForm()
    if request.form.get("confirmed") != "1":  # the list to be published is shown and confirmed first
        return redirect(url_for("admin.publish_confirm", round_id=round_.id))
    if form.validate_on_submit():
        try:
            publication = publish_round(round_, form.note.data or "")
        except RankingError as exc:
            flash(str(exc), "error")
        else:
            flash("Đã công bố đính chính." if publication.kind == "correction" else "Đã công bố kết quả.",
                  "success")
    return redirect(url_for("admin.round_results", round_id=round_.id))


@bp.route("/rounds/<int:round_id>/correct-order", methods=["POST"])
def correct_round_order(round_id: int):
    """Apply the contest's new tie-break order to a published round, published as a correction."""
    round_ = _round(round_id)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            correct_order(round_, form.note.data or "")
        except RankingError as exc:
            flash(str(exc), "error")
        else:
            flash("Đã xếp hạng lại theo thứ tự tiêu chí mới và công bố đính chính.", "success")
    return redirect(url_for("admin.round_results", round_id=round_.id))


@bp.route("/attempts/<int:attempt_id>/disqualify", methods=["POST"])
def disqualify(attempt_id: int):
    """Disqualify an attempt with a reason (a correction follows at once if the round was published)."""
    attempt = db.get_or_404(Attempt, attempt_id)
    form = DisqualifyForm()
    if not form.validate_on_submit():
        flash("Vui lòng ghi lý do loại bài thi.", "error")
    else:
        try:
            correction = disqualify_attempt(attempt, form.reason.data)
        except RankingError as exc:
            flash(str(exc), "error")
        else:
            flash("Đã loại bài thi." + (" Đã công bố đính chính danh sách đạt giải." if correction else ""),
                  "success")
    return redirect(url_for("admin.round_results", round_id=attempt.round_id))


@bp.route("/attempts/<int:attempt_id>/reinstate", methods=["POST"])
def reinstate(attempt_id: int):
    """Reinstate a disqualified attempt."""
    attempt = db.get_or_404(Attempt, attempt_id)
    form = ReinstateForm()
    if form.validate_on_submit():
        try:
            correction = reinstate_attempt(attempt, form.reason.data or "")
        except RankingError as exc:
            flash(str(exc), "error")
        else:
            flash("Đã khôi phục bài thi." + (" Đã công bố đính chính danh sách đạt giải." if correction else ""),
                  "success")
    return redirect(url_for("admin.round_results", round_id=attempt.round_id))
