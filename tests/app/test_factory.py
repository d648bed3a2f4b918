"""The app factory, configuration, schema and error pages."""

import pytest
import sqlalchemy as sa

from contest import ConfigurationError, create_app
from contest.extensions import db


def test_production_without_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HOITHI_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"HOITHI_ENV": "production", "SECRET_KEY": None})


def test_environment_overrides_instance_config(monkeypatch, tmp_path):
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-file'\nMIN_AGE = 16\n")
    monkeypatch.setenv("HOITHI_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.delenv("MIN_AGE", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["MIN_AGE"] == 16


def test_postgres_url_uses_psycopg_driver(monkeypatch, tmp_path):
    monkeypatch.setenv("HOITHI_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "postgres://u:p@localhost/hoithi"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_migrations_build_every_table_on_an_empty_database(app):
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"units", "users", "consents", "contest_identities", "banks", "topics", "questions", "contests",
            "rounds", "blueprint_items", "alembic_version"} <= tables


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_json_request_gets_a_json_error(client):
    response = client.get("/api/khong-co", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.is_json and response.get_json()["ok"] is False


def test_unexpected_error_is_a_calm_500_page_without_trace(make_app):
    app = make_app()

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Lỗi hệ thống" in body and "secret internals" not in body and "Traceback" not in body


def test_post_without_csrf_token_is_refused_in_vietnamese(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/login", data={"login": "0912345678", "password": "x"})
    assert response.status_code == 400
    assert "Vui lòng tải lại trang" in response.get_data(as_text=True)


def test_every_form_page_carries_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for path in ("/login", "/register"):
        assert 'name="csrf_token"' in client.get(path).get_data(as_text=True), path


def test_health_check_answers(client):
    assert client.get("/healthz").get_json() == {"ok": True}
