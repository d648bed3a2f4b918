"""The attempt pages (start, take, submit, result) and the JSON autosave endpoints."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from contest import clock
from contest.accounts.rules import parse_session_id
from contest.accounts.sessions import live_session_user_id
from contest.attempts.draw_cache import round_terms
from contest.attempts.expiry import get_own_attempt
from contest.attempts.forms import StartForm, SubmitForm
from contest.attempts.review import review_allowed, withheld_keys
from contest.attempts.saving import save_answer, save_prediction
from contest.attempts.starting import start_attempt_id
from contest.attempts.submitting import submit_attempt
from contest.attempts.terms import AttemptError, attempts_allowed, attempts_used, grace, unanswered_count
from contest.contests.models import COUNTING_RULES, PREDICTION_KINDS
from contest.contests.public import sees_every_ward
from contest.extensions import csrf, limiter
from contest.security import check_json_csrf, hit_limit

bp = Blueprint("attempts", __name__)


def _user_id() -> int:
    """The signed-in user's id without loading the user (the autosave hot path); an ended session (signed out,
    password changed, account locked or erased) is no session."""
    user_id = live_session_user_id()
    if user_id is not None:
        return user_id
    raise AttemptError("Phiên đăng nhập đã hết. Vui lòng đăng nhập lại; các câu trả lời đã lưu vẫn còn.", 401,
                       "login")


def _json_error(error: AttemptError):
    return {"ok": False, "error": error.message, "code": error.code,
            "server_time": clock.now().isoformat()}, error.status


@bp.route("/rounds/<int:round_id>/start", methods=["POST"])
def start(round_id: int):
    """Start an attempt, or resume the one in progress; a ward's contest only for the people of that ward.

    Starts come all at once when a round is announced, so this route never loads the account through the ORM:
    one statement reads the round, its contest, the person's attempts and account, and the ward check
    (draw_cache.round_terms), and the session is checked against that account as the user loader checks it
    (contest.accounts.sessions.load_user). CSRF is checked for every form by CSRFProtect, before the route; the
    per-person limit (START_RATE_LIMIT) is counted by contest.security.hit_limit, before any statement."""
    signed_in = parse_session_id(session.get("_user_id"))
    if signed_in is None:  # no session: Flask-Login reads the remember-me cookie, or sends to the sign-in page
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        signed_in = (current_user.id, current_user.session_version)
    # Counted per session version, as the account's own: a copy of a session that has since ended cannot use up
    # the person's starts.
    person_key = "user:{}:{}".format(*signed_in)
    if hit_limit(current_app.config["START_RATE_LIMIT"], "attempts.start", person_key) is not None:
        abort(429)
    terms = round_terms(round_id, signed_in[0])
    if terms is None:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        abort(404)
    person = terms.person
    if person is None or not person.holds(signed_in[1]):  # the session has ended: as if not signed in
        return current_app.login_manager.unauthorized()
    if person.must_change_password:
        return redirect(url_for("accounts.first_password"))
    if not (terms.open_to_home or sees_every_ward(person)):
        abort(404)
    try:
        attempt_id = start_attempt_id(person, terms)
    except AttemptError as exc:
        flash(exc.message, "error")
        return redirect(url_for("contests.detail", slug=terms.slug))
    return redirect(url_for("attempts.take", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    """The attempt page: every question, the saved answers, the countdown to the server's deadline."""
    attempt = _own_or_404(attempt_id)
    if not attempt.is_open:
        return redirect(url_for("attempts.result", attempt_id=attempt.id))
    return render_template("attempts/take.html", attempt=attempt, round=attempt.round, now=clock.now(),
                           prediction_kinds=PREDICTION_KINDS, submit_form=SubmitForm(prediction=attempt.prediction))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@login_required
def submit(attempt_id: int):
    """Confirm and submit: shows the unanswered count and the prediction; the page's own finish at zero
    posts here too."""
    attempt = _own_or_404(attempt_id)
    if not attempt.is_open:
        return redirect(url_for("attempts.result", attempt_id=attempt.id))
    form = SubmitForm(prediction=attempt.prediction)
    if form.validate_on_submit():
        try:
            # The page's own finish at zero may arrive a moment early by the server's clock; any earlier
            # "automatic" submit is treated as a manual one (so "all questions required" still holds).
            automatic = bool(form.auto.data) and clock.now() >= attempt.deadline - grace()
            submit_attempt(attempt, prediction=form.prediction.data, manual=not automatic,
                           with_prediction=attempt.round.prediction_kind != "none"
                           and form.prediction.data is not None)
        except AttemptError as exc:
            if exc.code in ("too_late", "finished"):
                return redirect(url_for("attempts.result", attempt_id=attempt.id))
            flash(exc.message, "error")
            return redirect(url_for("attempts.take", attempt_id=attempt.id))
        return redirect(url_for("attempts.result", attempt_id=attempt.id))
    return render_template("attempts/submit.html", attempt=attempt, round=attempt.round, form=form,
                           unanswered=unanswered_count(attempt), prediction_kinds=PREDICTION_KINDS,
                           now=clock.now()), \
        (422 if form.errors else 200)


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    """Score and time at once; the questions with their keys only as the review policy allows."""
    attempt = _own_or_404(attempt_id)
    if attempt.is_open:
        return redirect(url_for("attempts.take", attempt_id=attempt.id))
    if attempt.round.contest.kind == "survey":  # private result with the per-topic breakdown
        return redirect(url_for("surveys.result", attempt_id=attempt.id))
    now = clock.now()
    round_ = attempt.round
    show_keys = review_allowed(attempt, now)
    left = max(attempts_allowed(round_) - attempts_used(attempt.user_id, round_.id), 0)
    return render_template("attempts/result.html", attempt=attempt, round=round_, show_keys=show_keys,
                           withheld=withheld_keys(attempt, now) if show_keys else {}, now=now, attempts_left=left,
                           can_start=left > 0 and round_.state(now) == "open", start_form=StartForm(),
                           counting_rules=COUNTING_RULES)


@bp.route("/api/attempts/<int:attempt_id>/answers", methods=["POST"])
@csrf.exempt  # checked by check_json_csrf, the hot path's cheaper check of the same token
@limiter.exempt
def api_save_answer(attempt_id: int):
    """Autosave one answer: ``{"position": n, "selected": [i, ...], "seq": k}`` → the server's acknowledgement."""
    check_json_csrf()
    payload = request.get_json(silent=True)
    try:
        user_id = _user_id()
        position, selected, seq = _read_answer(payload)
        saved = save_answer(attempt_id, user_id, position, selected, seq)
    except AttemptError as exc:
        return _json_error(exc)
    # ``selected`` and ``seq`` are what the server holds now for the question; ``applied`` says whether that
    # is this save's choice (a tab overtaken by another window's newer save shows what is held).
    return {"ok": True, "position": saved.position, "selected": saved.selected, "seq": saved.seq,
            "applied": saved.applied, "saved_at": saved.saved_at.isoformat(),
            "server_time": saved.server_time.isoformat()}


@bp.route("/api/attempts/<int:attempt_id>/prediction", methods=["POST"])
@csrf.exempt  # checked by check_json_csrf, as the answers
@limiter.exempt
def api_save_prediction(attempt_id: int):
    """Autosave the prediction: ``{"prediction": n or null}``."""
    check_json_csrf()
    payload = request.get_json(silent=True)
    try:
        user_id = _user_id()
        value = payload.get("prediction") if isinstance(payload, dict) else "?"
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise AttemptError("Số dự đoán phải là số nguyên không âm.", 422, "bad_prediction")
        moment = save_prediction(attempt_id, user_id, value)
    except AttemptError as exc:
        return _json_error(exc)
    return {"ok": True, "prediction": value, "server_time": moment.isoformat()}


@bp.route("/api/attempts/<int:attempt_id>/state")
def api_state(attempt_id: int):
    """The attempt's state, deadline and the server's time (the countdown re-syncs on it), and the session's
    CSRF token: a page whose taker signed in again (here or in another tab) sends its queued answers with it."""
    try:
        attempt = get_own_attempt(attempt_id, _user_id())
    except AttemptError as exc:
        return _json_error(exc)
    return {"ok": True, "state": attempt.state, "deadline": attempt.deadline.isoformat(),
            "server_time": clock.now().isoformat(), "csrf_token": generate_csrf()}


def _read_answer(payload) -> tuple[int, list[int], int]:
    bad = AttemptError("Dữ liệu câu trả lời không hợp lệ.", 422, "bad_request")
    if not isinstance(payload, dict):
        raise bad
    position, selected, seq = payload.get("position"), payload.get("selected"), payload.get("seq")
    if not isinstance(position, int) or isinstance(position, bool) or position < 1:
        raise bad
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise bad
    if not isinstance(selected, list) or len(selected) > 26 or not all(
            isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in selected):
        raise AttemptError("Phương án đã chọn không hợp lệ cho câu hỏi này.", 422, "bad_option")
    return position, selected, seq


def _own_or_404(attempt_id: int):
    try:
        return get_own_attempt(attempt_id, int(current_user.id))
    except AttemptError:
        abort(404)
