"""Security headers on every response, pages with no inline script, handler or style for the CSP to block,
cookie flags for HTTPS, and no start-up with a placeholder secret or world-readable files."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from contest import ConfigurationError, create_app
from tests.conftest import PASSWORD, base_config

ROLES = ("anonymous", "resident", "official", "unit_manager", "organiser")
SKIPPED_ENDPOINTS = {"static"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def signed_in(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        with app.app_context():
            client.post("/login", data={"login": world[role].login, "password": PASSWORD})
    return client


def pages(app, world):
    """Every GET route, as every role, with id 1 behind each id (the world fixture makes them)."""
    for role in ROLES:
        client = signed_in(app, world, role)
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS or rule.endpoint == "accounts.logout":
                continue
            survey = rule.endpoint.startswith("admin.survey")  # the survey's round is the world's second
            values = {name: {"slug": "thi", "kind": "unit-stats", "fmt": "xlsx",
                             "round_id": 2 if survey else 1}.get(name, 1) for name in rule.arguments}
            path = rule.build(values, append_unknown=False)[1]
            with app.app_context():
                yield role, path, client.get(path)


def test_every_response_sends_the_security_headers(app, world):
    for role, path, response in pages(app, world):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), (role, path)
        assert "script-src 'self'" in headers["Content-Security-Policy"], (role, path)
        assert headers.get("X-Content-Type-Options") == "nosniff", (role, path)
        assert headers.get("Referrer-Policy") == "same-origin", (role, path)


def test_no_page_has_an_inline_script_handler_or_style(app, world):
    found = []
    for role, path, response in pages(app, world):
        if "html" not in (response.content_type or ""):
            continue
        body = response.get_data(as_text=True)
        for name, pattern in (("script", INLINE_SCRIPT), ("handler", HANDLER), ("style=", STYLE_ATTRIBUTE),
                              ("<style>", STYLE_ELEMENT)):
            match = pattern.search(body)
            if match:
                found.append(f"{role} {path}: {name} {match.group(0)[:80]}")
    assert not found, "\n".join(found)


def test_error_and_json_responses_send_the_headers_too(client):
    for response in (client.get("/khong-co-trang-nay"), client.get("/api/attempts/1/state")):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_proxy_https_is_read_from_the_forwarded_proto(make_app):
    app = make_app(PROXY_FIX_HOPS=1)
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


def remember_login(client, user):
    return client.post("/login", data={"login": user.phone, "password": PASSWORD, "remember": "y"})


def cookie_header(response, name):
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "="))


def test_the_remember_cookie_is_samesite_lax(client, make_user):
    assert "SameSite=Lax" in cookie_header(remember_login(client, make_user()), "remember_token")


def test_cookies_are_secure_when_configured_for_https(make_app, make_user):
    app = make_app(SECURE_COOKIES=True)
    user = make_user()
    response = remember_login(app.test_client(), user)
    assert "Secure" in cookie_header(response, "remember_token")
    assert "Secure" in cookie_header(response, "session")


def test_secure_cookies_are_read_from_the_environment(monkeypatch):
    from contest.config import from_environment

    assert from_environment({"SECURE_COOKIES": "1"}) == {"SECURE_COOKIES": True}


PLACEHOLDER = "change-me: a long random string, e.g. python -c 'import secrets; print(secrets.token_hex(32))'"


@pytest.mark.parametrize("secret", [PLACEHOLDER, "short-secret", "secret"])
def test_production_refuses_a_placeholder_or_short_secret_key(migrated, secret):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(base_config(HOITHI_ENV="production", SECRET_KEY=secret))


def test_production_starts_with_a_long_random_secret_key(migrated):
    assert create_app(base_config(HOITHI_ENV="production", SECRET_KEY="a3f" * 22)) is not None


def test_the_placeholder_in_the_example_config_is_refused(migrated):
    example = (Path(__file__).resolve().parents[2] / "instance" / "config.example.py").read_text()
    secret = re.search(r'^SECRET_KEY = "(.*)"$', example, re.M).group(1)
    with pytest.raises(ConfigurationError):
        create_app(base_config(HOITHI_ENV="production", SECRET_KEY=secret))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_instance_folder_and_its_database_are_readable_by_the_owner_only(tmp_path, monkeypatch):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from contest.extensions import db

    instance = tmp_path / "instance"
    monkeypatch.setenv("HOITHI_INSTANCE_PATH", str(instance))
    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=None))
    with app.app_context():
        upgrade()
        db.session.execute(text("SELECT 1"))
        assert mode(instance) == 0o700
        for name in ("hoithi.sqlite3", "hoithi.sqlite3-wal", "hoithi.sqlite3-shm"):
            assert mode(instance / name) == 0o600, name
        db.engine.dispose()
