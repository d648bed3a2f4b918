"""HoiThi: the contest and knowledge-survey platform for administrative reform (CCHC) in Vietnamese wards."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask

from contest.config import Defaults, from_environment, normalise_database_url

ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration."""


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, commands and error handlers."""
    instance_path = os.environ.get("HOITHI_INSTANCE_PATH", str(ROOT / "instance"))
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    load_config(app, test_config)
    register_input_rules(app)
    register_proxy(app)
    register_security_headers(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then the environment, then the test mapping."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment(os.environ))
    if test_config:
        app.config.update(test_config)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        make_private_folder(Path(app.instance_path))
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'hoithi.sqlite3'}"
    uri = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("postgresql"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("pool_pre_ping", True)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    check_secret_key(app)
    check_public_base_url(app)
    if app.config.get("SECURE_COOKIES"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if not app.config.get("SECRET_KEY"):
        if app.config["HOITHI_ENV"] == "production":
            raise ConfigurationError(
                "SECRET_KEY chưa được đặt. Đặt biến môi trường SECRET_KEY hoặc ghi SECRET_KEY vào "
                f"{Path(app.instance_path) / 'config.py'} (lệnh `make run` tự tạo khi chạy lần đầu).")
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        logging.getLogger(__name__).warning("SECRET_KEY not set: using a throw-away key (development only)")

    # Without Redis: each worker's own counters, swept without a timer thread (contest.security).
    storage = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "hoithi-memory://"
    app.config["RATELIMIT_STORAGE_URI"] = storage

    from contest.sheets import FileLimits, set_limits

    set_limits(FileLimits(max_rows=int(app.config["IMPORT_MAX_ROWS"]), max_cells=int(app.config["IMPORT_MAX_CELLS"]),
                          max_inflated_bytes=int(app.config["IMPORT_MAX_INFLATED_BYTES"]),
                          max_yaml_aliases=int(app.config["IMPORT_MAX_YAML_ALIASES"]),
                          max_nesting=int(app.config["IMPORT_MAX_NESTING"])))


def check_secret_key(app: Flask) -> None:
    """In production, refuse a placeholder or short SECRET_KEY: anyone who knows it can sign an organiser's
    session cookie."""
    from contest.config import MIN_SECRET_LENGTH, PLACEHOLDER_SECRETS

    key = app.config.get("SECRET_KEY")
    if not key or app.config["HOITHI_ENV"] != "production":
        return
    lowered = str(key).strip().lower()
    if len(lowered) < MIN_SECRET_LENGTH or lowered in PLACEHOLDER_SECRETS or lowered.startswith(("change-me",
                                                                                                 "changeme")):
        raise ConfigurationError(
            f"SECRET_KEY đang là giá trị mẫu hoặc quá ngắn (cần ít nhất {MIN_SECRET_LENGTH} ký tự ngẫu nhiên). Tạo "
            "khóa mới: python -c 'import secrets; print(secrets.token_hex(32))' rồi đặt vào biến môi trường "
            f"SECRET_KEY hoặc {Path(app.instance_path) / 'config.py'}.")


def check_public_base_url(app: Flask) -> None:
    """Refuse a PUBLIC_BASE_URL that is not a scheme and a host: share links and QR codes are printed."""
    from contest.sharing.addresses import BaseURLError, normalise_base_url

    try:
        normalise_base_url(app.config.get("PUBLIC_BASE_URL"))
    except BaseURLError as exc:
        raise ConfigurationError(str(exc)) from exc


def make_private_folder(path: Path) -> None:
    """Create the instance folder readable by its owner only (it holds the config with the secrets and the
    SQLite database)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def make_private_sqlite_file(uri: str) -> None:
    """Create a SQLite database file readable by its owner only before SQLite creates it world-readable; its
    -wal and -shm files take the same permissions from it."""
    prefix = "sqlite:///"
    if not uri.startswith(prefix) or uri == prefix or ":memory:" in uri or uri.startswith("sqlite:///file:"):
        return
    path = Path(uri[len(prefix):].split("?", 1)[0])
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def register_security_headers(app: Flask) -> None:
    """Security headers on every response: a CSP with no inline script or style, no framing, no sniffing,
    a same-origin referrer, and HSTS on pages served over HTTPS."""
    from contest.security import add_security_headers

    app.after_request(add_security_headers)


def register_proxy(app: Flask) -> None:
    """Behind PROXY_FIX_HOPS trusted proxies, read the client's address, scheme and host from their headers
    (nginx: ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`` and X-Forwarded-Proto/-Host)."""
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_input_rules(app: Flask) -> None:
    """Bounded ids in URLs, bounded integer arguments, bounded JSON (before any route is added)."""
    from contest.inputs import (
        BoundedJSONProvider,
        DatabaseIntConverter,
        HoiThiRequest,
        refuse_nul_characters,
        use_vietnamese_form_messages,
    )

    app.url_map.converters["int"] = DatabaseIntConverter
    app.request_class = HoiThiRequest
    app.json = BoundedJSONProvider(app)
    use_vietnamese_form_messages()
    app.before_request(refuse_nul_characters)


def register_extensions(app: Flask) -> None:
    """Bind the extension singletons to the app."""
    from contest.database import configure_sqlite
    from contest.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    from contest.security import skip_limiter_on_hot_path  # also registers the hoithi-memory:// storage

    limiter.init_app(app)
    skip_limiter_on_hot_path(app, limiter)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        make_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
        with app.app_context():
            configure_sqlite(db.engine, int(app.config["SQLITE_BUSY_TIMEOUT_MS"]))

    from contest.accounts.sessions import SessionInterface, load_user

    app.session_interface = SessionInterface()

    # A locked account, or a session whose version is no longer the account's, is signed out.
    login_manager.user_loader(load_user)

    _import_models()


def _import_models() -> None:
    """Import every model so that the metadata (and Alembic) sees all tables."""
    from contest.accounts import models as _accounts  # noqa: F401
    from contest.attempts import models as _attempts  # noqa: F401
    from contest.audit import models as _audit  # noqa: F401
    from contest.banks import models as _banks  # noqa: F401
    from contest.contests import models as _contests  # noqa: F401
    from contest.jobs import models as _jobs  # noqa: F401
    from contest.ranking import models as _ranking  # noqa: F401
    from contest.surveys import models as _surveys  # noqa: F401
    from contest.units import models as _units  # noqa: F401


def register_blueprints(app: Flask) -> None:
    """Attach each area's blueprint."""
    from contest.accounts.routes import bp as accounts_bp
    from contest.admin import bp as admin_bp
    from contest.attempts.routes import bp as attempts_bp
    from contest.certificates.routes import bp as certificates_bp
    from contest.contests.routes import bp as contests_bp
    from contest.errors.handlers import bp as errors_bp
    from contest.main.routes import bp as main_bp
    from contest.ranking.routes import bp as ranking_bp
    from contest.sharing.routes import bp as sharing_bp
    from contest.surveys.routes import bp as surveys_bp

    for blueprint in (errors_bp, main_bp, accounts_bp, contests_bp, attempts_bp, ranking_bp, admin_bp, surveys_bp,
                      sharing_bp, certificates_bp):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    """Add the ``flask`` command groups."""
    from contest.accounts.cli import cli as users_cli
    from contest.accounts.roster_cli import cli as roster_cli
    from contest.attempts.cli import cli as attempts_cli
    from contest.backups.cli import cli as backup_cli
    from contest.banks.cli import cli as bank_cli
    from contest.demo.cli import cli as demo_cli
    from contest.errors.cli import explain_database_errors
    from contest.exports.cli import export_command
    from contest.jobs.cli import cli as jobs_cli
    from contest.ranking.cli import cli as rounds_cli
    from contest.units.cli import cli as units_cli

    for group in (users_cli, units_cli, bank_cli, demo_cli, attempts_cli, roster_cli, rounds_cli, export_command,
                  backup_cli, jobs_cli):
        app.cli.add_command(explain_database_errors(group))


def register_template_helpers(app: Flask) -> None:
    """Filters for Vietnamese dates and numbers, and the rules-text renderer."""
    from contest.main.filters import register

    register(app)
