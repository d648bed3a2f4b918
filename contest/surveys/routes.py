"""A survey result page: for the official who took it, the organisers and the managers of the unit only."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from contest import clock
from contest.attempts.expiry import finish_if_overdue
from contest.attempts.models import Attempt
from contest.attempts.review import review_allowed, withheld_keys
from contest.extensions import db
from contest.surveys.service import can_view_result, topic_breakdown

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


@bp.route("/results/<int:attempt_id>")
@login_required
def result(attempt_id: int):
    """Score, marks per topic and, as the review policy allows, the questions with keys and explanations."""
    attempt = db.session.get(Attempt, attempt_id)
    # Anybody else gets the same 404 as for a missing result: not even its existence is disclosed.
    if attempt is None or attempt.round.contest.kind != "survey" or not can_view_result(current_user, attempt):
        abort(404)
    finish_if_overdue(attempt)
    if attempt.is_open:
        if attempt.user_id == current_user.id:
            return redirect(url_for("attempts.take", attempt_id=attempt.id))
        abort(404)
    now = clock.now()
    own = attempt.user_id == current_user.id
    # Organisers see the keys at once; the taker as the round's review policy allows; a unit manager, who may
    # take the survey too, only once the round has closed (and the policy allows it at all).
    organiser = current_user.role == "organiser"
    show_keys = organiser or (review_allowed(attempt, now) and (own or now >= attempt.round.closes_at))
    # Never a key that a round still open and withholding keys can draw (organisers hold the banks anyway).
    withheld = withheld_keys(attempt, now) if show_keys and not organiser else {}
    return render_template("surveys/result.html", attempt=attempt, round=attempt.round, own=own,
                           topics=topic_breakdown(attempt), show_keys=show_keys, withheld=withheld, now=now)
