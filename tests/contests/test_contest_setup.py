"""Organisers create contests, rounds and blueprints; the public sees published contests."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.contests.models import Contest, Round
from contest.extensions import db


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def create_contest(client, **changes):
    data = {"title": "Cuộc thi tìm hiểu CCHC năm 2026", "kind": "contest", "audience": "residents",
            "summary": "Dành cho Nhân dân", "rules": "Điều 1.\n\nĐiều 2 <script>alert(1)</script>",
            "is_published": "y"}
    data.update(changes)
    return client.post("/admin/contests/new", data=data)


def round_data(**changes):
    data = {"title": "Đợt 1", "opens_at": "2026-12-01T08:00", "closes_at": "2026-12-07T17:00",
            "time_limit_minutes": "20", "attempts_allowed": "3", "counting": "best", "review_policy": "after_close",
            "prediction_kind": "full_score_count", "prediction_prompt": "Bao nhiêu người đạt điểm tuyệt đối?",
            "prizes_first": "1", "prizes_second": "2", "prizes_third": "3", "prizes_consolation": "5"}
    data.update(changes)
    return data


def test_organiser_creates_a_contest_with_a_slug(client, organiser):
    response = create_contest(client)
    assert response.status_code == 302
    contest = db.session.scalar(select(Contest))
    assert contest.slug == "cuoc-thi-tim-hieu-cchc-nam-2026"


def test_rules_text_is_shown_escaped_in_paragraphs(client, organiser):
    create_contest(client)
    body = client.get("/contests/cuoc-thi-tim-hieu-cchc-nam-2026").get_data(as_text=True)
    assert "<p>Điều 1.</p>" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_round_times_are_read_as_vietnam_time(client, organiser):
    create_contest(client)
    contest = db.session.scalar(select(Contest))
    response = client.post(f"/admin/contests/{contest.id}/rounds/new", data=round_data())
    assert response.status_code == 302
    round_ = db.session.scalar(select(Round))
    assert round_.opens_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert round_.number == 1 and round_.attempts_allowed == 3 and round_.prediction_kind == "full_score_count"


def test_round_that_closes_before_it_opens_is_refused(client, organiser):
    create_contest(client)
    contest = db.session.scalar(select(Contest))
    response = client.post(f"/admin/contests/{contest.id}/rounds/new",
                           data=round_data(closes_at="2026-11-30T08:00"))
    assert response.status_code == 422
    assert db.session.scalar(select(Round)) is None


def make_round(client):
    create_contest(client)
    contest = db.session.scalar(select(Contest))
    client.post(f"/admin/contests/{contest.id}/rounds/new", data=round_data())
    return contest, db.session.scalar(select(Round))


def bank_id(report):
    from contest.banks.models import Bank

    return db.session.scalar(select(Bank.id).where(Bank.name == report.bank_name))


def test_blueprint_within_the_bank_is_saved(client, organiser, small_bank):
    from contest.banks.models import Topic

    contest, round_ = make_round(client)
    topic = db.session.scalar(select(Topic).where(Topic.name == "Cải cách thể chế"))
    response = client.post(f"/admin/contests/{contest.id}/rounds/{round_.id}/blueprint",
                           data={f"n-residents-{topic.id}-all": "2", "bank": bank_id(small_bank)})
    assert response.status_code == 302
    db.session.refresh(round_)
    assert round_.question_count("residents") == 2


def test_blueprint_asking_more_than_the_bank_holds_is_refused(client, organiser, small_bank):
    from contest.banks.models import Topic

    contest, round_ = make_round(client)
    topic = db.session.scalar(select(Topic).where(Topic.name == "Cải cách thể chế"))
    response = client.post(f"/admin/contests/{contest.id}/rounds/{round_.id}/blueprint",
                           data={f"n-residents-{topic.id}-all": "5", "bank": bank_id(small_bank)})
    assert response.status_code == 422
    assert "không đủ câu hỏi" in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert round_.blueprint == []


def test_unpublished_contest_is_hidden_from_the_public(client, organiser):
    create_contest(client, is_published="")
    client.post("/logout")
    assert client.get("/contests/cuoc-thi-tim-hieu-cchc-nam-2026").status_code == 404
    assert "Cuộc thi tìm hiểu CCHC" not in client.get("/").get_data(as_text=True)


def test_home_page_shows_published_contest_and_its_round(client, organiser):
    make_round(client)
    client.post("/logout")
    body = client.get("/").get_data(as_text=True)
    assert "Cuộc thi tìm hiểu CCHC năm 2026" in body and "Đợt 1" in body
    assert "08:00 ngày 01/12/2026" in body


def test_blueprint_with_a_bad_number_keeps_what_was_typed_and_says_so_once(client, organiser, small_bank):
    from contest.banks.models import Topic

    contest, round_ = make_round(client)
    topics = db.session.scalars(select(Topic).order_by(Topic.id)).all()
    response = client.post(f"/admin/contests/{contest.id}/rounds/{round_.id}/blueprint",
                           data={f"n-residents-{topics[0].id}-all": "2", f"n-residents-{topics[1].id}-all": "hai",
                                 f"n-residents-{topics[1].id}-easy": "-1", "bank": bank_id(small_bank)})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.count("Số câu phải là số nguyên không âm") == 1
    assert f'name="n-residents-{topics[0].id}-all" value="2"' in body
    db.session.refresh(round_)
    assert round_.blueprint == []
