"""A ward with two offices under the People's Committee, officials in each, and an open survey round."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.attempts.finishing import finish_attempt
from contest.attempts.models import AttemptQuestion
from contest.attempts.starting import start_attempt
from contest.banks.models import Question
from contest.extensions import db

OPEN = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)


@pytest.fixture
def ward(make_unit):
    """UBND with two offices below it (VP, VHXH) and a school outside that subtree (THCS)."""
    ubnd = make_unit("UBND", "Ủy ban nhân dân phường", kind="office")
    vp = make_unit("VP", "Văn phòng HĐND và UBND", kind="office")
    vhxh = make_unit("VHXH", "Phòng Văn hóa – Xã hội", kind="office")
    school = make_unit("THCS", "Trường THCS Tây Mỗ", kind="public_service")
    vp.parent = ubnd
    vhxh.parent = ubnd
    db.session.commit()
    return {"UBND": ubnd, "VP": vp, "VHXH": vhxh, "THCS": school}


@pytest.fixture
def survey(make_round, frozen_clock):
    """A published survey for officials, open now, answers shown after submitting."""
    frozen_clock(OPEN)
    return make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")


@pytest.fixture
def take_survey(app):
    """Start, answer and finish a survey attempt: ``right(code)`` says which questions to answer correctly."""

    def take(user, round_, right=lambda code: True):
        attempt = start_attempt(user, round_)
        codes = dict(db.session.execute(select(Question.id, Question.code)).all())
        for q in db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)):
            if right(codes[q.question_id]):
                q.selected = list(q.correct)
            else:
                q.selected = [next(i for i in range(q.option_count) if i not in q.correct)]
        db.session.commit()
        return finish_attempt(attempt)

    return take
