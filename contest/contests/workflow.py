"""The round workflow of the organiser's console: duplicate a contest or a round with new dates, and close a
round now (its open attempts are finished and graded with what they saved).

Each function here is one use case and commits once, at its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from contest import clock
from contest.attempts.models import Attempt
from contest.audit.service import record
from contest.contests.models import BlueprintItem, Contest, Round
from contest.contests.service import ContestError, unique_slug
from contest.extensions import db
from contest.ranking.refresh import RankingError, close_round

# What a copy of a round takes from its original: every rule, the prizes and their thresholds (the
# blueprint and the banks are copied apart). Never its window, its close or its stored results.
ROUND_SETTINGS = ("time_limit_minutes", "attempts_allowed", "counting", "all_required", "review_policy",
                  "prediction_kind", "prediction_prompt", "prizes_first", "prizes_second", "prizes_third",
                  "prizes_consolation", "prize_min_first", "prize_min_second", "prize_min_third",
                  "prize_min_consolation")
CONTEST_SETTINGS = ("kind", "audience", "summary", "rules", "requires_cccd", "tie_break", "overall_rule",
                    "prize_highest_only", "collective_formula", "collective_params", "unit_prizes_first",
                    "unit_prizes_second", "unit_prizes_third", "unit_prizes_consolation",
                    # The certificates' signature block; the share code is the copy's own (a new one).
                    "certificate_issuer", "certificate_place", "certificate_signer_title", "certificate_signer_name")


@dataclass(frozen=True)
class Window:
    """A round's new title and dates (UTC)."""

    title: str
    opens_at: datetime
    closes_at: datetime


def _check_window(window: Window) -> None:
    if window.closes_at <= window.opens_at:
        raise ContestError(f"{window.title}: thời điểm kết thúc phải sau thời điểm bắt đầu.")


def _copy_round(original: Round, contest: Contest, number: int, window: Window) -> Round:
    """A new round of ``contest`` with ``original``'s rules, prizes, blueprint and banks; only flushes."""
    with db.session.no_autoflush:
        copy = Round(contest=contest, number=number, title=window.title, opens_at=window.opens_at,
                     closes_at=window.closes_at, **{name: getattr(original, name) for name in ROUND_SETTINGS})
        db.session.add(copy)
        copy.blueprint = [BlueprintItem(group=i.group, topic_id=i.topic_id, difficulty=i.difficulty,
                                        count=i.count) for i in original.blueprint]
        copy.banks = list(original.banks)
    db.session.flush()
    return copy


def duplicate_round(original: Round, window: Window) -> Round:
    """Add to the round's contest a copy of it (rules, blueprint, banks, prizes with their thresholds) with
    a new title and new dates, numbered after the last round."""
    _check_window(window)
    contest = original.contest
    last = db.session.scalar(select(func.max(Round.number)).where(Round.contest_id == contest.id)) or 0
    copy = _copy_round(original, contest, last + 1, window)
    record("round.duplicate", target=copy, summary=f"{contest.title} – {copy.title} (bản sao của {original.title})",
           changes={"from_round": original.id, "opens_at": copy.opens_at, "closes_at": copy.closes_at})
    db.session.commit()
    return copy


def duplicate_contest(original: Contest, title: str, windows: dict[int, Window]) -> Contest:
    """A new, unpublished contest with the original's settings and a copy of each of its rounds, with the
    new dates given per round id; rounds are copied in order."""
    title = (title or "").strip()
    if not title:
        raise ContestError("Vui lòng nhập tên cuộc thi mới.")
    for round_ in original.rounds:
        if round_.id not in windows:
            raise ContestError(f"Vui lòng chọn thời gian mới cho {round_.title}.")
        _check_window(windows[round_.id])
    contest = Contest(slug=unique_slug(title), title=title, is_published=False,
                      **{name: getattr(original, name) for name in CONTEST_SETTINGS})
    db.session.add(contest)
    db.session.flush()
    for n, round_ in enumerate(original.rounds, start=1):
        _copy_round(round_, contest, n, windows[round_.id])
    record("contest.duplicate", target=contest, summary=f"{contest.title} (bản sao của {original.title})",
           changes={"from_contest": original.id, "rounds": len(original.rounds)})
    db.session.commit()
    return contest


def open_attempt_count(round_: Round) -> int:
    """The attempts still being taken in the round (an organiser's practice included)."""
    return db.session.scalar(select(func.count(Attempt.id)).where(
        Attempt.round_id == round_.id, Attempt.state.in_(("in_progress", "overdue")))) or 0


def close_round_now(round_: Round, actor=None) -> int:
    """End an open round now and close it: its end becomes this moment, the attempts still open are finished
    and graded with the answers they saved, the final standings are stored (ranking.refresh.close_round,
    whose commit ends this use case); return how many attempts were finished."""
    now = clock.now()
    state = round_.state(now)
    if state == "upcoming":
        raise ContestError("Đợt thi chưa mở nên không thể đóng ngay. Hãy sửa thời gian của đợt thi.")
    if round_.closed_at is not None:
        raise ContestError("Đợt thi đã được chốt kết quả.")
    finishing = open_attempt_count(round_)
    before = round_.closes_at
    if state == "open":
        round_.closes_at = now
        record("round.close_now", target=round_, summary=f"Đóng ngay {round_.title} ({round_.contest.title}): "
               f"{finishing} bài đang làm được nộp với các câu đã lưu",
               changes={"closes_at": [before, now], "open_attempts": finishing}, actor=actor)
        db.session.flush()
    try:
        close_round(round_, forced=True, actor=actor)
    except RankingError as exc:
        db.session.rollback()
        raise ContestError(str(exc)) from exc
    return finishing
