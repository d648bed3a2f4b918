"""Round standings from the database: counting rules, groups ranked apart, stored results, public page."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from contest.attempts.models import Attempt
from contest.extensions import db
from contest.ranking.lookups import participant_count, result_of, top_results
from contest.ranking.models import RoundResult
from contest.ranking.publishing import disqualify_attempt
from contest.ranking.refresh import fresh_results, refresh_results
from contest.ranking.standings import Entry, rank_participants
from tests.ranking.conftest import AFTER_CLOSE, T0


def order(round_, group="residents"):
    fresh_results(round_)
    return [line.user_id for line in top_results(round_, group, limit=500)]


@pytest.mark.parametrize("counting, expected_score", [("best", 4), ("first", 2), ("last", 3)])
def test_counting_rule_picks_the_attempt_that_counts(make_round, make_user, finished_attempt, counting,
                                                     expected_score):
    round_ = make_round(counting=counting)
    user = make_user()
    for number, score in enumerate([2, 4, 3], start=1):
        finished_attempt(user, round_, score, number=number, finished_minute=number * 10)
    fresh_results(round_)
    [only] = top_results(round_, "residents")
    assert only.score == expected_score


def test_groups_are_ranked_apart(make_round, make_user, finished_attempt):
    round_ = make_round(audience="both")
    resident, official = make_user(), make_user(role="official")
    finished_attempt(resident, round_, 3)
    finished_attempt(official, round_, 4)
    assert order(round_, "residents") == [resident.id]
    assert order(round_, "officials") == [official.id]
    assert result_of(round_, resident.id).rank == 1 and result_of(round_, official.id).rank == 1


def test_prediction_breaks_a_tie_against_the_live_count_of_full_scores(make_round, make_user, finished_attempt,
                                                                       frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round(prediction_kind="full_score_count")
    a, b, c = make_user(), make_user(), make_user()
    finished_attempt(a, round_, 4, prediction=10)
    finished_attempt(b, round_, 4, prediction=2, duration=900)
    finished_attempt(c, round_, 1, prediction=2)
    assert order(round_) == [b.id, a.id, c.id]
    assert round_.prediction_actual == 2 and round_.closed_at is None


def test_actual_value_is_frozen_at_close_and_later_full_scores_do_not_move_it(make_round, make_user,
                                                                              finished_attempt, frozen_clock):
    round_ = make_round(prediction_kind="full_score_count")
    a, b = make_user(), make_user()
    finished_attempt(a, round_, 4, prediction=1)
    finished_attempt(b, round_, 4, prediction=2)
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    assert round_.closed_at is not None and round_.prediction_actual == 2
    finished_attempt(make_user(), round_, 4, prediction=3)
    fresh_results(round_)
    assert round_.prediction_actual == 2


def test_open_round_standings_are_recomputed_only_when_older_than_the_refresh_interval(
        make_round, make_user, finished_attempt, frozen_clock, app):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    first = make_user()
    finished_attempt(first, round_, 3)
    assert order(round_) == [first.id]
    late = make_user()
    finished_attempt(late, round_, 4)
    assert order(round_) == [first.id]
    frozen_clock(T0 + timedelta(hours=1, seconds=app.config["STANDINGS_REFRESH_SECONDS"]))
    assert order(round_) == [late.id, first.id]


def test_stored_ranking_follows_the_contests_tie_break_order(make_round, make_user, finished_attempt):
    round_ = make_round(prediction_kind="participant_count")
    round_.contest.tie_break = "score,duration,prediction,finished"
    db.session.commit()
    a, b, c = make_user(), make_user(), make_user()
    attempts = [finished_attempt(a, round_, 4, prediction=3, duration=700),
                finished_attempt(b, round_, 4, prediction=9, duration=500),
                finished_attempt(c, round_, 4, prediction=3, duration=500, finished_minute=20)]
    entries = [Entry(x.id, x.user_id, x.score, x.prediction, x.duration_seconds, x.finished_at) for x in attempts]
    expected = [r.entry.user_id for r in rank_participants(entries, 3, ("score", "duration", "prediction",
                                                                        "finished"))]
    assert order(round_) == expected == [c.id, b.id, a.id]


def test_unfinished_attempts_are_not_ranked(make_round, make_user, finished_attempt):
    round_ = make_round()
    user = make_user()
    attempt = finished_attempt(user, round_, 4)
    attempt.state = "in_progress"
    attempt.counts = False
    db.session.commit()
    assert order(round_) == []
    assert participant_count(round_, "residents") == 0


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


def test_standings_page_for_one_unit_lists_only_its_people(make_round, make_user, make_unit, finished_attempt,
                                                           client, frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    nine, ten = make_unit(name="Tổ dân phố số 9"), make_unit(name="Tổ dân phố số 10")
    finished_attempt(make_user(unit=nine, full_name="Lê Văn Chín", publish_name=True), round_, 2)
    finished_attempt(make_user(unit=ten, full_name="Phạm Thị Mười", publish_name=True), round_, 4)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/standings?unit={nine.id}").get_data(as_text=True)
    assert "Lê Văn Chín" in page and "Phạm Thị Mười" not in page


def test_survey_has_no_public_standings(make_round, client):
    round_ = make_round(kind="survey")
    assert client.get(f"/contests/{round_.contest.slug}/rounds/1/standings").status_code == 404


def test_a_cached_anonymous_page_never_hides_newly_computed_standings(make_round, make_user, finished_attempt,
                                                                      client, frozen_clock, app):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    finished_attempt(make_user(full_name="Người Đến Trước", publish_name=True), round_, 3)
    url = f"/contests/{round_.contest.slug}/rounds/1/standings"
    assert "Người Đến Trước" in client.get(url).get_data(as_text=True)
    finished_attempt(make_user(full_name="Người Đến Sau", publish_name=True), round_, 4)
    assert "Người Đến Sau" not in client.get(url).get_data(as_text=True)
    frozen_clock(T0 + timedelta(hours=1, seconds=app.config["STANDINGS_REFRESH_SECONDS"]))
    assert "Người Đến Sau" in client.get(url).get_data(as_text=True)


def stored_lines(round_):
    return db.session.execute(select(Attempt.group, RoundResult.rank, Attempt.user_id, RoundResult.attempt_id)
                              .join(Attempt, Attempt.id == RoundResult.attempt_id)
                              .where(RoundResult.round_id == round_.id)
                              .order_by(Attempt.group, RoundResult.rank)).all()


def test_a_recompute_after_the_leader_is_disqualified_moves_everyone_up_and_drops_the_last_place(
        make_round, make_user, finished_attempt):
    round_ = make_round()
    users = [make_user() for _ in range(4)]
    attempts = [finished_attempt(u, round_, score) for u, score in zip(users, [4, 3, 2, 1], strict=True)]
    refresh_results(round_)
    disqualify_attempt(attempts[0], "Gian lận")
    assert stored_lines(round_) == [("residents", rank, u.id, a.id)
                                    for rank, (u, a) in enumerate(zip(users[1:], attempts[1:], strict=True), 1)]


def test_a_recompute_removes_a_group_that_has_no_counting_attempt_left(make_round, make_user, finished_attempt):
    round_ = make_round(audience="both")
    resident, official = make_user(), make_user(role="official")
    finished_attempt(resident, round_, 3)
    official_attempt = finished_attempt(official, round_, 4)
    refresh_results(round_)
    disqualify_attempt(official_attempt, "Làm hộ")
    assert [(g, rank, user_id) for g, rank, user_id, _ in stored_lines(round_)] == [("residents", 1, resident.id)]


def _save_counting(round_, counting):
    from contest.contests.service import save_round

    return save_round(round_.contest, round_, opens_at=round_.opens_at, closes_at=round_.closes_at, counting=counting)


@pytest.mark.parametrize("counting, expected_scores", [("first", [2, 1]), ("last", [3, 4])])
def test_changing_the_counting_rule_of_an_open_round_ranks_by_the_new_rule(make_round, make_user, finished_attempt,
                                                                          counting, expected_scores):
    round_ = make_round(counting="best")
    first, second = make_user(), make_user()
    for user, scores in ((first, [2, 4, 3]), (second, [1, 2, 4])):
        for number, score in enumerate(scores, start=1):
            finished_attempt(user, round_, score, number=number, finished_minute=number * 10)
    fresh_results(round_)
    _save_counting(round_, counting)
    fresh_results(round_)
    lines = top_results(round_, "residents")
    assert {line.user_id: line.score for line in lines} == dict(zip((first.id, second.id), expected_scores,
                                                                    strict=True))


def test_the_counting_rule_of_a_closed_round_cannot_change(make_round, make_user, finished_attempt, frozen_clock):
    from contest.contests.service import ContestError
    from contest.ranking.refresh import close_round

    round_ = make_round(counting="best")
    finished_attempt(make_user(), round_, 3)
    frozen_clock(AFTER_CLOSE)
    close_round(round_)
    with pytest.raises(ContestError, match="đã chốt kết quả"):
        _save_counting(round_, "first")
