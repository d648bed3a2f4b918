"""Starting an attempt: drawing, deadline, window, audience, attempts allowed."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from contest.attempts.models import Attempt
from contest.extensions import db
from tests.attempts.conftest import OPEN, questions_of


def test_start_freezes_the_blueprint_questions_and_sets_the_deadline(taker, make_round, start):
    round_ = make_round()
    response, attempt = start(round_)
    assert response.status_code == 302 and response.headers["Location"] == f"/attempts/{attempt.id}"
    assert attempt.deadline == OPEN + timedelta(minutes=20)
    frozen = questions_of(attempt)
    assert [q.position for q in frozen] == [1, 2, 3, 4]
    assert len({q.question_id for q in frozen}) == 4 and all(q.selected is None for q in frozen)
    assert attempt.max_score == 4


def test_snapshot_is_unchanged_by_later_bank_edits(taker, make_round, start):
    from contest.banks.models import Question

    _, attempt = start(make_round())
    first = questions_of(attempt)[0]
    question = db.session.get(Question, first.question_id)
    question.text = "Nội dung đã sửa sau khi bắt đầu"
    question.correct = [0]
    db.session.commit()
    again = questions_of(attempt)[0]
    assert again.text == first.text and again.text != question.text


def test_deadline_is_cut_at_the_round_close(taker, make_round, start):
    round_ = make_round(closes_at=OPEN + timedelta(minutes=5))
    _, attempt = start(round_)
    assert attempt.deadline == OPEN + timedelta(minutes=5)


def test_start_before_the_round_opens_is_refused(taker, make_round, start, client):
    round_ = make_round(opens_at=OPEN + timedelta(hours=1))
    response, attempt = start(round_)
    assert attempt is None
    assert "chưa mở" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_start_after_the_round_closes_is_refused(taker, make_round, start):
    round_ = make_round(opens_at=OPEN - timedelta(days=8))
    _, attempt = start(round_)
    assert attempt is None


def test_start_for_the_wrong_audience_is_refused(client, make_user, login, frozen_clock, make_round, start):
    frozen_clock(OPEN)
    official = make_user(role="official")
    login(official.login)
    round_ = make_round(audience="residents")
    response, attempt = start(round_)
    assert attempt is None
    assert "không dành cho đối tượng" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_organiser_cannot_start_an_attempt(client, make_user, login, frozen_clock, make_round, start):
    frozen_clock(OPEN)
    login(make_user(role="organiser", login="btc").login)
    assert start(make_round())[1] is None


def test_starting_again_resumes_the_attempt_in_progress(taker, make_round, start):
    round_ = make_round()
    _, first = start(round_)
    _, second = start(round_)
    assert first.id == second.id
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_attempts_beyond_the_allowance_are_refused(taker, make_round, start, client):
    round_ = make_round(attempts_allowed=2)
    for _ in range(2):
        _, attempt = start(round_)
        client.post(f"/attempts/{attempt.id}/submit", data={})
    response, _ = start(round_)
    assert "hết 2 lượt" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attempt.id))) == 2


def test_cccd_contest_refuses_start_until_cccd_is_given(taker, make_round, start):
    assert start(make_round(requires_cccd=True))[1] is None


def test_concurrent_starts_never_exceed_the_attempts_allowed(make_app, make_user, make_round, frozen_clock):
    """Eight simultaneous starts by one person with one attempt allowed create exactly one attempt."""
    frozen_clock(OPEN)
    user = make_user()
    round_ = make_round(attempts_allowed=1)
    phone, round_id = user.phone, round_.id
    app = make_app()
    barrier = threading.Barrier(8)
    codes = []

    def hit():
        client = app.test_client()
        client.post("/login", data={"login": phone, "password": "mat-khau-an-toan"})
        barrier.wait()
        codes.append(client.post(f"/rounds/{round_id}/start").status_code)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [302] * 8
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Attempt.id)).where(Attempt.round_id == round_id)) == 1


def test_concurrent_starts_after_finishing_take_one_new_number_each(make_app, make_user, make_round, frozen_clock):
    """With three attempts allowed, simultaneous starts still never make a fourth."""
    frozen_clock(OPEN)
    user = make_user()
    round_ = make_round(attempts_allowed=3)
    phone, round_id = user.phone, round_.id
    app = make_app()

    def start_and_finish():
        client = app.test_client()
        client.post("/login", data={"login": phone, "password": "mat-khau-an-toan"})
        response = client.post(f"/rounds/{round_id}/start")
        location = response.headers.get("Location", "")
        if location.startswith("/attempts/"):
            client.post(location + "/submit", data={})

    threads = [threading.Thread(target=start_and_finish) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    numbers = db.session.scalars(select(Attempt.number).where(Attempt.round_id == round_id)).all()
    assert len(numbers) <= 3 and sorted(numbers) == list(range(1, len(numbers) + 1))


def test_start_needs_a_signed_in_user(client, make_round, frozen_clock):
    frozen_clock(OPEN)
    response = client.post(f"/rounds/{make_round().id}/start")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_start_is_rate_limited_per_person(make_app, make_user, make_round, frozen_clock):
    frozen_clock(OPEN)
    user = make_user()
    round_ = make_round()
    client = make_app(RATELIMIT_ENABLED=True, START_RATE_LIMIT="3 per minute").test_client()
    client.post("/login", data={"login": user.phone, "password": "mat-khau-an-toan"})
    codes = [client.post(f"/rounds/{round_.id}/start").status_code for _ in range(4)]
    assert codes[-1] == 429


def test_round_close_time_is_a_utc_moment(make_round):
    round_ = make_round()
    assert round_.closes_at.tzinfo is not None and round_.closes_at == datetime(2026, 11, 28, tzinfo=UTC)
