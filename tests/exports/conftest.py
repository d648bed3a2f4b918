"""A small ward with results: two residential groups under one area, one more group, takers who finished."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from contest.attempts.finishing import finish_attempt
from contest.attempts.models import AttemptQuestion
from contest.attempts.saving import save_answer
from contest.attempts.starting import start_attempt
from contest.extensions import db
from contest.units.models import Unit

OPEN = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)  # 09:00 on 21/11/2026 in Hà Nội


@pytest.fixture
def take(frozen_clock):
    """``take(user, round_, right=n)``: an attempt with the first ``n`` questions right, the rest wrong."""

    def go(user, round_, right=99, at=OPEN, minutes=5):
        frozen_clock(at)
        attempt = start_attempt(user, round_)
        items = db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)
                                   .order_by(AttemptQuestion.position)).all()
        for n, q in enumerate(items):
            chosen = q.correct if n < right else [i for i in range(q.option_count) if i not in q.correct][:1]
            save_answer(attempt.id, user.id, q.position, list(chosen), 1)
        frozen_clock(at + timedelta(minutes=minutes))
        db.session.expire_all()  # the saves went through their own connection, as in production
        return finish_attempt(attempt)

    return go


@pytest.fixture
def ward(app, make_unit, make_user, make_round, take):
    """Units KDC-1 (TDP-A, TDP-B below it) and TDP-C; four residents with finished attempts in one round.

    TDP-A: "=HYPERLINK(...)" (all right) and "+84 912 345 678" (half right); TDP-B: one (all wrong);
    TDP-C: one (all right) and one registered who never took part.
    """
    area = make_unit(code="KDC-1", name="Khu dân cư số 1", kind="residential", headcount=None)
    a = make_unit(code="TDP-A", name="Tổ dân phố A", headcount=10)
    b = make_unit(code="TDP-B", name="Tổ dân phố B", headcount=4)
    c = make_unit(code="TDP-C", name="Tổ dân phố C", headcount=20)
    for unit in (a, b):
        unit.parent = area
    db.session.commit()
    round_ = make_round()
    people = {
        "evil": make_user(unit=a, full_name='=HYPERLINK("http://x.invalid","bấm")', birth_date=date(1970, 5, 6)),
        "plus": make_user(unit=a, full_name="+84 912 345 678"),
        "wrong": make_user(unit=b, full_name="Trần Văn Sai"),
        "best": make_user(unit=c, full_name="Lê Thị Giỏi"),
        "idle": make_user(unit=c, full_name="Phạm Chưa Thi"),
    }
    take(people["evil"], round_, right=99, minutes=3)
    take(people["plus"], round_, right=2, minutes=4, at=OPEN + timedelta(hours=1))
    take(people["wrong"], round_, right=0, minutes=6, at=OPEN + timedelta(hours=2))
    take(people["best"], round_, right=99, minutes=7, at=OPEN + timedelta(days=1))
    return {"round": round_, "area": area, "a": a, "b": b, "c": c, "people": people,
            "units": {u.code: u for u in db.session.scalars(select(Unit))}}
