"""The cache of the public results pages (anonymous visitors), keyed on the version of what they show, read from
the database: per process, and shared by every app server through Redis when REDIS_URL is set.
:func:`public_page` is the only place that reads or drops its entries.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from flask import current_app
from sqlalchemy import text

from contest import clock
from contest.database import UTCDateTime
from contest.extensions import db
from contest.ranking.refresh import due_at, stale_at

log = logging.getLogger(__name__)

# The public results pages' version, in one statement written once per dialect: the contest's public terms
# and ranking settings, the newest publication of its results, and each round's stored-results moments.
# Everything a cached page shows comes from these (within a round's refresh interval); what they do not
# cover (a person's consent to be named, a unit renamed) reaches the page when its entry expires.
_PAGE_VERSION_SQL = (
    "SELECT c.id AS contest_id, c.is_published, c.kind, c.audience, c.tie_break, c.overall_rule,"
    " c.prize_highest_only, c.collective_formula, {params} AS collective_params, c.unit_prizes_first,"
    " c.unit_prizes_second, c.unit_prizes_third, c.unit_prizes_consolation,"
    " (SELECT max(p.id) FROM result_publications p WHERE p.contest_id = c.id) AS publication,"
    " r.id AS round_id, r.number, r.results_refreshed_at, r.closed_at, r.closes_at"
    " FROM contests c JOIN rounds r ON r.contest_id = c.id WHERE c.slug = :slug ORDER BY r.number"
)
_PAGE_VERSION = {
    "sqlite": text(_PAGE_VERSION_SQL.format(params="c.collective_params")).columns(
        results_refreshed_at=UTCDateTime(), closed_at=UTCDateTime(), closes_at=UTCDateTime()),
    "postgresql": text(_PAGE_VERSION_SQL.format(params="CAST(c.collective_params AS TEXT)")).columns(
        results_refreshed_at=UTCDateTime(), closed_at=UTCDateTime(), closes_at=UTCDateTime()),
}


def public_page(slug: str, variant: tuple, numbers: list[int] | None, build: Callable[[], str]) -> str:
    """A public results page of the contest ``slug`` as rendered for anonymous visitors, reused while the
    results it shows are unchanged (at most STANDINGS_REFRESH_SECONDS).

    Polling viewers of a big round would otherwise keep the app's workers from the takers' autosaves. A hit
    costs one statement and no ORM work: the version of what the page shows (the contest's terms and
    settings, its publications, the moments the rounds' standings were stored, ``_PAGE_VERSION``) is read,
    and if none of the rounds the page shows (``numbers``; every round when None) is due for a refresh or
    a close, the page stored under that version is served. Otherwise ``build`` makes the page, refreshing
    what it must, as it always does. The key comes from the database, so that every app server keys the
    same standings alike. Entries live at most the refresh interval, in the process and, with REDIS_URL, in Redis
    too: a page one server built is served by the others (a process's own copy first, then Redis, then
    ``build``). Redis unavailable, each process keeps its own copies (:class:`SharedPages`).
    ``build`` is called for signed-in visitors (their own rank, their name in the menu) every time.
    This function is the only place that reads or drops the cache's entries.
    """
    from flask_login import current_user

    if current_user.is_authenticated:
        return build()
    rows = db.session.execute(_PAGE_VERSION[db.engine.dialect.name], {"slug": slug}).all()
    now = clock.now()
    shown = [r for r in rows if numbers is None or r.number in numbers]
    if not shown or not rows[0].is_published or rows[0].kind != "contest" or any(
            stale_at(r.results_refreshed_at, r.closed_at, now) or due_at(r.closed_at, r.closes_at, now)
            for r in shown):
        return build()  # a 404, or results to refresh first: never cached under a version read before
    first = rows[0]
    key = (slug, variant, tuple(first[:14]), tuple((r.round_id, r.number, r.results_refreshed_at, r.closed_at)
                                                   for r in shown))
    cache: dict = current_app.extensions.setdefault("hoithi_results_pages", {})
    moment = time.monotonic()
    lifetime = int(current_app.config["STANDINGS_REFRESH_SECONDS"])
    hit = cache.get(key)
    if hit is not None and moment - hit[0] < lifetime:
        return hit[1]
    shared = SharedPages.of_app()
    found = shared.get(key) if shared else None
    if found is not None:
        age, html = found
        stored_at = moment - age
    else:
        html, stored_at = build(), moment
        if shared:
            shared.put(key, html, lifetime)
    if len(cache) >= 512:
        cache.clear()
    cache[key] = (stored_at, html)
    return html


class SharedPages:
    """The pages' entries in Redis (REDIS_URL): each under a digest of its key, with the wall-clock moment it was
    built, expiring after the refresh interval. Every failure of Redis counts as a miss, and Redis is left alone
    for ``PAUSE_SECONDS`` after one (a page is never kept waiting on it twice in a row); the first failure of an
    outage is logged once, and so is the recovery."""

    PREFIX = "hoithi:page:"
    PAUSE_SECONDS = 10.0

    def __init__(self, url: str):
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25)
        self.down = False
        self.retry_at = 0.0

    @classmethod
    def of_app(cls) -> SharedPages | None:
        url = current_app.config.get("REDIS_URL")
        if not url:
            return None
        held = current_app.extensions.get("hoithi_shared_pages")
        if held is None or held[0] != url:
            held = (url, cls(url))
            current_app.extensions["hoithi_shared_pages"] = held
        return held[1]

    @classmethod
    def name(cls, key: tuple) -> str:
        return cls.PREFIX + hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, key: tuple) -> tuple[float, str] | None:
        """(seconds since it was built, the page), or None."""
        from redis.exceptions import RedisError

        if self.down and time.monotonic() < self.retry_at:
            return None
        try:
            value = self.redis.get(self.name(key))
        except RedisError as exc:
            self._failed(exc)
            return None
        self._answered()
        if value is None:
            return None
        built, _, html = value.partition(b"\n")
        return max(0.0, time.time() - float(built)), html.decode()

    def put(self, key: tuple, html: str, lifetime: int) -> None:
        from redis.exceptions import RedisError

        if self.down and time.monotonic() < self.retry_at:
            return
        try:
            self.redis.set(self.name(key), f"{time.time()!r}\n".encode() + html.encode(), ex=max(1, lifetime))
        except RedisError as exc:
            self._failed(exc)
            return
        self._answered()

    def _failed(self, exc: Exception) -> None:
        self.retry_at = time.monotonic() + self.PAUSE_SECONDS
        if not self.down:
            self.down = True
            log.warning("Redis unavailable for the public pages' shared cache (%s): each server keeps its own", exc)

    def _answered(self) -> None:
        if self.down:
            self.down = False
            log.info("Redis available again for the public pages' shared cache")
