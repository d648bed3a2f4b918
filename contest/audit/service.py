"""Recording organiser actions. ``record`` only adds to the session: the calling use case commits it
together with the change it describes, so a rolled-back action leaves no entry and a committed one always has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.audit.models import AuditEntry
from contest.extensions import db

# Action codes and how the audit page names them.
ACTIONS: dict[str, str] = {
    "bank.import": "Nhập ngân hàng câu hỏi",
    "bank.export": "Xuất ngân hàng câu hỏi",
    "bank.create": "Tạo ngân hàng câu hỏi",
    "question.create": "Thêm câu hỏi",
    "question.edit": "Sửa câu hỏi",
    "question.retire": "Ngừng dùng câu hỏi",
    "question.restore": "Dùng lại câu hỏi",
    "units.import": "Nhập danh sách đơn vị",
    "unit.edit": "Sửa đơn vị",
    "contest.create": "Tạo cuộc thi",
    "contest.edit": "Sửa cuộc thi",
    "round.create": "Tạo đợt thi",
    "round.edit": "Sửa đợt thi",
    "round.close": "Kết thúc đợt thi",
    "round.close_now": "Đóng đợt thi ngay",
    "round.duplicate": "Nhân bản đợt thi",
    "contest.duplicate": "Nhân bản cuộc thi",
    "blueprint.edit": "Sửa cơ cấu đề",
    "roster.import": "Nhập danh sách cán bộ",
    "codes.export": "Xuất mã đăng nhập một lần",
    "results.publish": "Công bố kết quả",
    "results.correct": "Đính chính kết quả đã công bố",
    "attempt.disqualify": "Loại bài thi",
    "attempt.reinstate": "Khôi phục bài thi",
    "export": "Xuất dữ liệu",
    "user.create": "Tạo tài khoản",
    "user.lock": "Khóa tài khoản",
    "user.unlock": "Mở khóa tài khoản",
    "user.reset_password": "Đặt lại mật khẩu",
    "user.role": "Đổi vai trò",
    "user.delete": "Xóa dữ liệu cá nhân",
    "user.correct": "Sửa thông tin cá nhân",
    "user.correction_request": "Yêu cầu sửa thông tin cá nhân",
}


def record(action: str, *, target: Any = None, target_type: str | None = None, target_id: Any = None,
           summary: str = "", changes: Mapping[str, Any] | None = None, actor: Any = None) -> AuditEntry:
    """Add an audit entry for ``action`` to the session (the caller's commit stores it).

    ``target`` may be a model instance (its table name and id are used); ``changes`` maps a field to
    ``[before, after]`` or to any JSON-able detail. The actor defaults to the signed-in user, else "cli".
    """
    if target is not None:
        target_type = target_type or getattr(target, "__tablename__", type(target).__name__)
        target_id = target_id if target_id is not None else getattr(target, "id", None)
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_login=getattr(actor, "login", None) or ("web" if has_request_context() else "cli"),
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        summary=summary,
        changes=_jsonable(changes) if changes else None,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ, as ``{field: [before, after]}``."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page and its export filter on; empty fields filter nothing."""

    action: str = ""
    actor: str = ""  # part of the actor's login or name
    target: str = ""  # "contests" or "contests:3"
    start: datetime | None = None  # UTC, included
    end: datetime | None = None  # UTC, excluded

    @classmethod
    def from_mapping(cls, values: Mapping[str, str], start=None, end=None) -> AuditFilter:
        """Read the filter from request arguments (or export filters)."""
        return cls(action=(values.get("action") or "").strip(), actor=(values.get("actor") or "").strip(),
                   target=(values.get("target") or "").strip(), start=start, end=end)

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("action", self.action), ("actor", self.actor), ("target", self.target)) if v}


def audit_query(flt: AuditFilter):
    """Entries matching ``flt``, newest first (a select; the caller pages or streams it)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.actor:
        pattern = f"%{flt.actor.lower()}%"
        query = query.outerjoin(User, User.id == AuditEntry.actor_id).where(
            func.lower(AuditEntry.actor_login).like(pattern) | func.lower(User.full_name).like(pattern))
    if flt.target:
        kind, _, ident = flt.target.partition(":")
        query = query.where(AuditEntry.target_type == kind.strip())
        if ident.strip():
            query = query.where(AuditEntry.target_id == ident.strip())
    if flt.start is not None:
        query = query.where(AuditEntry.at >= flt.start)
    if flt.end is not None:
        query = query.where(AuditEntry.at < flt.end)
    return query
