"""Two organisers adding to one bank at once: the database's unique keys decide, and the loser looks again
instead of failing. The other save is made on a real second connection, between the check and the insert."""

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from contest import clock
from contest.banks.editing import QuestionDraft, QuestionInvalid, add_question
from contest.banks.models import Bank, Question, Topic
from contest.extensions import db


def draft(**fields):
    values = {"topic": "Cải cách thể chế", "kind": "single", "text": "Câu hỏi viết cùng lúc?",
              "options": ["Một", "Hai"], "answer": ["A"]}
    return QuestionDraft(**{**values, **fields})


def save_elsewhere_before_the_insert(code):
    """At this session's next flush, another connection commits a question with ``code`` to the same bank."""
    bank_id = db.session.scalar(select(Bank.id).where(Bank.name == "ngan-hang-thu"))
    topic_id = db.session.scalar(select(Topic.id))
    now = clock.now()

    def other_organiser(session, flush_context, instances):
        with db.engine.begin() as conn:
            conn.execute(insert(Question).values(
                bank_id=bank_id, code=code, topic_id=topic_id, kind="single", text="Câu của người kia?",
                options=["A", "B"], correct=[0], points=1.0, difficulty="medium", content_hash="x" * 64,
                status="active", created_at=now, updated_at=now))

    event.listen(Session, "before_flush", other_organiser, once=True)
    return other_organiser


def test_two_saves_at_once_get_two_codes(small_bank):
    bank = db.session.scalar(select(Bank).where(Bank.name == "ngan-hang-thu"))
    listener = save_elsewhere_before_the_insert("CH-0005")
    try:
        question = add_question(bank, draft())
    finally:
        if event.contains(Session, "before_flush", listener):
            event.remove(Session, "before_flush", listener)
    assert question.code == "CH-0006"
    codes = db.session.scalars(select(Question.code).where(Question.code.like("CH-%")).order_by(Question.code))
    assert list(codes) == ["CH-0005", "CH-0006"]


def test_a_typed_code_taken_at_the_same_moment_is_refused_beside_the_code(small_bank):
    bank = db.session.scalar(select(Bank).where(Bank.name == "ngan-hang-thu"))
    listener = save_elsewhere_before_the_insert("NQ-1")
    try:
        add_question(bank, draft(code="NQ-1"))
    except QuestionInvalid as exc:
        assert exc.check.errors["code"][0].startswith("Mã câu hỏi “NQ-1” đã có trong ngân hàng này")
    else:
        raise AssertionError("the second save of NQ-1 was not refused")
    finally:
        if event.contains(Session, "before_flush", listener):
            event.remove(Session, "before_flush", listener)
