"""What every use case of an attempt shares: its refusals (:class:`AttemptError`), the open states, the save
grace, and the reads the attempt pages ask (the taker's group, the attempts allowed and used, the questions
left unanswered).

The server holds the clock: the deadline is ``min(start + time limit, round close)``; a save later than the
deadline plus a short grace for the network (:func:`grace`) is refused; an attempt found past its deadline is
finished with the answers saved so far and the deadline as its finish time (``attempts.expiry``).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.attempts.models import Attempt
from contest.contests.models import Round
from contest.extensions import db

OPEN_STATES = ("in_progress", "overdue")


class AttemptError(Exception):
    """A rule of the attempt was broken; ``message`` is for the taker, in Vietnamese."""

    def __init__(self, message: str, status: int = 409, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


NOT_FOUND = AttemptError("Không tìm thấy bài thi này trong tài khoản của bạn.", 404, "not_found")
TOO_LATE = AttemptError("Đã hết giờ làm bài nên câu trả lời vừa chọn không được ghi nhận. Bài thi đã được nộp "
                        "với các câu trả lời đã lưu trước đó.", 409, "too_late")
ALREADY_FINISHED = AttemptError("Bài thi đã được nộp; không thể thay đổi câu trả lời.", 409, "finished")


def grace() -> timedelta:
    """How long after the deadline a save in flight is still accepted."""
    return timedelta(seconds=float(current_app.config["SAVE_GRACE_SECONDS"]))


def group_of(user: User) -> str | None:
    """The audience group a user takes contests in."""
    if user.role == "resident":
        return "residents"
    if user.role in ("official", "unit_manager"):
        return "officials"
    return None


def attempts_allowed(round_: Round) -> int:
    """How many attempts a person may start in the round: a knowledge survey is taken once, whatever is set."""
    return 1 if round_.contest.kind == "survey" else round_.attempts_allowed


def attempts_used(user_id: int, round_id: int) -> int:
    """How many attempts the user has started in the round."""
    return db.session.scalar(select(func.count(Attempt.id)).where(Attempt.round_id == round_id,
                                                                  Attempt.user_id == user_id)) or 0


def unanswered_count(attempt: Attempt) -> int:
    """Questions with no option chosen."""
    return sum(1 for q in attempt.questions if not q.selected)
