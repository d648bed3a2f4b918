"""The taker's submit: the prediction typed on the submit page and the finish, in one transaction."""

from __future__ import annotations

from contest import clock
from contest.attempts.finishing import finish_attempt
from contest.attempts.models import Attempt
from contest.attempts.saving import store_prediction
from contest.attempts.terms import ALREADY_FINISHED, AttemptError
from contest.extensions import db


def submit_attempt(attempt: Attempt, *, prediction: int | None, with_prediction: bool, manual: bool) -> Attempt:
    """The taker's submit, one use case in one transaction: the prediction typed on the submit page (when the
    round asks for one) and the finish with its grade are stored together, or nothing is (a refused submit,
    e.g. unanswered questions in a round that requires them all, leaves the attempt as it was); the caller
    commits nothing else."""
    if not attempt.is_open:
        return attempt
    if with_prediction:
        try:
            store_prediction(attempt.id, attempt.user_id, prediction, clock.now())  # flushes only
        except AttemptError as refused:
            if refused is not ALREADY_FINISHED:
                db.session.rollback()
                raise
            # Past the deadline and its grace (or finished meanwhile): too late for the prediction; the finish
            # below grades the answers saved in time, as it would without one.
    # The finish commits the prediction with the grade, or rolls both back when it is refused.
    return finish_attempt(attempt, manual=manual)
