"""A round with published winners, for the certificate tests."""

from datetime import UTC, datetime, timedelta

import pytest

from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.extensions import db
from contest.ranking.publishing import publish_round
from contest.ranking.refresh import fresh_results

T0 = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
AFTER_CLOSE = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # make_round's window ends 2026-11-28 00:00 UTC


@pytest.fixture
def finished_attempt(app):
    """A finished attempt, flagged as counting or not by the round's rule, as finish_attempt leaves it."""

    def create(user, round_, score, duration=600, max_score=4):
        number = 1 + db.session.query(Attempt).filter_by(round_id=round_.id, user_id=user.id).count()
        finished_at = T0 + timedelta(minutes=10 + number)
        attempt = Attempt(round_id=round_.id, user_id=user.id, unit_id=user.unit_id, number=number,
                          group="residents", state="finished", started_at=finished_at - timedelta(seconds=duration),
                          deadline=finished_at + timedelta(minutes=5), finished_at=finished_at, score=score,
                          max_score=max_score, duration_seconds=duration)
        db.session.add(attempt)
        db.session.flush()
        mark_counting_attempt(round_, user.id)
        db.session.commit()
        return attempt

    return create


@pytest.fixture
def published_round(make_round, make_user, make_unit, finished_attempt, frozen_clock):
    """A closed round whose winners are published: Nguyễn Thị Hằng (Giải Nhất), Trần Văn Đức (Giải Nhì);
    Lê Thị Mai took part without a prize."""
    round_ = make_round(prizes_first=1, prizes_second=1)
    contest = round_.contest
    contest.title = "Cuộc thi tìm hiểu về cải cách hành chính năm 2026"
    contest.certificate_issuer = "Ủy ban nhân dân phường Tây Mỗ"
    contest.certificate_place = "Tây Mỗ"
    contest.certificate_signer_title = "TM. Ban Tổ chức\nTrưởng ban"
    contest.certificate_signer_name = "Phạm Quốc Khánh"
    hang = make_user(full_name="Nguyễn Thị Hằng", unit=make_unit(name="Tổ dân phố số 7"))
    duc = make_user(full_name="Trần Văn Đức")
    mai = make_user(full_name="Lê Thị Mai")
    finished_attempt(hang, round_, 4)
    finished_attempt(duc, round_, 3)
    finished_attempt(mai, round_, 1)
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    publish_round(round_)
    return round_, {"hang": hang, "duc": duc, "mai": mai}
