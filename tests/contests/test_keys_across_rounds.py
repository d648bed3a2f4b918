"""No key reaches a taker's browser while a round that withholds keys can still draw that question, whichever
round the review page belongs to (issue 12, item 6)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from contest.attempts.service import finish_attempt, start_attempt
from contest.banks.models import Topic
from contest.contests.models import BlueprintItem
from contest.extensions import db

OPEN = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
KEY_MARK = "đáp án đúng"
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
