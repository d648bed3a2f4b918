"""Turn every error into a Vietnamese page, or a JSON body for JSON requests; never a stack trace."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError

from contest.errors.outage import DATABASE
from contest.extensions import db, login_manager

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Yêu cầu gửi lên không hợp lệ. Vui lòng thử lại."),
    401: ("Cần đăng nhập", "Vui lòng đăng nhập để tiếp tục."),
    403: ("Không có quyền truy cập", "Tài khoản của bạn không có quyền xem trang này."),
    404: ("Không tìm thấy trang", "Trang bạn tìm không tồn tại hoặc đã được chuyển đi."),
    405: ("Thao tác không được hỗ trợ", "Trang này không hỗ trợ thao tác vừa thực hiện."),
    408: ("Hết thời gian chờ", "Yêu cầu gửi lên quá chậm nên đã bị dừng. Vui lòng thử lại."),
    413: ("Tệp quá lớn", "Tệp tải lên vượt quá dung lượng cho phép."),
    414: ("Địa chỉ quá dài", "Địa chỉ trang quá dài. Vui lòng quay lại trang trước rồi thử lại."),
    415: ("Định dạng không được hỗ trợ", "Dữ liệu gửi lên không đúng định dạng."),
    431: ("Yêu cầu quá lớn", "Yêu cầu gửi lên quá lớn. Vui lòng xóa cookie của trang rồi thử lại."),
    422: ("Dữ liệu chưa hợp lệ", "Dữ liệu gửi lên chưa hợp lệ."),
    429: ("Quá nhiều yêu cầu", "Bạn thao tác quá nhanh. Vui lòng chờ một lát rồi thử lại."),
    500: ("Lỗi hệ thống", "Hệ thống gặp sự cố. Ban tổ chức đã được ghi nhận; vui lòng thử lại sau ít phút."),
    502: ("Hệ thống đang bận", "Hệ thống tạm thời không phản hồi. Vui lòng thử lại sau ít phút."),
    503: ("Hệ thống đang bận", "Hệ thống đang bận. Vui lòng thử lại sau ít phút."),
    504: ("Hệ thống phản hồi quá chậm", "Yêu cầu mất quá nhiều thời gian. Vui lòng thử lại sau ít phút."),
}
# Machine-readable reasons in JSON errors: a page (the attempt page's autosave) keeps an answer queued for a
# refusal that can pass (a session or CSRF token to renew, a limit, a server restarting) and says what to do.
CODES = {400: "bad_request", 401: "login", 403: "forbidden", 404: "not_found", 413: "too_large",
         422: "invalid", 429: "rate_limited", 500: "server_error", 503: "unavailable"}
# The database is unavailable: the page's words, and the JSON's (the attempt page shows it before
# "Đang chờ lưu N câu trả lời…" and keeps retrying).
DB_UNAVAILABLE_MESSAGE = ("Hệ thống tạm thời không truy cập được dữ liệu (máy chủ cơ sở dữ liệu đang gián đoạn). "
                          "Vui lòng thử lại sau ít phút.")
DB_UNAVAILABLE_JSON_MESSAGE = ("Máy chủ tạm thời chưa lưu được vì cơ sở dữ liệu đang gián đoạn; câu trả lời được "
                               "giữ trên máy và sẽ tự gửi lại.")
CSRF_MESSAGE = ("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang rồi thử lại.")


def wants_json() -> bool:
    """JSON routes live under /api/ or ask for JSON explicitly."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, message: str | None = None, code: str | None = None):
    """Render the error as JSON (with a machine-readable ``code``) or as a page, with the Vietnamese title
    and message for ``status``."""
    title, default = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    text = message or default
    if wants_json():
        code = code or CODES.get(status, "server_error" if status >= 500 else "bad_request")
        return {"ok": False, "error": text, "status": status, "code": code}, status
    return render_template("errors/error.html", status=status, title=title, message=text), status


# The database is down, full, read-only or held by another writer: the request may well pass in a moment.
# PostgreSQL SQLSTATEs: connection exceptions (class 08), the server shutting down or starting (57P01-57P03),
# no room (53100 disk full, 53200 out of memory, 53300 too many connections), a read-only standby (25006).
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53100", "53200", "53300", "25006")
UNAVAILABLE_MESSAGES = (
    "database is locked", "database table is locked", "disk i/o error", "database or disk is full",
    "readonly database", "unable to open database file",  # SQLite
    "connection refused", "server closed the connection", "could not connect", "connection is closed",
    "connection already closed", "terminating connection", "the connection is lost", "no connection to the server",
    "ssl connection has been closed", "connection timeout expired", "the database system is",
    "not currently accepting connections", "too many clients", "remaining connection slots",  # PostgreSQL
    # PostgreSQL on a Unix socket that is gone while it restarts (psycopg: "connection is bad: connection to
    # server on socket ... failed: No such file or directory"); found by the cluster test (tests/cluster).
    "connection is bad", "connection failed",
)


def database_unavailable(error: BaseException) -> bool:
    """True when ``error`` says the database cannot answer for now (down, full, locked, read-only), rather
    than that the request itself is wrong."""
    if isinstance(error, PoolTimeoutError):
        return True  # every pooled connection busy past the pool's timeout
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None) or ""
    if sqlstate and sqlstate.startswith(UNAVAILABLE_SQLSTATES):
        return True
    if type(original).__name__ == "InterfaceError":
        return True  # the driver lost its connection
    text = str(original).lower()
    return any(fragment in text for fragment in UNAVAILABLE_MESSAGES)


@bp.app_errorhandler(DBAPIError)
@bp.app_errorhandler(PoolTimeoutError)
def database_error(error: Exception):
    """The database is unavailable: answer 503 with Retry-After, log once per outage; anything else is a
    plain unexpected error."""
    if not database_unavailable(error):
        return internal_error(error)
    return database_unavailable_response(error)


def database_unavailable_response(error: Exception):
    """Roll back, drop dead connections, log the outage's first failure only, and say when to come back."""
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone: closing the session is enough then
        db.session.close()
    if getattr(error, "connection_invalidated", False):
        # The server went away: start the next request on fresh connections rather than stale ones.
        db.engine.dispose()
    if DATABASE.failed():
        log.warning("Database unavailable (%s on %s %s): answering 503 until it returns",
                    " ".join(str(getattr(error, "orig", None) or error).split())[:300], request.method,
                    request.path)
    response = _unavailable_body()
    response.headers["Retry-After"] = str(int(current_app.config["DATABASE_RETRY_AFTER_SECONDS"]))
    return response


def _unavailable_body():
    """The 503 as JSON for JSON routes, else the error page (a bare Vietnamese page if even that fails)."""
    if wants_json():
        return current_app.make_response(({"ok": False, "error": DB_UNAVAILABLE_JSON_MESSAGE, "status": 503,
                                           "code": "db_unavailable"}, 503))
    title = MESSAGES[503][0]
    try:
        # Nothing on the page may ask the database again (the rollback expired the signed-in account): the
        # layout is drawn as for a visitor.
        body = render_template("errors/error.html", status=503, title=title, message=DB_UNAVAILABLE_MESSAGE,
                               current_user=login_manager.anonymous_user())
    except Exception:  # the layout itself failed: still answer in Vietnamese
        log.debug("Error page failed to render during a database outage", exc_info=True)
        body = (f"<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>{title}</title>"
                f"<h1>{title}</h1><p>{DB_UNAVAILABLE_MESSAGE}</p></html>")
    return current_app.make_response((body, 503))


@bp.after_app_request
def note_recovery(response):
    """The first request answered without a server error after an outage ends it, with one INFO line."""
    if DATABASE.active and response.status_code < 500 and request.endpoint != "static":
        failures = DATABASE.succeeded()
        if failures:
            log.info("Database available again (%d request(s) answered 503 during the outage)", failures)
    return response


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    """A missing or stale CSRF token."""
    return error_response(400, CSRF_MESSAGE, "csrf")


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Any HTTP error raised by a view or by Flask."""
    if isinstance(error, InternalServerError):
        return internal_error(error)
    status = error.code or 500
    message = None
    if status == 429:
        message = MESSAGES[429][1]
    return error_response(status, message)


@bp.app_errorhandler(Exception)
def internal_error(error: Exception):
    """Anything unexpected: roll back, log the trace for the operators, show a calm page."""
    original = getattr(error, "original_exception", None) or error
    if database_unavailable(original):
        return database_unavailable_response(original)
    db.session.rollback()
    log.error("Unhandled error on %s %s", request.method, request.path, exc_info=original)
    return error_response(500)
