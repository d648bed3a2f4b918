"""Which keys a review page may show: none of a question that a round withholding its keys can still draw.

The review policy of the attempt's own round says whether keys are shown at all (:func:`review_allowed`).
Rounds share banks, so a question of this attempt may also be drawn by another round, of any contest or
survey, that shows no keys until it closes (review after close) or never: while such a round has not closed
(plus the save grace), the key, the explanation and the taker's own choice of that question stay off the
page. A question counts as the same when it is the same bank question or has the same text in a bank of that
round. Chosen over refusing overlapping set-ups, which would forbid the common case of one ward bank behind
both the contest and the officials' survey, and could not stop a later import or a re-timed round from
creating an overlap: the check is made where keys leave the server.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from contest.attempts.drawing import Candidate, Line, can_draw
from contest.attempts.models import Attempt
from contest.attempts.terms import grace
from contest.banks.models import Question
from contest.contests.models import WITHHOLDING_POLICIES, Round
from contest.extensions import db


def withheld_keys(attempt: Attempt, moment: datetime) -> dict[int, Round]:
    """Positions of the attempt whose key must not be shown at ``moment``, each with the round that keeps it
    back longest (its close is when the key may be shown, unless another round takes over)."""
    # The attempt's own round is its review policy's business (review_allowed).
    rounds = db.session.scalars(select(Round).where(Round.id != attempt.round_id,
                                                    Round.review_policy.in_(WITHHOLDING_POLICIES),
                                                    Round.closes_at > moment - grace())).all()
    rounds = [r for r in rounds if r.banks and r.blueprint]
    if not rounds:
        return {}
    items = list(attempt.questions)
    question_ids = {q.question_id for q in items if q.question_id is not None}
    texts = {q.text for q in items}
    bank_ids = {b.id for r in rounds for b in r.banks}
    rows = db.session.execute(
        select(Question.id, Question.text, Question.topic_id, Question.difficulty, Question.bank_id)
        .where(Question.bank_id.in_(bank_ids), or_(Question.id.in_(question_ids), Question.text.in_(texts)))).all()
    plans = [(r, {b.id for b in r.banks}, [Line(i.topic_id, i.difficulty, i.count) for i in r.blueprint])
             for r in rounds]
    by_id: dict[int, Round] = {}
    by_text: dict[str, Round] = {}
    for row in rows:
        candidate = Candidate(row.id, row.topic_id, row.difficulty)
        for round_, banks, lines in plans:
            if row.bank_id in banks and can_draw(lines, candidate):
                for key, found in ((row.id, by_id), (row.text, by_text)):
                    if key not in found or found[key].closes_at < round_.closes_at:
                        found[key] = round_
    withheld: dict[int, Round] = {}
    for item in items:
        holders = [r for r in (by_id.get(item.question_id), by_text.get(item.text)) if r is not None]
        if holders:
            withheld[item.position] = max(holders, key=lambda r: r.closes_at)
    return withheld


def review_allowed(attempt: Attempt, moment: datetime) -> bool:
    """Whether the taker may see the correct answers of a finished attempt now (the round's review policy)."""
    if attempt.is_open:
        return False
    policy = attempt.round.review_policy
    if policy == "after_submit":
        return True
    if policy == "after_close":
        return moment >= attempt.round.closes_at
    return False

