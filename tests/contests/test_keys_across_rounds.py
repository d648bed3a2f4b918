"""No key reaches a taker's browser while a round that withholds keys can still draw that question, whichever
round the review page belongs to (issue 12, item 6)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from contest.attempts.finishing import finish_attempt
from contest.attempts.starting import start_attempt
from contest.banks.models import Topic
from contest.contests.models import BlueprintItem
from contest.extensions import db

OPEN = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
KEY_MARK = "✔ đáp án đúng"  # the key as the review macro marks it
EXPLANATION = "Giải thích ngắn."  # the small bank's one explanation (question T-003): it gives the key away


@pytest.fixture
def official(make_user, make_unit, login, frozen_clock):
    frozen_clock(OPEN)
    user = make_user(role="official", unit=make_unit("VP", "Văn phòng HĐND và UBND", kind="office"))
    login(user.phone)
    return user


def finished(user, round_):
    attempt = start_attempt(user, round_)
    return finish_attempt(attempt)


def only_topic(round_, name):
    """Keep only the blueprint lines of one topic."""
    keep = db.session.scalar(select(Topic.id).where(Topic.name == name))
    db.session.execute(delete(BlueprintItem).where(BlueprintItem.round_id == round_.id, BlueprintItem.topic_id != keep))
    db.session.commit()
    db.session.expire_all()


def test_survey_review_shows_no_key_the_open_contest_round_can_still_draw(official, make_round, client):
    make_round(audience="officials", kind="contest", review_policy="after_close")
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    attempt = finished(official, survey)
    page = client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)
    assert KEY_MARK not in page and EXPLANATION not in page


def test_survey_review_says_why_a_key_is_hidden(official, make_round, client):
    make_round(audience="officials", kind="contest", review_policy="after_close")
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    attempt = finished(official, survey)
    page = client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)
    assert "Đáp án của câu này tạm ẩn" in page


def test_survey_review_shows_keys_of_questions_the_open_round_cannot_draw(official, make_round, client):
    contest_round = make_round(audience="officials", kind="contest", review_policy="after_close")
    only_topic(contest_round, "Cải cách thể chế")
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    attempt = finished(official, survey)
    page = client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)
    # T-003 and T-004 (thủ tục hành chính) keep one key each; T-001 and T-002 (thể chế) show none.
    assert EXPLANATION in page and page.count(KEY_MARK) == 2


def test_survey_review_shows_the_keys_once_the_contest_round_has_closed(official, make_round, client, frozen_clock):
    contest_round = make_round(audience="officials", kind="contest", review_policy="after_close",
                               closes_at=OPEN + timedelta(hours=1))
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    attempt = finished(official, survey)
    frozen_clock(contest_round.closes_at + timedelta(minutes=1))
    page = client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)
    assert KEY_MARK in page and EXPLANATION in page


def test_contest_review_shows_no_key_an_open_survey_that_never_shows_keys_can_draw(official, make_round, client):
    make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="never")
    contest_round = make_round(audience="officials", kind="contest", review_policy="after_submit")
    attempt = finished(official, contest_round)
    page = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert KEY_MARK not in page and EXPLANATION not in page


def test_a_round_that_shows_keys_after_submit_withholds_nothing_from_another(official, make_round, client):
    make_round(audience="officials", kind="contest", review_policy="after_submit")
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    attempt = finished(official, survey)
    assert KEY_MARK in client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)


def test_a_round_not_yet_open_that_withholds_keys_hides_them_too(official, make_round, client):
    make_round(audience="officials", kind="contest", review_policy="after_close", opens_at=OPEN + timedelta(days=2))
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    attempt = finished(official, survey)
    assert KEY_MARK not in client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)


COPY_BANK = """bank: ban-sao
title: Bản sao
questions:
  - id: BS-1
    topic: Cải cách thủ tục hành chính
    kind: true_false
    text: Câu hỏi đúng sai thử?
    options: [Đúng, Sai]
    answer: Sai
"""


def test_the_same_question_in_the_withholding_rounds_own_bank_hides_its_key(official, make_round, client):
    from contest.banks.importing import import_bank
    from contest.banks.models import Bank

    contest_round = make_round(audience="officials", kind="contest", review_policy="after_close")
    assert import_bank(COPY_BANK.encode(), "ban-sao.yaml").ok  # T-003's text, in a bank of its own
    contest_round.banks = [db.session.scalar(select(Bank).where(Bank.name == "ban-sao"))]
    db.session.commit()
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    attempt = finished(official, survey)
    page = client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)
    assert EXPLANATION not in page and page.count(KEY_MARK) == 4  # T-001 (1), T-002 (2), T-004 (1); not T-003


def test_an_organiser_still_sees_every_key(official, make_round, client, make_user, login):
    make_round(audience="officials", kind="contest", review_policy="after_close")
    survey = make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    attempt = finished(official, survey)
    client.post("/logout")
    make_user(role="organiser", login="btc")
    login("btc")
    assert EXPLANATION in client.get(f"/surveys/results/{attempt.id}").get_data(as_text=True)


def test_the_withholding_rounds_editor_names_the_round_whose_review_hides_keys(official, make_round, client,
                                                                               make_user, login):
    contest_round = make_round(audience="officials", kind="contest", review_policy="after_close")
    make_round(audience="officials", kind="survey", attempts_allowed=1, review_policy="after_submit")
    client.post("/logout")
    make_user(role="organiser", login="btc")
    login("btc")
    body = client.get(f"/admin/contests/{contest_round.contest_id}/rounds/{contest_round.id}/blueprint")
    assert "được ẩn khi xem lại bài của đợt “Cuộc thi 2 – Đợt 1”" in body.get_data(as_text=True)
