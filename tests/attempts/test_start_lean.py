"""The start path under a stampede: few statements once the round's draw data is cached, a cache that follows
the database (not a process event), and exactly one attempt per person with real concurrent starts."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from contest.accounts.models import User
from contest.attempts.models import Attempt
from contest.attempts.starting import start_attempt
from contest.contests.models import BlueprintItem, Round
from contest.extensions import db
from tests.attempts.conftest import OPEN, questions_of


def fresh(round_id: int, user_id: int) -> tuple[Round, User]:
    """The round and the person as a new request loads them (an empty session)."""
    db.session.remove()
    return db.session.get(Round, round_id), db.session.get(User, user_id)


def test_a_start_with_the_draw_data_cached_sends_three_statements(app, make_user, make_round, frozen_clock,
                                                                 statements):
    frozen_clock(OPEN)
    round_id = make_round().id
    first, second = make_user().id, make_user().id
    start_attempt(*reversed(fresh(round_id, first)))  # the first start of the round caches its draw data
    round_, user = fresh(round_id, second)
    with statements() as sent:
        attempt = start_attempt(user, round_)
        assert attempt.id and attempt.deadline and attempt.max_score == 4
    # the round's terms with the draw data's version and the person's attempts, the attempt, its frozen questions
    assert len(sent) == 3, sent


def test_a_bank_edit_made_by_another_app_reaches_the_next_draw(app, make_app, make_user, make_round, frozen_clock):
    from contest.banks.models import Question

    frozen_clock(OPEN)
    round_id = make_round().id
    first, second = make_user().id, make_user().id
    start_attempt(*reversed(fresh(round_id, first)))
    frozen_clock(OPEN + timedelta(minutes=1))
    with make_app().app_context():  # another app server: its edit sends no event to this one
        for question in db.session.scalars(select(Question)):
            question.text = f"Nội dung mới của câu {question.id}"
        db.session.commit()
    round_, user = fresh(round_id, second)
    attempt = start_attempt(user, round_)
    assert all(q.text.startswith("Nội dung mới") for q in questions_of(attempt))


def test_a_blueprint_change_reaches_the_next_draw(app, make_user, make_round, frozen_clock):
    frozen_clock(OPEN)
    round_id = make_round().id
    first, second = make_user().id, make_user().id
    start_attempt(*reversed(fresh(round_id, first)))
    for item in db.session.scalars(select(BlueprintItem).where(BlueprintItem.round_id == round_id)):
        item.count = 1
    db.session.commit()
    round_, user = fresh(round_id, second)
    attempt = start_attempt(user, round_)
    assert len(questions_of(attempt)) == 2 and attempt.max_score == 2


def test_a_retired_question_is_no_longer_drawn(app, make_user, make_round, frozen_clock):
    from contest.banks.models import Question

    frozen_clock(OPEN)
    round_id = make_round().id
    for item in db.session.scalars(select(BlueprintItem).where(BlueprintItem.round_id == round_id)):
        item.count = 1
    db.session.commit()
    first, second = make_user().id, make_user().id
    start_attempt(*reversed(fresh(round_id, first)))
    frozen_clock(OPEN + timedelta(minutes=1))
    kept, retired_topics = set(), set()
    for question in db.session.scalars(select(Question).order_by(Question.id)):
        if question.topic_id in retired_topics:
            kept.add(question.id)
        else:  # the first question of each topic
            question.status = "retired"
            retired_topics.add(question.topic_id)
    db.session.commit()
    round_, user = fresh(round_id, second)
    attempt = start_attempt(user, round_)
    assert {q.question_id for q in questions_of(attempt)} == kept


def test_simultaneous_starts_of_many_people_make_exactly_one_attempt_each(make_app, make_user, make_round,
                                                                            frozen_clock):
    """Twelve people each tap "start" twice at the same moment: one attempt each, every tap answered."""
    frozen_clock(OPEN)
    round_id = make_round(attempts_allowed=1).id
    phones = [make_user().phone for _ in range(12)]
    app = make_app()
    taps = [phone for phone in phones for _ in range(2)]
    barrier = threading.Barrier(len(taps))
    codes = []

    def tap(phone):
        client = app.test_client()
        client.post("/login", data={"login": phone, "password": "mat-khau-an-toan"})
        barrier.wait()
        response = client.post(f"/rounds/{round_id}/start")
        codes.append((response.status_code, response.headers.get("Location", "").startswith("/attempts/")))

    threads = [threading.Thread(target=tap, args=(phone,)) for phone in taps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [(302, True)] * len(taps)
    db.session.remove()
    per_person = db.session.execute(select(Attempt.user_id, func.count(Attempt.id)).where(Attempt.round_id == round_id)
                                    .group_by(Attempt.user_id)).all()
    assert len(per_person) == 12 and {n for _, n in per_person} == {1}


def test_the_frozen_questions_are_stored_as_sqlalchemys_json_type_stores_them(app, make_user, make_round,
                                                                             frozen_clock):
    """The bulk insert writes the JSON columns itself: the text must be what the JSON type writes (json.dumps,
    None as JSON null), so that reads and SQL comparisons see no difference."""
    import json

    from sqlalchemy import text

    frozen_clock(OPEN)
    round_id = make_round().id
    attempt = start_attempt(*reversed(fresh(round_id, make_user().id)))
    stored = db.session.execute(text(
        "SELECT CAST(options AS TEXT), CAST(correct AS TEXT), CAST(weights AS TEXT), CAST(selected AS TEXT)"
        " FROM attempt_questions WHERE attempt_id = :id ORDER BY position"), {"id": attempt.id}).all()
    expected = [(json.dumps(q.options), json.dumps(q.correct), json.dumps(q.weights), json.dumps(q.selected))
                for q in questions_of(attempt)]
    assert stored == expected and all(row[3] == "null" for row in stored)


def test_the_attempt_row_is_stored_as_the_orm_stores_it(app, make_user, make_round, frozen_clock):
    """The start writes the attempt's row itself: every column (timestamps above all) must hold what the ORM
    would have written for the same attempt."""
    from sqlalchemy import text

    frozen_clock(OPEN)
    round_id = make_round().id
    started = start_attempt(*reversed(fresh(round_id, make_user().id)))
    columns = [c.name for c in Attempt.__table__.columns if c.name not in ("id", "user_id")]
    copy = Attempt(user_id=make_user().id, **{name: getattr(started, name) for name in columns})
    db.session.add(copy)
    db.session.commit()
    listed = ", ".join(f'CAST("{name}" AS TEXT)' for name in columns)
    raw = [tuple(row) for row in db.session.execute(
        text(f"SELECT {listed} FROM attempts WHERE id IN (:a, :b) ORDER BY id"), {"a": started.id, "b": copy.id})]
    assert raw[0] == raw[1]
