"""HTTP security headers sent with every response (pages, JSON, files, errors), and the cheap checks of the
autosave endpoints (the hot path: one save every few seconds from every taker).

The hot path's fixed cost per request is kept small on purpose (issue #14 measures it):
- its CSRF check compares the header's token with the session's own, verifying the token's signature with a
  serializer made once per app (Flask-WTF's check builds one per request and parses the body as a form first);
- the rate limiter's per-request bookkeeping is skipped for it (it has no limit: it is the exempt route);
- the headers below are added in one pass over the response's headers.

Without Redis the limits are counted in memory (:class:`SweptMemoryStorage`), swept of old entries inline and
seldom rather than by a timer thread every 10 ms.
"""

from __future__ import annotations

import hmac
import logging
import math
import time
from functools import lru_cache

from flask import current_app, request, session
from flask_wtf.csrf import CSRFError
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import RateLimiter

from contest.extensions import limiter

# Scripts and styles only from our own files: no inline <script>, no on*= handlers, no style= attributes.
# JSON data islands (<script type="application/json">) are not scripts and need nothing.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000"
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_SECURITY_HEADER_NAMES = tuple((name.lower(), name, value) for name, value in SECURITY_HEADERS)

# The autosave endpoints: JSON only, written by the attempt page's script with the X-CSRFToken header.
HOT_JSON_ENDPOINTS = frozenset({"attempts.api_save_answer", "attempts.api_save_prediction"})
# Where the limiter's per-request hook is skipped: the autosave endpoints carry no limit, and the start counts its
# own (hit_limit). For both, the hook would only look for the app's default limits, and HoiThi sets
# none (tests/unit/test_rate_limit_storage.py keeps it so).
LIMITER_HOOK_SKIPPED = HOT_JSON_ENDPOINTS | {"attempts.start"}


def add_security_headers(response):
    """Add the headers, leaving any a view set on purpose."""
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}
    headers.extend([(name, value) for lowered, name, value in _SECURITY_HEADER_NAMES if lowered not in present])
    if request.is_secure and "strict-transport-security" not in present:
        headers["Strict-Transport-Security"] = HSTS
    return response


def _csrf_serializer() -> URLSafeTimedSerializer:
    """Flask-WTF's token serializer (same secret and salt), made once per app and secret."""
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    cached = current_app.extensions.get("hoithi_csrf_serializer")
    if cached is None or cached[0] != secret:
        cached = (secret, URLSafeTimedSerializer(secret, salt="wtf-csrf-token"))
        current_app.extensions["hoithi_csrf_serializer"] = cached
    return cached[1]


def check_json_csrf() -> None:
    """The CSRF check of the autosave endpoints: the token of the X-CSRFToken (or X-CSRF-Token) header must be
    one this app signed and the session's own; otherwise the same refusal as any other CSRF failure (a 400 the
    page recovers from by fetching a fresh token). A cross-site page can neither read the token nor send the
    header without a CORS preflight, which HoiThi never grants."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    header = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    expected = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if not header or not expected:
        raise CSRFError("The CSRF token is missing.")
    try:
        token = _csrf_serializer().loads(header, max_age=current_app.config.get("WTF_CSRF_TIME_LIMIT"))
    except BadData as exc:
        raise CSRFError("The CSRF token is invalid.") from exc
    if not isinstance(token, str) or not hmac.compare_digest(expected, token):
        raise CSRFError("The CSRF tokens do not match.")


def skip_limiter_on_hot_path(app, limiter) -> None:
    """Run the rate limiter's per-request check everywhere but on the autosave endpoints and the start
    (LIMITER_HOOK_SKIPPED: the check would only resolve that they carry no limit of Flask-Limiter's, at a cost
    measured by `make bench`). Call after ``limiter.init_app``; the decorated limits of other routes are checked by
    their own decorators as before."""
    hooks = app.before_request_funcs.setdefault(None, [])
    for index, hook in enumerate(hooks):
        if getattr(hook, "__self__", None) is limiter:
            def check_limits(hook=hook):
                if request.endpoint not in LIMITER_HOOK_SKIPPED:
                    return hook()
                return None

            check_limits.__wrapped__ = hook
            hooks[index] = check_limits
            return
    # Not found: the limiter is disabled (RATELIMIT_ENABLED = False) and checks nothing anywhere.


class SweptMemoryStorage(MemoryStorage):
    """The limits library's in-memory counters (``hoithi-memory://``, each worker counting alone when there is
    no Redis), with old entries swept at most every ``SWEEP_SECONDS`` by the request that finds the sweep due.

    The stock storage starts a timer thread 10 ms after any hit, which walks every key: in a start stampede
    (thousands of residents, each their own key) that thread took a fifth of a start (`make bench`, starts).
    The sweep only frees memory: a count is right without it, since a fixed window's counter is dropped when read
    after its expiry and a moving window only counts the entries inside it. Between sweeps a key holds at most
    its limit's entries."""

    STORAGE_SCHEME = ["hoithi-memory"]
    SWEEP_SECONDS = 30.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = time.monotonic() + self.SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # the stock storage's (name-mangled) hook on every hit
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()
            for key in [key for key, events in self.events.items() if not events]:  # the stock sweep keeps them
                self.events.pop(key, None)


log = logging.getLogger(__name__)
OUTAGE_PAUSE_SECONDS = 10.0


@lru_cache(maxsize=16)
def _limit_items(limit: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(limit))


def hit_limit(limit: str, scope: str, key: str) -> int | None:
    """Count one hit of ``key`` against ``limit`` (e.g. "10 per minute") in the rate limiter's own storage and
    strategy (Redis when REDIS_URL is set, so every server counts together). None while within the limit, else
    the seconds until a hit is allowed again.

    For the start, the stampede's route: Flask-Limiter's decorator resolves the route's limits, their scopes and
    its response headers on every request, which cost a start several times the count itself (`make bench`,
    starts). While the shared storage is unreachable each process counts alone, as Flask-Limiter's in-memory
    fallback does; the outage is logged once and the storage tried again after OUTAGE_PAUSE_SECONDS."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    state = current_app.extensions.setdefault("hoithi_own_limits", {"local": None, "paused_until": 0.0})
    paused = state["paused_until"]
    strategy: RateLimiter = limiter.limiter
    if paused and time.monotonic() < paused:
        strategy = _local_strategy(state, strategy)
    try:
        wait = _hit(strategy, _limit_items(limit), scope, key)
    except Exception:  # the storage's client raises its own errors (redis-py's): any of them is an outage
        if strategy is state["local"]:
            raise
        if not paused:
            log.warning("Rate-limit storage unreachable: each worker counts %s alone until it answers", scope)
        state["paused_until"] = time.monotonic() + OUTAGE_PAUSE_SECONDS
        return _hit(_local_strategy(state, strategy), _limit_items(limit), scope, key)
    if paused and strategy is not state["local"]:
        state["paused_until"] = 0.0
        log.info("Rate-limit storage answers again: %s is counted in it", scope)
    return wait


def _local_strategy(state: dict, shared: RateLimiter) -> RateLimiter:
    if state["local"] is None:
        state["local"] = type(shared)(SweptMemoryStorage())
    return state["local"]


def _hit(strategy: RateLimiter, items: tuple[RateLimitItem, ...], scope: str, key: str) -> int | None:
    for item in items:
        if not strategy.hit(item, scope, key):
            reset = strategy.get_window_stats(item, scope, key).reset_time
            return max(1, math.ceil(reset - time.time()))
    return None
