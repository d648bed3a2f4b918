"""With REDIS_URL, the public results pages' cache is shared by the app servers: a page one server built is the
page another serves. Redis down, every server keeps its own copies and the pages still answer. A real
redis-server on a free loopback port."""

from __future__ import annotations

import logging

import pytest

from tests.jobs.test_jobs_on_redis import free_port, redis_url  # noqa: F401
from tests.jobs.test_jobs_on_redis import pytestmark as redis_marks
from tests.ranking.test_public_page_cache import PAGES, ranked_round  # noqa: F401

pytestmark = redis_marks


def page_from(app, url: str) -> bytes:
    """The page as an anonymous visitor of ``app`` gets it, once the standings it shows are stored."""
    client = app.test_client()
    client.get(url)  # computes the round's standings (a page built while they are stale is not kept)
    return client.get(url).get_data()


@pytest.mark.parametrize("page", PAGES)
def test_a_page_built_by_one_server_is_served_by_another(ranked_round, make_app, redis_url, page):  # noqa: F811
    url = page.format(slug=ranked_round.contest.slug)
    first = page_from(make_app(REDIS_URL=redis_url), url)
    second = page_from(make_app(REDIS_URL=redis_url), url)
    assert second == first  # the same render: its CSRF token (one per render) included


def test_without_redis_each_server_renders_its_own_copy(ranked_round, make_app):  # noqa: F811
    url = PAGES[0].format(slug=ranked_round.contest.slug)
    assert page_from(make_app(), url) != page_from(make_app(), url)


def test_with_redis_down_the_page_still_answers_and_the_outage_is_logged_once(ranked_round, make_app,  # noqa: F811
                                                                            caplog):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there
    url = PAGES[0].format(slug=ranked_round.contest.slug)
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="contest.ranking.page_cache"):
        answers = [client.get(url) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len([r for r in caplog.records if "Redis unavailable" in r.getMessage()]) == 1
