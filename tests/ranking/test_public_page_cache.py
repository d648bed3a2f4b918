"""The public results pages' cache: a hit is one statement and no ORM work; a change the page shows (new
standings, a publication, an unpublished contest) is never hidden behind it; signed-in visitors never get it."""

from datetime import timedelta

import pytest

from contest.extensions import db
from tests.ranking.conftest import T0

PAGES = ["/contests/{slug}/rounds/1/standings", "/contests/{slug}/units", "/contests/{slug}/units?round=1",
         "/contests/{slug}/standings", "/contests/{slug}/rounds/1/announcement"]


@pytest.fixture
def ranked_round(make_round, make_user, finished_attempt, frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    for score in (4, 3, 2):
        finished_attempt(make_user(), round_, score)
    return round_


@pytest.mark.parametrize("page", PAGES)
def test_a_cached_public_page_costs_one_statement(ranked_round, client, page, statements):
    url = page.format(slug=ranked_round.contest.slug)
    client.get(url)  # computes the round's standings (a page built while they are stale is not kept)
    stored = client.get(url)
    with statements() as sent:
        again = client.get(url)
    assert again.status_code == 200 and again.get_data() == stored.get_data()
    assert len(sent) == 1, sent


@pytest.mark.parametrize("page", PAGES)
def test_new_standings_are_not_hidden_behind_the_cache(ranked_round, client, make_user, finished_attempt,
                                                       frozen_clock, app, page):
    url = page.format(slug=ranked_round.contest.slug)
    client.get(url)
    before = client.get(url).get_data()
    finished_attempt(make_user(), ranked_round, 4)
    frozen_clock(T0 + timedelta(hours=1, seconds=app.config["STANDINGS_REFRESH_SECONDS"]))
    assert client.get(url).get_data() != before


def test_the_unit_leaderboard_follows_new_standings(ranked_round, client, make_user, make_unit, finished_attempt,
                                                    frozen_clock, app):
    url = f"/contests/{ranked_round.contest.slug}/units"
    client.get(url)
    finished_attempt(make_user(unit=make_unit(name="Tổ dân phố Mới Tham Gia")), ranked_round, 4)
    frozen_clock(T0 + timedelta(hours=1, seconds=app.config["STANDINGS_REFRESH_SECONDS"]))
    assert "Tổ dân phố Mới Tham Gia" in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("page", PAGES)
def test_an_unpublished_contest_is_hidden_at_once_despite_the_cache(ranked_round, client, page):
    url = page.format(slug=ranked_round.contest.slug)
    assert client.get(url).status_code == 200
    ranked_round.contest.is_published = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_a_signed_in_taker_sees_their_own_rank_not_the_cached_page(ranked_round, client, make_user, login,
                                                                   finished_attempt):
    url = f"/contests/{ranked_round.contest.slug}/rounds/1/standings"
    taker = make_user()
    finished_attempt(taker, ranked_round, 1)
    client.get(url)
    anonymous = client.get(url).get_data(as_text=True)
    login(taker.phone)
    page = client.get(url).get_data(as_text=True)
    assert "Hạng của bạn" in page and "Hạng của bạn" not in anonymous
