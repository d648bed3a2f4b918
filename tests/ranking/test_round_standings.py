"""Round standings from the database: counting rules, groups ranked apart, public page."""

from datetime import UTC, datetime, timedelta

import pytest

from contest.attempts.models import Attempt
from contest.extensions import db
from contest.ranking.service import round_standings

T0 = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)


@pytest.fixture
def finished_attempt(app):
    def create(user, round_, score, number=1, duration=600, finished_minute=10, prediction=None, group=None):
        finished_at = T0 + timedelta(minutes=finished_minute)
        attempt = Attempt(round_id=round_.id, user_id=user.id, unit_id=user.unit_id, number=number,
                          group=group or ("officials" if user.role == "official" else "residents"),
                          state="finished", started_at=finished_at - timedelta(seconds=duration),
                          deadline=finished_at + timedelta(minutes=5), finished_at=finished_at, score=score,
                          max_score=4, duration_seconds=duration, prediction=prediction)
        db.session.add(attempt)
        db.session.commit()
        return attempt

    return create


def order(round_, group="residents"):
    return [r.entry.user_id for r in round_standings(round_, group).ranked]


@pytest.mark.parametrize("counting, expected_score", [("best", 4), ("first", 2), ("last", 3)])
def test_counting_rule_picks_the_attempt_that_counts(make_round, make_user, finished_attempt, counting,
                                                     expected_score):
    round_ = make_round(counting=counting)
    user = make_user()
    for number, score in enumerate([2, 4, 3], start=1):
        finished_attempt(user, round_, score, number=number, finished_minute=number * 10)
    [only] = round_standings(round_, "residents").ranked
    assert only.entry.score == expected_score


def test_groups_are_ranked_apart(make_round, make_user, finished_attempt):
    round_ = make_round(audience="both")
    resident, official = make_user(), make_user(role="official")
    finished_attempt(resident, round_, 3)
    finished_attempt(official, round_, 4)
    assert order(round_, "residents") == [resident.id]
    assert order(round_, "officials") == [official.id]


def test_prediction_breaks_a_tie_against_the_live_count_of_full_scores(make_round, make_user, finished_attempt):
    round_ = make_round(prediction_kind="full_score_count")
    a, b, c = make_user(), make_user(), make_user()
    finished_attempt(a, round_, 4, prediction=10)
    finished_attempt(b, round_, 4, prediction=2, duration=900)
    finished_attempt(c, round_, 1, prediction=2)
    table = round_standings(round_, "residents")
    assert table.actual == 2 and not table.actual_is_final
    assert [r.entry.user_id for r in table.ranked] == [b.id, a.id, c.id]


def test_frozen_actual_value_is_used_once_set(make_round, make_user, finished_attempt):
    round_ = make_round(prediction_kind="full_score_count", prediction_actual=10)
    a, b = make_user(), make_user()
    finished_attempt(a, round_, 4, prediction=10)
    finished_attempt(b, round_, 4, prediction=2)
    table = round_standings(round_, "residents")
    assert table.actual_is_final and [r.entry.user_id for r in table.ranked] == [a.id, b.id]


def test_unfinished_attempts_are_not_ranked(make_round, make_user, finished_attempt):
    round_ = make_round()
    user = make_user()
    attempt = finished_attempt(user, round_, 4)
    attempt.state = "in_progress"
    db.session.commit()
    assert order(round_) == []


def test_standings_page_shows_initials_without_consent_and_the_takers_rank(make_round, make_user, finished_attempt,
                                                                          client, login, frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    shy = make_user(full_name="Nguyễn Văn An", publish_name=False)
    proud = make_user(full_name="Trần Thị Bình", publish_name=True)
    finished_attempt(shy, round_, 4)
    finished_attempt(proud, round_, 3)
    login(proud.phone)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/standings").get_data(as_text=True)
    assert "N. V. A." in page and "Nguyễn Văn An" not in page
    assert "Trần Thị Bình" in page
    assert "Hạng của bạn: <strong>2</strong>" in page
    assert shy.phone not in page


def test_standings_page_lists_units_with_participants_and_mean(make_round, make_user, make_unit, finished_attempt,
                                                               client, frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    unit = make_unit(name="Tổ dân phố số 9")
    for score in (4, 2):
        finished_attempt(make_user(unit=unit), round_, score)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/standings").get_data(as_text=True)
    assert "Tổ dân phố số 9" in page and ">3,00<" in page


def test_survey_has_no_public_standings(make_round, client):
    round_ = make_round(kind="survey")
    assert client.get(f"/contests/{round_.contest.slug}/rounds/1/standings").status_code == 404
