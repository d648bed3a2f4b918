"""Console pages of the round workflow: duplicate a contest or a round, close a round now, take a round as a
taker sees it ("Làm thử"), and confirm the list before publishing a round's results."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from contest import clock
from contest.accounts.models import User
from contest.admin import bp
from contest.attempts.starting import start_practice
from contest.attempts.terms import AttemptError
from contest.contests.forms import REQUIRED
from contest.contests.models import GROUPS, Contest, Round
from contest.contests.service import ContestError
from contest.contests.workflow import (
    Window,
    close_round_now,
    duplicate_contest,
    duplicate_round,
    open_attempt_count,
)
from contest.extensions import db
from contest.inputs import MAX_YEAR, MIN_YEAR, DateTimeLocalField, ascii_digits
from contest.ranking.forms import PublishForm
from contest.ranking.prizes import TIERS
from contest.ranking.publishing import review_round
from contest.ranking.refresh import fresh_results

VN_FORMAT = "%Y-%m-%dT%H:%M"


class DuplicateRoundForm(FlaskForm):
    """The copy's title and its new dates (Vietnam time)."""

    title = StringField("Tên đợt thi mới", validators=[DataRequired(REQUIRED), Length(max=255)])
    opens_at = DateTimeLocalField("Bắt đầu (giờ Việt Nam)", format=VN_FORMAT,
                                  validators=[InputRequired("Vui lòng chọn thời điểm bắt đầu.")])
    closes_at = DateTimeLocalField("Kết thúc (giờ Việt Nam)", format=VN_FORMAT,
                                   validators=[InputRequired("Vui lòng chọn thời điểm kết thúc.")])


class DuplicateContestForm(FlaskForm):
    """The new contest's title; each round's new dates are read from the posted fields."""

    title = StringField("Tên cuộc thi mới", validators=[DataRequired(REQUIRED), Length(max=255)])


class PracticeForm(FlaskForm):
    """Which audience group's questions the organiser tries."""

    group = SelectField("Làm thử với đề của", choices=list(GROUPS.items()))


class ConfirmForm(FlaskForm):
    """A bare confirmation (CSRF only)."""


def _round_of(contest_id: int, round_id: int) -> Round:
    round_ = db.get_or_404(Round, round_id)
    if round_.contest_id != contest_id:
        abort(404)
    return round_


def _parse_local(value: str) -> datetime:
    """A typed datetime-local value (any digits folded to ASCII), in a sane year."""
    moment = datetime.strptime(ascii_digits(value.strip()), VN_FORMAT)
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(value)
    return moment


def _vn_input(moment) -> str:
    return clock.to_vn(moment).strftime(VN_FORMAT)


def _next_window(round_: Round) -> tuple:
    """Suggested dates of a copy: as long as the original, starting when it ends (or a week from now, if that
    is already past), in Vietnam time without a zone, as the form shows them."""
    length = round_.closes_at - round_.opens_at
    start = max(round_.closes_at, clock.now() + timedelta(days=7))
    start = start.replace(second=0, microsecond=0)
    return clock.to_vn(start).replace(tzinfo=None), clock.to_vn(start + length).replace(tzinfo=None)


@bp.route("/contests/<int:contest_id>/rounds/<int:round_id>/duplicate", methods=["GET", "POST"])
def duplicate_round_page(contest_id: int, round_id: int):
    """Copy a round (rules, blueprint, banks, prizes and thresholds) into a new round with new dates."""
    original = _round_of(contest_id, round_id)
    form = DuplicateRoundForm()
    if request.method == "GET":
        form.title.data = f"Đợt {len(original.contest.rounds) + 1}"
        form.opens_at.data, form.closes_at.data = _next_window(original)
    if form.validate_on_submit():
        try:
            copy = duplicate_round(original, Window(form.title.data.strip(), clock.from_vn_local(form.opens_at.data),
                                                    clock.from_vn_local(form.closes_at.data)))
        except ContestError as exc:
            form.closes_at.errors.append(str(exc))
        else:
            flash(f"Đã tạo {copy.title} từ {original.title}. Hãy kiểm tra lại thời gian và cấu trúc đề.", "success")
            return redirect(url_for("admin.contest", contest_id=contest_id))
    return render_template("admin/round_duplicate.html", form=form, round=original, contest=original.contest), \
        (422 if form.errors else 200)


@bp.route("/contests/<int:contest_id>/duplicate", methods=["GET", "POST"])
def duplicate_contest_page(contest_id: int):
    """Copy a contest with all its rounds into a new unpublished contest; each round gets new dates."""
    original = db.get_or_404(Contest, contest_id)
    form = DuplicateContestForm()
    if request.method == "GET":
        form.title.data = f"{original.title} (bản sao)"
    dates, errors = {}, {}
    shift = timedelta(0)
    if original.rounds:
        first_open = _next_window(original.rounds[-1])[0]
        shift = clock.from_vn_local(first_open) - original.rounds[0].opens_at
    for round_ in original.rounds:
        raw_open = request.form.get(f"opens-{round_.id}") or _vn_input(round_.opens_at + shift)
        raw_close = request.form.get(f"closes-{round_.id}") or _vn_input(round_.closes_at + shift)
        dates[round_.id] = (raw_open, raw_close)
    if form.validate_on_submit():
        windows = {}
        for round_ in original.rounds:
            try:
                opens_at, closes_at = (clock.from_vn_local(_parse_local(v)) for v in dates[round_.id])
            except ValueError:
                errors[round_.id] = "Vui lòng nhập ngày giờ hợp lệ."
                continue
            windows[round_.id] = Window(round_.title, opens_at, closes_at)
        if not errors:
            try:
                copy = duplicate_contest(original, form.title.data, windows)
            except ContestError as exc:
                form.title.errors.append(str(exc))
            else:
                flash(f"Đã tạo cuộc thi “{copy.title}” (chưa công bố) từ “{original.title}”.", "success")
                return redirect(url_for("admin.contest", contest_id=copy.id))
    return render_template("admin/contest_duplicate.html", form=form, contest=original, dates=dates,
                           errors=errors), (422 if form.errors or errors else 200)


@bp.route("/rounds/<int:round_id>/close-now", methods=["GET", "POST"])
def close_now(round_id: int):
    """"Đóng đợt ngay": say how many attempts are open and what happens to them, then close on confirmation."""
    round_ = db.get_or_404(Round, round_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            finished = close_round_now(round_, actor=current_user)
        except ContestError as exc:
            flash(str(exc), "error")
            return redirect(url_for("admin.contest", contest_id=round_.contest_id))
        flash(f"Đã đóng {round_.title} và chốt kết quả; {finished} bài đang làm đã được nộp và chấm với các câu "
              "trả lời đã lưu.", "success")
        return redirect(url_for("admin.round_results", round_id=round_.id)
                        if round_.contest.kind == "contest" else url_for("admin.contest", contest_id=round_.contest_id))
    return render_template("admin/round_close_now.html", round=round_, contest=round_.contest, form=form,
                           open_count=open_attempt_count(round_), now=clock.now())


@bp.route("/rounds/<int:round_id>/practice", methods=["GET", "POST"])
def practice(round_id: int):
    """"Làm thử": take the round as a taker sees it, in an attempt that never counts anywhere."""
    round_ = db.get_or_404(Round, round_id)
    form = PracticeForm()
    form.group.choices = [(g, GROUPS[g]) for g in round_.contest.groups]
    if form.validate_on_submit():
        try:
            attempt = start_practice(current_user, round_, form.group.data)
        except AttemptError as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for("attempts.take", attempt_id=attempt.id))
    return render_template("admin/round_practice.html", round=round_, contest=round_.contest, form=form)


@bp.route("/rounds/<int:round_id>/publish/confirm")
def publish_confirm(round_id: int):
    """The list that will be published, with the button that publishes it."""
    round_ = db.get_or_404(Round, round_id)
    if round_.contest.kind != "contest":
        abort(404)
    fresh_results(round_)
    review = review_round(round_)
    user_ids = {w["user_id"] for w in review.proposed}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    return render_template("admin/results/publish_confirm.html", round=round_, contest=round_.contest,
                           review=review, people=people, tiers=TIERS, groups=GROUPS, form=PublishForm())
