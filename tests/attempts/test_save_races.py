"""Saves racing a finish, with real concurrent requests: every save acknowledged is graded, the rest refused.

Each request runs in its own thread through the app, on its own database connection, as gunicorn's workers
would; nothing is mocked. The same tests run on SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""

import threading
from datetime import timedelta

from sqlalchemy import select, text

from contest.attempts.grading import GradedItem, score_question
from contest.attempts.models import Attempt, AttemptQuestion
from contest.extensions import db
from tests.attempts.conftest import OPEN

SAVES_PER_QUESTION = 5  # 4 questions in the small bank: 20 saves
RACES = 4  # a race is a matter of chance: run it on a few attempts


def _signed_in_clients(app, phone, count):
    first = app.test_client()
    first.post("/login", data={"login": phone, "password": "mat-khau-an-toan"})
    cookie = first.get_cookie("session").value
    clients = [first]
    for _ in range(count - 1):
        client = app.test_client()
        client.set_cookie("session", cookie)
        clients.append(client)
    return clients


def _race(app, phone, attempt_id, keys, finish):
    """Send 20 saves (every one the correct answer, seqs 1..5 per question) and ``finish`` all at once."""
    saves = [(position, seq) for seq in range(1, SAVES_PER_QUESTION + 1) for position in sorted(keys)]
    clients = _signed_in_clients(app, phone, len(saves) + 1)
    barrier = threading.Barrier(len(saves) + 1)
    acks: list[tuple[int, int, int, dict]] = []

    def save(client, position, seq):
        barrier.wait()
        response = client.post(f"/api/attempts/{attempt_id}/answers",
                               json={"position": position, "selected": keys[position], "seq": seq})
        acks.append((position, seq, response.status_code, response.get_json()))

    def finisher(client):
        barrier.wait()
        finish(client)

    threads = [threading.Thread(target=save, args=(c, p, s)) for c, (p, s) in zip(clients, saves, strict=False)]
    threads.append(threading.Thread(target=finisher, args=(clients[-1],)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return acks


def _assert_every_acknowledged_save_is_graded(attempt_id, acks):
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    rows = {q.position: q for q in db.session.scalars(select(AttemptQuestion)
                                                      .where(AttemptQuestion.attempt_id == attempt_id))}
    assert attempt.state == "finished"
    for position, seq, status, data in acks:
        if data["ok"]:
            # Acknowledged: the answer (or a newer acknowledged one) is stored and was graded.
            assert status == 200 and rows[position].seq >= seq
        else:
            assert status == 409 and data["code"] == "finished" and "đã được nộp" in data["error"]
    for row in rows.values():
        assert row.awarded == score_question(GradedItem(row.kind, row.correct, row.weights, row.points,
                                                        row.selected))
    acknowledged = {p for p, _, _, data in acks if data["ok"]}
    assert {p for p, row in rows.items() if row.selected} == acknowledged
    assert attempt.score == sum(row.awarded for row in rows.values())


def _started(app, make_user, make_round):
    user = make_user()
    round_ = make_round()
    client = app.test_client()
    client.post("/login", data={"login": user.phone, "password": "mat-khau-an-toan"})
    client.post(f"/rounds/{round_.id}/start")
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == user.id))
    keys = {q.position: list(q.correct) for q in db.session.scalars(
        select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id))}
    return user.phone, attempt, keys


def test_saves_racing_a_submit_are_graded_or_refused(make_app, make_user, make_round, frozen_clock):
    app = make_app()
    for _ in range(RACES):
        frozen_clock(OPEN)
        phone, attempt, keys = _started(app, make_user, make_round)
        acks = _race(app, phone, attempt.id, keys,
                     lambda client, attempt_id=attempt.id: client.post(f"/attempts/{attempt_id}/submit", data={}))
        _assert_every_acknowledged_save_is_graded(attempt.id, acks)


def test_saves_racing_an_automatic_finish_are_graded_or_refused(make_app, make_user, make_round, frozen_clock):
    """An automatic finish (the sweep's, or any request's past the deadline) while saves within the grace
    after the deadline still arrive."""
    from contest.attempts.finishing import finish_attempt

    app = make_app()
    for _ in range(RACES):
        frozen_clock(OPEN)
        phone, attempt, keys = _started(app, make_user, make_round)
        frozen_clock(attempt.deadline + timedelta(seconds=2))  # past the deadline, within the grace for saves

        def automatic_finish(_client, attempt_id=attempt.id):
            with app.app_context():
                finish_attempt(db.session.get(Attempt, attempt_id), manual=False)
                db.session.remove()

        acks = _race(app, phone, attempt.id, keys, automatic_finish)
        _assert_every_acknowledged_save_is_graded(attempt.id, acks)


def test_a_prediction_racing_a_finish_is_refused_once_the_attempt_is_finished(make_app, make_user, make_round,
                                                                              frozen_clock):
    """A finish holds the attempt's row (a second connection plays it, with the finish's own lock); a prediction
    sent meanwhile waits for it and then finds the attempt finished, instead of changing a submitted attempt."""
    app = make_app()
    frozen_clock(OPEN)
    phone, attempt, _ = _started(app, make_user, lambda: make_round(prediction_kind="full_score_count"))
    client = _signed_in_clients(app, phone, 1)[0]
    responses = []
    with app.app_context():
        finisher = db.engine.connect()
        transaction = finisher.begin()
        if finisher.dialect.name == "sqlite":
            finisher.execute(text("UPDATE attempts SET state = state WHERE id = :id"), {"id": attempt.id})
        else:
            finisher.execute(text("SELECT id FROM attempts WHERE id = :id FOR UPDATE"), {"id": attempt.id})
        sender = threading.Thread(target=lambda: responses.append(
            client.post(f"/api/attempts/{attempt.id}/prediction", json={"prediction": 7})))
        sender.start()
        sender.join(timeout=1.0)
        assert sender.is_alive()  # waiting for the finish's lock
        finisher.execute(text("UPDATE attempts SET state = 'finished' WHERE id = :id"), {"id": attempt.id})
        transaction.commit()
        finisher.close()
        sender.join()
    response = responses[0]
    assert response.status_code == 409 and response.get_json()["code"] == "finished"
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).prediction is None
