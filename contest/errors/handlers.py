"""Turn every error into a Vietnamese page, or a JSON body for JSON requests; never a stack trace."""

from __future__ import annotations

import logging

from flask import Blueprint, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from contest.extensions import db

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
    db.session.rollback()
    original = getattr(error, "original_exception", None) or error
    log.error("Unhandled error on %s %s", request.method, request.path, exc_info=original)
    return error_response(500)
