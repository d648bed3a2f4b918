"""A round draws only from the banks chosen for it: importing or editing another bank never changes what an open
round draws (issue 12, item 5)."""

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.attempts.models import AttemptQuestion
from contest.attempts.starting import start_attempt
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question
from contest.extensions import db

OPEN = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)

# A trial upload: the same topics as the small bank, many questions, so that a draw by topic alone takes some.
TRIAL_BANK = "bank: thu-nghiem\ntitle: Tệp thử\nquestions:\n" + "".join(
    f"  - id: TN-{n:03d}\n    topic: {topic}\n    text: Câu hỏi của tệp thử số {n}?\n"
    f"    options: [Một, Hai, Ba]\n    answer: A\n"
    for n, topic in enumerate(["Cải cách thể chế", "Cải cách thủ tục hành chính"] * 15, start=1))


@pytest.fixture
def official(make_user, make_unit, frozen_clock):
    frozen_clock(OPEN)
    return make_user(role="official", unit=make_unit("VP", "Văn phòng HĐND và UBND", kind="office"))


def drawn_banks(attempt) -> set[str]:
    return set(db.session.scalars(
        select(Bank.name).join(Question, Question.bank_id == Bank.id)
        .join(AttemptQuestion, AttemptQuestion.question_id == Question.id)
        .where(AttemptQuestion.attempt_id == attempt.id)))


def test_an_open_survey_never_draws_from_a_file_uploaded_after_it_opened(make_round, official, make_user, make_unit):
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    assert import_bank(TRIAL_BANK.encode(), "thu-nghiem.yaml").ok
    officials = [official] + [make_user(role="official", unit=official.unit) for _ in range(7)]
    banks = set()
    for n, person in enumerate(officials):
        banks |= drawn_banks(start_attempt(person, survey, rng=random.Random(n)))
    assert banks == {"ngan-hang-thu"}


def test_a_round_draws_from_every_bank_chosen_for_it(make_round, official, make_user):
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    assert import_bank(TRIAL_BANK.encode(), "thu-nghiem.yaml").ok
    survey.banks.append(db.session.scalar(select(Bank).where(Bank.name == "thu-nghiem")))
    db.session.commit()
    banks = set()
    for n in range(8):
        person = official if n == 0 else make_user(role="official", unit=official.unit)
        banks |= drawn_banks(start_attempt(person, survey, rng=random.Random(n)))
    assert banks == {"ngan-hang-thu", "thu-nghiem"}


OTHER_TOPIC_BANK = ("bank: tai-chinh\ntitle: Tài chính công\nquestions:\n  - id: TC-001\n    topic: Cải cách tài chính công\n"
                    "    text: Câu hỏi về tài chính công?\n    options: [Một, Hai]\n    answer: A\n")


def test_the_migration_gives_each_existing_round_the_banks_of_its_blueprint_topics(make_round, frozen_clock,
                                                                                   migrate_again):
    from contest.contests.models import Round

    frozen_clock(OPEN)
    assert import_bank(TRIAL_BANK.encode(), "thu-nghiem.yaml").ok
    with_blueprint = make_round()
    without_blueprint = make_round()
    assert import_bank(OTHER_TOPIC_BANK.encode(), "tai-chinh.yaml").ok  # a topic no blueprint names
    without_blueprint.blueprint.clear()
    db.session.commit()
    ids = with_blueprint.id, without_blueprint.id
    migrate_again("_round_banks.py")
    drawn = {round_id: {b.name for b in db.session.get(Round, round_id).banks} for round_id in ids}
    assert drawn == {ids[0]: {"ngan-hang-thu", "thu-nghiem"}, ids[1]: set()}


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def blueprint_url(round_):
    return f"/admin/contests/{round_.contest_id}/rounds/{round_.id}/blueprint"


def bank_named(name):
    return db.session.scalar(select(Bank).where(Bank.name == name))


def topic_id(name):
    from contest.banks.models import Topic

    return db.session.scalar(select(Topic.id).where(Topic.name == name))


def test_the_blueprint_editor_saves_the_banks_the_organiser_ticks(make_round, organiser, client):
    round_ = make_round()
    assert import_bank(TRIAL_BANK.encode(), "thu-nghiem.yaml").ok
    response = client.post(blueprint_url(round_), data={
        "bank": [bank_named("thu-nghiem").id], f"n-residents-{topic_id('Cải cách thể chế')}-all": "10"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [b.name for b in round_.banks] == ["thu-nghiem"] and round_.question_count("residents") == 10


def test_the_blueprint_editor_counts_only_the_chosen_banks(make_round, organiser, client):
    round_ = make_round()
    assert import_bank(TRIAL_BANK.encode(), "thu-nghiem.yaml").ok
    response = client.post(blueprint_url(round_), data={  # the small bank has 2 questions of this topic
        "bank": [round_.banks[0].id], f"n-residents-{topic_id('Cải cách thể chế')}-all": "3"})
    assert response.status_code == 422
    assert "cần 3 câu nhưng chỉ có 2 câu" in response.get_data(as_text=True)


def test_a_blueprint_without_a_bank_is_refused(make_round, organiser, client):
    round_ = make_round()
    response = client.post(blueprint_url(round_), data={f"n-residents-{topic_id('Cải cách thể chế')}-all": "1"})
    assert response.status_code == 422
    assert "chọn ít nhất một ngân hàng" in response.get_data(as_text=True)


def test_the_blueprint_editor_shows_counts_per_chosen_bank_without_saving(make_round, organiser, client):
    round_ = make_round()
    assert import_bank(TRIAL_BANK.encode(), "thu-nghiem.yaml").ok
    response = client.post(blueprint_url(round_), data={
        "action": "banks", "bank": [round_.banks[0].id, bank_named("thu-nghiem").id]})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    # Per topic: the small bank's 2 questions (1 easy, 1 medium) beside the trial file's 15 (all medium).
    assert "ngan-hang-thu: 2 (dễ 1, trung bình 1, khó 0)" in body
    assert "thu-nghiem: 15 (dễ 0, trung bình 15, khó 0)" in body
    db.session.expire_all()
    assert [b.name for b in round_.banks] == ["ngan-hang-thu"]


def test_the_blueprint_editor_lists_only_topics_of_the_chosen_banks(make_round, organiser, client):
    round_ = make_round()
    assert import_bank(OTHER_TOPIC_BANK.encode(), "tai-chinh.yaml").ok
    body = client.get(blueprint_url(round_)).get_data(as_text=True)
    assert "Cải cách thể chế" in body and "Cải cách tài chính công" not in body


def test_the_blueprint_editor_names_the_round_whose_review_hides_shared_keys(make_round, organiser, client):
    make_round(audience="officials", kind="contest", review_policy="after_close")
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    body = client.get(blueprint_url(survey)).get_data(as_text=True)
    assert "đáp án của các câu dùng chung được ẩn khi xem lại bài của đợt này" in body


def test_a_new_round_is_offered_the_banks_of_the_contests_previous_round(make_round, organiser, client):
    from contest.contests.models import Round

    first = make_round()
    assert import_bank(TRIAL_BANK.encode(), "thu-nghiem.yaml").ok
    second = Round(contest=first.contest, number=2, title="Đợt 2", opens_at=first.closes_at,
                   closes_at=first.closes_at + (first.closes_at - first.opens_at))
    db.session.add(second)
    db.session.commit()
    body = client.get(blueprint_url(second)).get_data(as_text=True)
    assert f'value="{first.banks[0].id}" checked' in body
    assert f'value="{bank_named("thu-nghiem").id}" checked' not in body
