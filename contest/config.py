"""Configuration defaults.

Order of precedence (later wins): these defaults, ``instance/config.py``, environment variables, and the
``test_config`` mapping given to :func:`contest.create_app`.
"""

from __future__ import annotations

import os

# Environment variables read at start-up, with the config key each one sets.
ENV_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "REDIS_URL": "REDIS_URL",
    "CCCD_HASH_KEY": "CCCD_HASH_KEY",
    "HOITHI_ENV": "HOITHI_ENV",
    "MIN_AGE": "MIN_AGE",
    "SAVE_GRACE_SECONDS": "SAVE_GRACE_SECONDS",
    "STANDINGS_REFRESH_SECONDS": "STANDINGS_REFRESH_SECONDS",
    "IMPORT_MAX_ROWS": "IMPORT_MAX_ROWS",
    "IMPORT_MAX_CELLS": "IMPORT_MAX_CELLS",
    "IMPORT_MAX_INFLATED_BYTES": "IMPORT_MAX_INFLATED_BYTES",
    "IMPORT_MAX_YAML_ALIASES": "IMPORT_MAX_YAML_ALIASES",
    "IMPORT_MAX_NESTING": "IMPORT_MAX_NESTING",
    "ROSTER_MAX_ROWS": "ROSTER_MAX_ROWS",
    "PROXY_FIX_HOPS": "PROXY_FIX_HOPS",
    "PUBLIC_BASE_URL": "PUBLIC_BASE_URL",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "LOGIN_RATE_LIMIT": "LOGIN_RATE_LIMIT",
    "LOGIN_ACCOUNT_RATE_LIMIT": "LOGIN_ACCOUNT_RATE_LIMIT",
    "REGISTER_RATE_LIMIT": "REGISTER_RATE_LIMIT",
    "SECURE_COOKIES": "SECURE_COOKIES",
    "SQLITE_BUSY_TIMEOUT_MS": "SQLITE_BUSY_TIMEOUT_MS",
    "DATABASE_RETRY_AFTER_SECONDS": "DATABASE_RETRY_AFTER_SECONDS",
    "JOBS_RUN": "JOBS_RUN",
    "JOBS_FOLDER": "JOBS_FOLDER",
}

BOOL_KEYS = {"SECURE_COOKIES"}

INT_KEYS = {"MIN_AGE", "SAVE_GRACE_SECONDS", "STANDINGS_REFRESH_SECONDS", "IMPORT_MAX_ROWS", "IMPORT_MAX_CELLS",
            "IMPORT_MAX_INFLATED_BYTES", "IMPORT_MAX_YAML_ALIASES", "IMPORT_MAX_NESTING", "ROSTER_MAX_ROWS",
            "PROXY_FIX_HOPS", "SQLITE_BUSY_TIMEOUT_MS", "DATABASE_RETRY_AFTER_SECONDS"}


# The placeholder of instance/config.example.py and other secrets nobody may run a server with.
PLACEHOLDER_SECRETS = ("change-me", "changeme", "secret", "dev", "test")
MIN_SECRET_LENGTH = 32


class Defaults:
    """Defaults safe for production: nothing here is secret, and a missing secret stops the start-up."""

    # "production" (the default), "development" or "testing". Only development may run without a secret.
    HOITHI_ENV = "production"
    SECRET_KEY: str | None = None
    # Key for the keyed hash of CCCD numbers; falls back to a key derived from SECRET_KEY.
    CCCD_HASH_KEY: str | None = None

    SQLALCHEMY_DATABASE_URI: str | None = None  # set in create_app to instance/hoithi.sqlite3
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # How long a SQLite connection waits for another writer's lock before the request answers 503.
    SQLITE_BUSY_TIMEOUT_MS = 10_000
    # The Retry-After of a 503 while the database is unavailable, locked or full.
    DATABASE_RETRY_AFTER_SECONDS = 10

    REDIS_URL: str | None = None
    # Background jobs (contest/jobs): "auto" runs them on RQ when REDIS_URL is set, else in a thread of the
    # app process; "rq", "thread" or "inline" force one. Their files go to JOBS_FOLDER (instance/jobs when
    # empty), which several app machines must share.
    JOBS_RUN = "auto"
    JOBS_FOLDER: str | None = None
    JOBS_TIMEOUT_SECONDS = 1800
    # A bank file with more questions than this is imported by a background job (the console's confirm
    # returns at once and shows the job's progress); smaller files are imported inside the request.
    BANK_IMPORT_JOB_QUESTIONS = 2_000
    # A bank file of more bytes than this is checked by a background job (the upload returns at once; the
    # preview shows the job's stored report). Decided by size alone, without parsing: 2,000 questions take
    # ~90 KB in the most compact format measured (Word, ~27 B a question after ~36 KB of its own; Excel
    # ~85 B a question) and 1-1.3 MB in the text formats (CSV, GIFT, Aiken, YAML: 530-670 B a question).
    BANK_CHECK_JOB_BYTES = 90_000
    # Likewise a roster file with more new officials than this (each one's code is hashed, ~6 ms).
    ROSTER_IMPORT_JOB_PEOPLE = 200
    # And a units file of more rows than this.
    UNITS_IMPORT_JOB_ROWS = 5_000
    # How many reverse proxies (nginx) stand in front of the app and set X-Forwarded-For/-Proto/-Host: the
    # client's address is then read from them (rate limits, audit log). 0 = the app faces the clients.
    PROXY_FIX_HOPS = 0
    # The site's public address (scheme and host, e.g. https://thi.phuong.gov.vn) that share links, QR codes
    # and preview tags are built on; unset, they follow the request's host (behind PROXY_FIX_HOPS proxies, the
    # X-Forwarded-Host they send). Set it in production: a printed QR code must not depend on a header.
    PUBLIC_BASE_URL: str | None = None
    # Rate-limit counters: REDIS_URL (shared by every worker and server) unless set here; without Redis each
    # worker counts alone, so N workers let N times the limit through.
    RATELIMIT_STORAGE_URI: str | None = None
    # Redis down: count in memory for a while rather than fail the sign-in page.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    # Per address (a ward hall shares one, so it is generous) and per account (guessing one password).
    LOGIN_RATE_LIMIT = "30 per minute;300 per hour"
    LOGIN_ACCOUNT_RATE_LIMIT = "10 per 5 minutes"
    REGISTER_RATE_LIMIT = "5 per minute;30 per hour"
    # Per person, not per IP: a ward hall puts many takers behind one address.
    START_RATE_LIMIT = "10 per minute"

    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session: attempts last up to hours
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Served over HTTPS (nginx with a certificate): the session and remember-me cookies are sent only over
    # HTTPS. Pages served over HTTPS also get Strict-Transport-Security.
    SECURE_COOKIES = False
    # How long a worker trusts its cached session version of an account on the autosave endpoints (a lock
    # or password change made in another worker reaches them within this delay; pages see it at once).
    SESSION_CHECK_SECONDS = 10
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # bank and roster files
    # Caps on every imported file (banks in all formats, units, rosters), checked before a reader allocates:
    # data rows (or questions), cells of one sheet (rows × columns, empty ones included), bytes a zip (xlsx,
    # docx) inflates to, aliases in a YAML file and lists or mappings nested inside each other.
    IMPORT_MAX_ROWS = 20_000
    IMPORT_MAX_CELLS = 1_000_000
    IMPORT_MAX_INFLATED_BYTES = 100 * 1024 * 1024
    IMPORT_MAX_YAML_ALIASES = 25
    IMPORT_MAX_NESTING = 50
    # Each new official's one-time code is hashed (about 15 ms), so a roster file is capped lower.
    ROSTER_MAX_ROWS = 1_000

    TIMEZONE = "Asia/Ho_Chi_Minh"
    MIN_AGE = 18
    SAVE_GRACE_SECONDS = 5
    # How old the stored standings of an open round may get before a page recomputes them.
    STANDINGS_REFRESH_SECONDS = 60


def from_environment(environ: os._Environ | dict) -> dict:
    """Return the config values set by environment variables, converted to their types."""
    values: dict = {}
    for env_name, key in ENV_KEYS.items():
        raw = environ.get(env_name)
        if raw is None or raw == "":
            continue
        if key in INT_KEYS:
            values[key] = int(raw)
        elif key in BOOL_KEYS:
            values[key] = raw.strip().lower() in ("1", "true", "yes", "on")
        else:
            values[key] = raw
    return values


def normalise_database_url(url: str) -> str:
    """Make a ``postgres://`` or ``postgresql://`` URL use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
