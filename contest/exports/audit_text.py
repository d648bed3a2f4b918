"""The changes of an audit entry as readable Vietnamese text, for the audit export (pure: no Flask, no
database): "Ngày sinh: 01/01/1980 → 12/03/1968; Lý do: đã đối chiếu CCCD" instead of JSON.

An entry's ``changes`` map a field to ``[before, after]`` or to a detail (audit.service.record); values were
stored as JSON, so moments are ISO strings, which are shown in Vietnam time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

VN = timezone(timedelta(hours=7))  # Vietnam keeps UTC+7 all year
FIELDS = {
    "title": "Tên", "kind": "Loại", "audience": "Đối tượng", "summary": "Giới thiệu", "rules": "Thể lệ",
    "requires_cccd": "Yêu cầu CCCD", "is_published": "Công bố trên trang chủ", "opens_at": "Bắt đầu",
    "closes_at": "Kết thúc", "time_limit_minutes": "Thời gian làm bài (phút)",
    "attempts_allowed": "Số lần dự thi tối đa", "counting": "Lần được tính", "all_required": "Bắt buộc trả lời hết",
    "review_policy": "Xem đáp án", "prediction_kind": "Câu hỏi dự đoán", "prediction_prompt": "Nội dung câu dự đoán",
    "prediction_actual": "Giá trị đúng của câu dự đoán", "prizes_first": "Số giải Nhất",
    "prizes_second": "Số giải Nhì", "prizes_third": "Số giải Ba", "prizes_consolation": "Số giải Khuyến khích",
    "prize_min_first": "Điểm tối thiểu giải Nhất (%)", "prize_min_second": "Điểm tối thiểu giải Nhì (%)",
    "prize_min_third": "Điểm tối thiểu giải Ba (%)", "prize_min_consolation": "Điểm tối thiểu giải Khuyến khích (%)",
    "banks": "Ngân hàng câu hỏi", "birth_date": "Ngày sinh", "phone": "Số điện thoại", "gender": "Giới tính",
    "full_name": "Họ và tên", "reason": "Lý do", "note": "Lý do", "request": "Yêu cầu của người dùng",
    "is_locked": "Khóa tài khoản", "role": "Vai trò", "format": "Định dạng", "rows": "Số dòng",
    "personal": "Có dữ liệu cá nhân", "round": "Mã đợt thi", "from": "Từ ngày", "to": "Đến ngày",
    "units": "Mã các đơn vị", "filters": "Bộ lọc", "open_attempts": "Số bài đang làm",
    "from_round": "Nhân bản từ đợt (mã)", "from_contest": "Nhân bản từ cuộc thi (mã)", "name": "Tên",
    "headcount": "Số người", "created": "Tạo mới", "updated": "Cập nhật", "retired": "Ngừng dùng",
    "tie_break": "Thứ tự tiêu chí xếp hạng", "overall_rule": "Cách tính toàn cuộc thi",
}
# ASCII digits only: ``\d`` would also take full-width digits typed by a person, which are no date of ours.
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([+-][0-9]{2}:[0-9]{2}|Z)?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Details that are lists in themselves, never a [before, after] pair.
_LISTS = {"units"}


def value_text(value: Any) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, str):
        try:
            if _MOMENT.fullmatch(value):
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
                if moment.tzinfo is not None:
                    moment = moment.astimezone(VN)
                return moment.strftime("%d/%m/%Y %H:%M")
            if _DAY.fullmatch(value):
                return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:  # shaped like a date but none (2026-13-45): shown as typed
            pass
        return f"“{value}”"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) if value else "(trống)"
    if isinstance(value, dict):
        return "; ".join(f"{FIELDS.get(str(k), str(k))}: {value_text(v)}" for k, v in value.items())
    return str(value)


def changes_text(changes: dict[str, Any] | None) -> str:
    """Every change of an entry on one line: "Field: before → after", details as "Field: value"."""
    if not changes:
        return ""
    parts = []
    for key, value in changes.items():
        label = FIELDS.get(key, key)
        if isinstance(value, list) and len(value) == 2 and key not in _LISTS:
            parts.append(f"{label}: {value_text(value[0])} → {value_text(value[1])}")
        else:
            parts.append(f"{label}: {value_text(value)}")
    return "; ".join(parts)
