"""The demo's knowledge survey for officials: one attempt, 20 questions, answers shown after submitting.

Idempotent like the rest of the demo: created once, and given a new open round when the last has closed.
Officials come from a roster the organiser imports (a sample is in ``danh-sach-can-bo-mau.csv``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from contest import clock
from contest.contests.models import Contest
from contest.contests.service import save_contest, save_round, set_blueprint

SURVEY_SLUG = "khao-sat-kien-thuc-cchc-2026"
SURVEY_DAYS = 30
SURVEY_RULES = (
    "Khảo sát kiến thức về cải cách hành chính do Thành phố tổ chức, dành cho cán bộ, công chức, viên chức của "
    "các phường.\n\n"
    "Mỗi người làm một lần, trong 20 phút. Kết quả chỉ người làm bài, Ban tổ chức và người phụ trách đơn vị "
    "được xem; không có bảng xếp hạng. Kết quả chung theo đơn vị và chủ đề được dùng để xây dựng kế hoạch "
    "đào tạo, bồi dưỡng hằng năm.")


def ensure_survey(lines: list[str], blueprint, bank_ids: list[int], owner_unit_id: int | None = None) -> None:
    """Create the demo survey if missing (owned by ``owner_unit_id``: the city, for officials of every ward) and
    keep one round open; ``blueprint(groups)`` spreads the questions of the banks ``bank_ids``."""
    from contest.extensions import db

    contest = db.session.scalar(select(Contest).where(Contest.slug == SURVEY_SLUG))
    if contest is None:
        contest = save_contest(None, title="Khảo sát kiến thức về cải cách hành chính năm 2026", kind="survey",
                               audience="officials",
                               summary="Dành cho cán bộ, công chức, viên chức của mọi phường (dữ liệu mẫu để dùng thử).",
                               rules=SURVEY_RULES, requires_cccd=False, is_published=True)
        contest.slug = SURVEY_SLUG
        contest.owner_unit_id = owner_unit_id
        db.session.commit()
        lines.append("Đã tạo khảo sát kiến thức mẫu cho cán bộ.")
    now = clock.now()
    if any(r.state(now) == "open" for r in contest.rounds):
        return
    start = clock.from_vn_local(clock.to_vn(now).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None))
    round_ = save_round(contest, None, title=f"Đợt khảo sát {len(contest.rounds) + 1}", opens_at=start,
                        closes_at=start + timedelta(days=SURVEY_DAYS), time_limit_minutes=20, attempts_allowed=1,
                        counting="first", all_required=False, review_policy="after_submit", prediction_kind="none",
                        prediction_prompt=None)
    set_blueprint(round_, blueprint(contest.groups), bank_ids)
    lines.append(f"Đã mở {round_.title.lower()} ({SURVEY_DAYS} ngày, mỗi người một lần).")
