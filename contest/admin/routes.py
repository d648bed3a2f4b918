"""Organiser pages to set up contests, rounds and blueprints, and to look at units and banks."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from contest import clock
from contest.admin import bp
from contest.admin.access import contest_or_404, round_or_404, visible_unit_ids
from contest.banks.models import Bank, Question, Topic
from contest.collation import sort_key
from contest.contests.forms import THRESHOLD_HELP, BlueprintForm, ContestForm, RoundForm
from contest.contests.models import DIFFICULTIES, GROUPS, Contest, Round
from contest.contests.service import (
    BlueprintLine,
    ContestError,
    key_overlaps,
    question_counts_per_bank,
    save_contest,
    save_round,
    set_blueprint,
    suggested_banks,
)
from contest.extensions import db
from contest.units import scope
from contest.units.models import Unit
from contest.units.service import list_units

CONTEST_FIELDS = ("title", "kind", "audience", "summary", "rules", "requires_cccd", "is_published")
ROUND_FIELDS = ("title", "time_limit_minutes", "attempts_allowed", "counting", "all_required", "review_policy",
                "prediction_kind", "prediction_prompt", "prizes_first", "prizes_second", "prizes_third",
                "prizes_consolation", "prize_min_first", "prize_min_second", "prize_min_third",
                "prize_min_consolation")


@bp.route("/")
def index():
    """The organiser's list of contests (a ward organiser: their ward's)."""
    query = scope.manageable(select(Contest), Contest.owner_unit_id, current_user)
    contests = db.session.scalars(query.order_by(Contest.created_at.desc(), Contest.id.desc())).all()
    return render_template("admin/index.html", contests=contests, now=clock.now())


@bp.route("/contests/new", methods=["GET", "POST"])
@bp.route("/contests/<int:contest_id>/edit", methods=["GET", "POST"])
def contest_form(contest_id: int | None = None):
    """Create or edit a contest; the city's organisers choose who runs it (the whole city or one ward), a ward
    organiser's contest is their ward's."""
    contest = contest_or_404(contest_id) if contest_id else None
    form = ContestForm(obj=contest)
    owners = owner_choices(contest)
    if owners is None:
        del form.owner
    else:
        form.owner.choices = owners
        if request.method == "GET":
            form.owner.data = 0 if contest is None or contest.owner_unit_id in (None, _city_id()) \
                else contest.owner_unit_id
    if form.validate_on_submit():
        fields = {f: getattr(form, f).data for f in CONTEST_FIELDS}
        if contest is None or owners is not None:
            fields["owner_unit_id"] = chosen_owner(form.owner.data if owners is not None else None)
        contest = save_contest(contest, **fields)
        flash("Đã lưu cuộc thi.", "success")
        return redirect(url_for("admin.contest", contest_id=contest.id))
    return render_template("admin/contest_form.html", form=form, contest=contest), (422 if form.errors else 200)


@bp.route("/contests/<int:contest_id>")
def contest(contest_id: int):
    """A contest's rounds and their blueprints."""
    contest = contest_or_404(contest_id)
    return render_template("admin/contest.html", contest=contest, now=clock.now(), groups=GROUPS)


@bp.route("/contests/<int:contest_id>/rounds/new", methods=["GET", "POST"])
@bp.route("/contests/<int:contest_id>/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def round_form(contest_id: int, round_id: int | None = None):
    """Create or edit a round; times are typed and shown in Vietnam time."""
    contest = contest_or_404(contest_id)
    round_ = round_or_404(round_id, contest.id) if round_id else None
    form = RoundForm(obj=round_)
    if request.method == "GET" and round_ is not None:
        form.opens_at.data = clock.to_vn(round_.opens_at).replace(tzinfo=None)
        form.closes_at.data = clock.to_vn(round_.closes_at).replace(tzinfo=None)
    if form.validate_on_submit():
        fields = {f: getattr(form, f).data for f in ROUND_FIELDS}
        fields["opens_at"] = clock.from_vn_local(form.opens_at.data)
        fields["closes_at"] = clock.from_vn_local(form.closes_at.data)
        if starts_in_the_past(round_, fields["opens_at"], clock.now()) and request.form.get("confirm_past") != "1":
            # A start already past makes the round live the moment it is saved: ask first, keeping what was typed.
            return render_template("admin/round_form.html", form=form, contest=contest, round=round_,
                                   threshold_help=THRESHOLD_HELP, past_start=True), 409
        try:
            round_ = save_round(contest, round_, **fields)
        except ContestError as exc:
            flash(str(exc), "error")
        else:
            flash("Đã lưu đợt thi.", "success")
            return redirect(url_for("admin.blueprint", contest_id=contest.id, round_id=round_.id))
    return render_template("admin/round_form.html", form=form, contest=contest, round=round_,
                           threshold_help=THRESHOLD_HELP, past_start=False), \
        (422 if form.errors else 200)


def owner_choices(contest: Contest | None) -> list[tuple[int, str]] | None:
    """Who may run a contest, for the city's organisers: "Toàn thành phố" (0) or one ward (a contest already
    owned by another unit keeps it on the list); None for a ward organiser, whose contests are their ward's."""
    if scope.is_scoped(current_user):
        return None
    choices = [(0, "Toàn thành phố")] + [(w.id, w.name) for w in scope.wards()]
    city = _city_id()
    if contest is not None and contest.owner_unit_id not in (None, city, *(c for c, _ in choices)):
        choices.append((contest.owner_unit_id, contest.owner_unit.name))
    return choices


def _city_id() -> int | None:
    """The city unit (the top of the tree), if the deployment has one."""
    return db.session.scalar(select(Unit.id).where(Unit.kind == "city", Unit.parent_id.is_(None))
                             .order_by(Unit.id).limit(1))


def chosen_owner(value: int | None) -> int | None:
    """The owning unit of a new or edited contest: a ward organiser's unit; for the city's organisers the ward
    chosen, or "Toàn thành phố" (0) = the city unit if there is one, else None (the whole deployment)."""
    if scope.is_scoped(current_user):
        return current_user.managed_unit_id
    return value or _city_id()


def starts_in_the_past(round_: Round | None, opens_at, moment) -> bool:
    """Whether saving puts the round's start before ``moment``: a new round, or a start changed, in the past."""
    return opens_at < moment and (round_ is None or round_.opens_at != opens_at)


@bp.route("/contests/<int:contest_id>/rounds/<int:round_id>/blueprint", methods=["GET", "POST"])
def blueprint(contest_id: int, round_id: int):
    """Choose the bank(s) a round draws from and how many questions of each topic, against what those banks
    hold; "Xem số câu" shows the counts of the banks ticked without saving. Only the banks the organiser may
    draw from are offered (a ward: its own and the city's); a bank id posted from outside those is 404."""
    round_ = round_or_404(round_id, contest_id)
    form = BlueprintForm()
    banks = sorted(readable_banks(), key=lambda b: sort_key(b.name))
    all_topics = sorted(db.session.scalars(select(Topic)).all(), key=lambda t: sort_key(t.name))
    if request.method == "POST":
        chosen_ids = {int(v) for v in request.form.getlist("bank") if v.isdigit()}
        if chosen_ids - {b.id for b in banks}:
            abort(404)
    else:
        chosen_ids = {b.id for b in (round_.banks or suggested_banks(round_))} & {b.id for b in banks}
    current = {(i.group, i.topic_id, i.difficulty): i.count for i in round_.blueprint}
    status = 200
    if form.validate_on_submit():
        lines, bad = _read_blueprint_lines(round_.contest.groups, all_topics)
        current = {(ln.group, ln.topic_id, ln.difficulty): ln.count for ln in lines}
        if request.form.get("action") != "banks":
            status = 422
            if bad:
                flash("Số câu phải là số nguyên không âm.", "error")
            else:
                try:
                    set_blueprint(round_, lines, chosen_ids)
                except ContestError as exc:
                    flash(str(exc), "error")
                else:
                    flash("Đã lưu cấu trúc đề thi.", "success")
                    for overlap in key_overlaps(round_, clock.now()):
                        flash(_overlap_message(round_, overlap), "info")
                    return redirect(url_for("admin.contest", contest_id=contest_id))
    per_bank = question_counts_per_bank(chosen_ids)
    available: dict[tuple[str, str | None], int] = {}
    for counts in per_bank.values():
        for key, count in counts.items():
            available[key] = available.get(key, 0) + count
    asked = {topic_id for (_, topic_id, _), count in current.items() if count}
    topics = [t for t in all_topics if (t.name, None) in available or t.id in asked]
    return render_template("admin/blueprint.html", form=form, round=round_, topics=topics, available=available,
                           current=current, groups=GROUPS, difficulties=DIFFICULTIES, banks=banks,
                           chosen=[b for b in banks if b.id in chosen_ids], per_bank=per_bank,
                           bank_totals=_bank_totals(), overlaps=key_overlaps(round_, clock.now()),
                           overlap_message=_overlap_message), status


def readable_banks() -> list[Bank]:
    """The banks the signed-in organiser may draw from: all for the city's organisers; a ward organiser's own
    banks and those of the units above their ward (banks are shared downward)."""
    banks = db.session.scalars(select(Bank)).all()
    if not scope.is_scoped(current_user):
        return list(banks)
    return [b for b in banks if scope.may_read(current_user, b.owner_unit_id)]


def _bank_totals() -> dict[int, int]:
    """Active questions per bank."""
    return dict(db.session.execute(select(Question.bank_id, func.count(Question.id))
                                   .where(Question.status == "active").group_by(Question.bank_id)).all())


def _overlap_message(round_: Round, overlap) -> str:
    """Tell the organiser which round's review hides the keys of the questions two rounds share."""
    other = overlap.other
    name = f"“{other.contest.title} – {other.title}”"
    if overlap.hidden_here:
        until = clock.to_vn(other.closes_at).strftime("%H:%M ngày %d/%m/%Y")
        return (f"Đợt {name} rút câu hỏi cùng chủ đề từ cùng ngân hàng và chưa công bố đáp án cho đến khi kết "
                f"thúc ({until}): đáp án của các câu dùng chung được ẩn khi xem lại bài của đợt này cho đến lúc đó.")
    until = clock.to_vn(round_.closes_at).strftime("%H:%M ngày %d/%m/%Y")
    return (f"Đợt này chưa công bố đáp án cho đến khi kết thúc ({until}): đáp án của các câu dùng chung được ẩn "
            f"khi xem lại bài của đợt {name} cho đến lúc đó.")


def _read_blueprint_lines(groups: list[str], topics: list[Topic]) -> tuple[list[BlueprintLine], bool]:
    """The blueprint fields of the posted form (one per group, topic and difficulty, "all" for any), and
    whether any of them was not a whole number."""
    lines, bad = [], False
    for group in groups:
        for topic in topics:
            for difficulty in (None, *DIFFICULTIES):
                raw = request.form.get(f"n-{group}-{topic.id}-{difficulty or 'all'}", "").strip()
                if raw.isdigit():
                    lines.append(BlueprintLine(group, topic.id, difficulty, int(raw)))
                elif raw:
                    bad = True
    return lines, bad


@bp.route("/units")
def units():
    """The units with their headcounts (a ward organiser: their ward's)."""
    return render_template("admin/units.html", units=list_units(unit_ids=visible_unit_ids(current_user)))
