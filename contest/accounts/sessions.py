"""Sessions that end: every session and remember-me cookie carries the account's session version, and
raising the version (a password change or reset, a lock, an erasure, signing out) ends all of them at once.

Normal pages check the version where Flask-Login already loads the user. The autosave endpoints never load
the user (their hot path is one statement), so they compare the session's version with a small per-process
cache of each account's version: a change made in this process clears its entry at once, and an entry is
trusted for at most ``SESSION_CHECK_SECONDS`` (the delay before another worker sees a change).
"""

from __future__ import annotations

import time

from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user
from sqlalchemy import select

from contest.accounts.models import User
from contest.accounts.rules import parse_session_id
from contest.extensions import db

_CACHE_LIMIT = 50_000


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per app and secret instead of
    twice per request (opening and saving): the autosave path opens a session on every save."""

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = app.extensions.get("hoithi_session_serializer")
        if cached is None or cached[0] != key:
            cached = (key, super().get_signing_serializer(app))
            app.extensions["hoithi_session_serializer"] = cached
        return cached[1]


def _versions() -> dict[int, tuple[int | None, float]]:
    """The app's cache: user id -> (session version, or None for a locked or missing account; monotonic time
    it was read). Kept per app, not per module, so that two apps in one process (tests) never share it."""
    return current_app.extensions.setdefault("hoithi_session_versions", {})


def load_user(raw: str) -> User | None:
    """Flask-Login's user loader: the account, if the session's version is still its own and it is not locked."""
    parsed = parse_session_id(raw)
    if parsed is None:
        return None
    user = db.session.get(User, parsed[0])
    if user is None:
        return None
    ended = user.is_locked or user.anonymised_at is not None
    _remember(user.id, None if ended else user.session_version)
    return user if session_holds(parsed[1], user.session_version, ended=ended) else None


def session_holds(version: int, account_version: int | None, *, ended: bool) -> bool:
    """The rule of a live session, wherever an account is checked (the user loader, the start route, which reads
    the account in its own statement): the account is not locked or erased (``ended``) and a session or
    remember-me cookie of ``version`` is of its current session version."""
    return not ended and account_version == version


def end_sessions(user: User) -> None:
    """Raise the account's session version so that every session and remember-me cookie of it ends; the
    caller's use case commits."""
    user.session_version = (user.session_version or 1) + 1
    _versions().pop(user.id, None)


def keep_signed_in(user: User) -> None:
    """After one's own password change, keep this session (and its remember-me cookie, if it had one) on the
    new version while every other one ends."""
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=bool(request.cookies.get(cookie)))


def live_session_user_id() -> int | None:
    """The signed-in person's id for the autosave endpoints, or None if the session has ended (its version is
    no longer the account's, or the account is locked), without loading the user when the cache knows."""
    raw = session.get("_user_id")
    if raw is None:
        # No session yet: the remember-me cookie is checked by the user loader.
        return int(current_user.id) if current_user.is_authenticated else None
    parsed = parse_session_id(raw)
    if parsed is None:
        return None
    user_id, version = parsed
    return user_id if _live_version(user_id) == version else None


def _live_version(user_id: int) -> int | None:
    cached = _versions().get(user_id)
    now = time.monotonic()
    if cached is not None and now - cached[1] < float(current_app.config["SESSION_CHECK_SECONDS"]):
        return cached[0]
    with db.engine.connect() as connection:  # as the save itself: no unit of work on the hot path
        row = connection.execute(select(User.session_version, User.is_locked).where(User.id == user_id)).first()
    version = row.session_version if row is not None and not row.is_locked else None
    _remember(user_id, version, now)
    return version


def _remember(user_id: int, version: int | None, now: float | None = None) -> None:
    versions = _versions()
    if len(versions) >= _CACHE_LIMIT:
        versions.clear()
    versions[user_id] = (version, time.monotonic() if now is None else now)
