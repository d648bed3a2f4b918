"""Prize thresholds through the services and pages: an unreached tier stays unawarded and is announced so."""

import pytest

from contest.extensions import db
from contest.ranking.exports import winners_table
from contest.ranking.publishing import proposed_awards, publish_round, review_round, unfilled_notes
from contest.ranking.refresh import fresh_results
from tests.ranking.conftest import AFTER_CLOSE

NO_FIRST = "Giải Nhất: không có người đạt điều kiện (≥ 90 % số điểm)"


@pytest.fixture
def short_round(make_round, make_user, finished_attempt, frozen_clock):
    """A closed round (max 4 points) whose Nhất needs 90 %: the best scores 3, the next 2."""
    round_ = make_round(prizes_first=1, prizes_second=1, prize_min_first=90, prize_min_second=70)
    best, next_ = make_user(full_name="Người Ba Điểm"), make_user(full_name="Người Hai Điểm")
    finished_attempt(best, round_, 3)
    finished_attempt(next_, round_, 2)
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    return round_, best, next_


def test_a_person_below_the_first_threshold_takes_the_second_prize(short_round):
    round_, best, _next = short_round
    assert [(a.tier, a.user_id) for a in proposed_awards(round_.contest)] == [("second", best.id)]


def test_publishing_leaves_the_unreached_first_prize_unawarded(short_round):
    round_, best, _next = short_round
    publication = publish_round(round_)
    assert [(w["tier"], w["user_id"]) for w in publication.winners] == [("second", best.id)]


def test_the_publication_tells_which_prize_nobody_reached(short_round):
    round_, _best, _next = short_round
    publish_round(round_)
    assert unfilled_notes(round_) == [("residents", NO_FIRST)]


def test_a_publication_keeps_the_thresholds_it_was_decided_by(short_round):
    round_, _best, _next = short_round
    publish_round(round_)
    round_.prize_min_first = 50
    db.session.commit()
    assert unfilled_notes(round_) == [("residents", NO_FIRST)]


def test_the_announcement_page_says_the_first_prize_was_not_awarded(short_round, client):
    round_, _best, _next = short_round
    publish_round(round_)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/announcement").get_data(as_text=True)
    assert NO_FIRST in page


def test_the_winners_page_says_the_first_prize_was_not_awarded(short_round, client):
    round_, _best, _next = short_round
    publish_round(round_)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/winners").get_data(as_text=True)
    assert NO_FIRST in page


def test_the_organisers_review_lists_the_prize_nobody_reaches(short_round):
    round_, _best, _next = short_round
    assert review_round(round_).unfilled == [("residents", NO_FIRST)]


def test_the_winners_export_has_a_line_for_the_unawarded_prize(short_round):
    round_, _best, _next = short_round
    publish_round(round_)
    rows = list(winners_table(round_).rows)
    assert [r[0] for r in rows] == ["Giải Nhì", "Giải Nhất"] and rows[1][3] == NO_FIRST


def test_a_round_without_thresholds_announces_no_unawarded_prize(make_round, make_user, finished_attempt,
                                                                  frozen_clock):
    round_ = make_round(prizes_first=1)
    finished_attempt(make_user(), round_, 1)
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    publish_round(round_)
    assert unfilled_notes(round_) == []
