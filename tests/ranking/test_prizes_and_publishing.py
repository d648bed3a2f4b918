"""Prizes, disqualification, publishing and corrections, through the services and the public pages."""

import pytest
from sqlalchemy import select

from contest.attempts.models import Attempt
from contest.audit.models import AuditEntry
from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.lookups import top_results
from contest.ranking.models import ResultPublication
from contest.ranking.publishing import (
    disqualify_attempt,
    proposed_awards,
    publish_round,
    reinstate_attempt,
    review_round,
)
from contest.ranking.refresh import RankingError, fresh_results
from tests.ranking.conftest import AFTER_CLOSE


def winners(round_):
    return [(a.tier, a.user_id) for a in proposed_awards(round_.contest) if a.round_id == round_.id]


def second_round(round_):
    other = Round(contest=round_.contest, number=2, title="Đợt 2", opens_at=round_.opens_at,
                  closes_at=round_.closes_at, prizes_first=round_.prizes_first, prizes_second=round_.prizes_second)
    db.session.add(other)
    db.session.commit()
    return other


@pytest.fixture
def closed(frozen_clock):
    def close(*rounds):
        frozen_clock(AFTER_CLOSE)
        for round_ in rounds:
            fresh_results(round_)
    return close


def test_a_person_with_several_attempts_wins_one_prize_per_round(make_round, make_user, finished_attempt):
    round_ = make_round(prizes_first=1, prizes_second=1)
    a, b = make_user(), make_user()
    finished_attempt(a, round_, 4, duration=300)
    finished_attempt(a, round_, 4, duration=400)
    finished_attempt(b, round_, 3)
    assert winners(round_) == [("first", a.id), ("second", b.id)]


def test_without_highest_only_a_person_wins_in_each_round(make_round, make_user, finished_attempt):
    one = make_round(prizes_first=1)
    two = second_round(one)
    a, b = make_user(), make_user()
    for round_ in (one, two):
        finished_attempt(a, round_, 4)
        finished_attempt(b, round_, 3)
    assert winners(one) == [("first", a.id)] and winners(two) == [("first", a.id)]


def test_highest_only_gives_a_repeat_winners_prize_to_the_next_person(make_round, make_user, finished_attempt):
    one = make_round(prizes_first=1)
    one.contest.prize_highest_only = True
    two = second_round(one)
    a, b = make_user(), make_user()
    for round_ in (one, two):
        finished_attempt(a, round_, 4)
        finished_attempt(b, round_, 3)
    assert winners(one) == [("first", a.id)] and winners(two) == [("first", b.id)]


def test_a_disqualified_attempt_leaves_the_standings_and_another_attempt_counts(make_round, make_user,
                                                                                finished_attempt):
    round_ = make_round(prizes_first=1)
    a, b = make_user(), make_user()
    cheat = finished_attempt(a, round_, 4)
    finished_attempt(a, round_, 2)
    finished_attempt(b, round_, 3)
    disqualify_attempt(cheat, "Dùng hai tài khoản")
    assert [(ln.user_id, ln.score) for ln in top_results(round_, "residents")] == [(b.id, 3), (a.id, 2)]
    assert winners(round_) == [("first", b.id)]


def test_disqualifying_needs_a_reason(make_round, make_user, finished_attempt):
    round_ = make_round()
    attempt = finished_attempt(make_user(), round_, 4)
    with pytest.raises(RankingError, match="lý do"):
        disqualify_attempt(attempt, "  ")


def test_disqualifying_and_reinstating_are_recorded(make_round, make_user, finished_attempt):
    round_ = make_round(prizes_first=1)
    attempt = finished_attempt(make_user(), round_, 4)
    disqualify_attempt(attempt, "Sai thông tin")
    reinstate_attempt(attempt)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["attempt.disqualify", "attempt.reinstate"]
    assert [ln.attempt_id for ln in top_results(round_, "residents")] == [attempt.id]


def test_results_cannot_be_published_before_the_round_is_closed(make_round, frozen_clock):
    from tests.ranking.conftest import T0

    frozen_clock(T0)
    round_ = make_round(prizes_first=1)
    with pytest.raises(RankingError, match="kết thúc"):
        publish_round(round_)


def test_publishing_stores_the_list_and_records_it(make_round, make_user, finished_attempt, closed):
    round_ = make_round(prizes_first=1)
    winner = make_user()
    finished_attempt(winner, round_, 4)
    closed(round_)
    publication = publish_round(round_)
    assert publication.kind == "publish" and [w["user_id"] for w in publication.winners] == [winner.id]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "results.publish")) is not None


def test_publishing_again_without_a_change_is_refused(make_round, make_user, finished_attempt, closed):
    round_ = make_round(prizes_first=1)
    finished_attempt(make_user(), round_, 4)
    closed(round_)
    publish_round(round_)
    with pytest.raises(RankingError, match="không thay đổi"):
        publish_round(round_, "Thử lại")


def test_published_results_stay_frozen_and_a_disqualification_is_published_as_a_correction(
        make_round, make_user, finished_attempt, closed, client):
    round_ = make_round(prizes_first=1)
    first = make_user(full_name="Hoàng Văn Nhất", publish_name=True)
    runner_up = make_user(full_name="Vũ Thị Nhì", publish_name=True)
    cheat = finished_attempt(first, round_, 4)
    finished_attempt(runner_up, round_, 3)
    closed(round_)
    original = publish_round(round_)
    disqualify_attempt(cheat, "Dùng phần mềm trả lời tự động")
    history = db.session.scalars(select(ResultPublication).order_by(ResultPublication.id)).all()
    assert [p.kind for p in history] == ["publish", "correction"]
    assert [w["user_id"] for w in history[0].winners] == [first.id] and history[0].id == original.id
    assert [w["user_id"] for w in history[1].winners] == [runner_up.id]
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/winners").get_data(as_text=True)
    assert "Đính chính" in page and "Dùng phần mềm trả lời tự động" in page
    assert "Vũ Thị Nhì" in page


def test_a_change_after_publication_waits_for_a_correction_with_a_reason(make_round, make_user, finished_attempt,
                                                                         closed):
    one = make_round(prizes_first=1)
    two = second_round(one)
    a, b = make_user(), make_user()
    for round_ in (one, two):
        finished_attempt(a, round_, 4)
        finished_attempt(b, round_, 3)
    closed(one, two)
    publish_round(two)
    one.contest.prize_highest_only = True
    db.session.commit()
    review = review_round(two)
    assert {(c.key[1], c.before, c.after) for c in review.changes} == {(b.id, None, "first"), (a.id, "first", None)}
    with pytest.raises(RankingError, match="lý do"):
        publish_round(two)
    assert publish_round(two, "Áp dụng quy định mỗi người một giải").kind == "correction"


def test_the_winners_page_shows_initials_without_consent_and_never_the_phone(make_round, make_user,
                                                                            finished_attempt, closed, client):
    round_ = make_round(prizes_first=1, prizes_second=1)
    shy = make_user(full_name="Đỗ Minh Khang", publish_name=False)
    proud = make_user(full_name="Ngô Thị Lan", publish_name=True)
    finished_attempt(shy, round_, 4)
    finished_attempt(proud, round_, 3)
    closed(round_)
    publish_round(round_)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/winners").get_data(as_text=True)
    assert "Đ. M. K." in page and "Đỗ Minh Khang" not in page
    assert "Ngô Thị Lan" in page and proud.unit.name in page
    assert shy.phone not in page and proud.phone not in page and "1980" not in page


def test_the_winners_page_before_publication_says_so(make_round, client):
    round_ = make_round(prizes_first=1)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/winners").get_data(as_text=True)
    assert "chưa công bố" in page


def test_an_attempt_still_in_progress_cannot_be_disqualified(make_round, make_user, finished_attempt):
    round_ = make_round()
    attempt = finished_attempt(make_user(), round_, 4)
    attempt.state = "in_progress"
    db.session.commit()
    with pytest.raises(RankingError):
        disqualify_attempt(db.session.get(Attempt, attempt.id), "Lý do")


def test_the_correction_keeps_a_withdrawn_consent(make_round, make_user, finished_attempt, closed, client):
    round_ = make_round(prizes_first=1)
    person = make_user(full_name="Phan Văn Đức", publish_name=True)
    finished_attempt(person, round_, 4)
    closed(round_)
    publish_round(round_)
    person.publish_name = False
    db.session.commit()
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/winners").get_data(as_text=True)
    assert "Phan Văn Đức" not in page and "P. V. Đ." in page


def test_standings_page_after_close_shows_final_results(make_round, make_user, finished_attempt, closed, client):
    round_ = make_round()
    finished_attempt(make_user(), round_, 4)
    closed(round_)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/standings").get_data(as_text=True)
    assert "Kết quả tạm thời" not in page

