"""Use cases for contests and rounds: create, edit, set the blueprint, list what is open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from contest import clock
from contest.attempts.service import remark_counting_attempts
from contest.audit.service import diff, record
from contest.banks.models import Question, Topic
from contest.contests.blueprints import blueprint_shortfalls
from contest.contests.models import DIFFICULTIES, BlueprintItem, Contest, Round
from contest.extensions import db
from contest.vntext import fold


class ContestError(Exception):
    """A contest or round rule was broken; the message is for the organiser, in Vietnamese."""


def slugify(title: str) -> str:
    """A URL slug from a Vietnamese title: "Cuộc thi CCHC 2026" → "cuoc-thi-cchc-2026"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:70] or "cuoc-thi"


def unique_slug(title: str, contest_id: int | None = None) -> str:
    """A slug not used by another contest."""
    base = slugify(title)
    slug, n = base, 2
    while True:
        other = db.session.scalar(select(Contest.id).where(Contest.slug == slug))
        if other is None or other == contest_id:
            return slug
        slug, n = f"{base}-{n}", n + 1


def save_contest(contest: Contest | None, **fields) -> Contest:
    """Create a contest, or update one, from the organiser's form."""
    created = contest is None
    if contest is None:
        contest = Contest(slug=unique_slug(fields["title"]))
        db.session.add(contest)
    before = {name: getattr(contest, name) for name in fields}
    for name, value in fields.items():
        setattr(contest, name, value)
    if contest.kind == "survey":  # a knowledge survey is taken once, without a public ranking
        for round_ in contest.rounds:
            round_.attempts_allowed = 1
    db.session.flush()
    record("contest.create" if created else "contest.edit", target=contest, summary=contest.title,
           changes=diff({} if created else before, fields))
    db.session.commit()
    return contest


def save_round(contest: Contest, round_: Round | None, **fields) -> Round:
    """Create a round (numbered after the last), or update one, checking its window."""
    opens_at: datetime = fields["opens_at"]
    closes_at: datetime = fields["closes_at"]
    if closes_at <= opens_at:
        raise ContestError("Thời điểm kết thúc phải sau thời điểm bắt đầu.")
    created = round_ is None
    if round_ is None:
        last = db.session.scalar(select(func.max(Round.number)).where(Round.contest_id == contest.id)) or 0
        round_ = Round(contest=contest, number=last + 1)
        db.session.add(round_)
    before = {name: getattr(round_, name) for name in fields}
    ranking_rules = [name for name in ("counting", "prediction_kind")
                     if not created and name in fields and fields[name] != before[name]]
    if ranking_rules and round_.closed_at is not None:
        raise ContestError("Đợt thi đã chốt kết quả nên không thể đổi cách tính lượt được tính điểm "
                           "hay loại dự đoán nữa.")
    for name, value in fields.items():
        setattr(round_, name, value)
    if round_.prediction_kind == "none":
        round_.prediction_prompt = None
    if contest.kind == "survey":  # one attempt per official, whatever the form said
        round_.attempts_allowed = 1
    db.session.flush()
    if ranking_rules:
        # The attempts that count follow the new rule, and the stored standings are recomputed when next
        # shown (ranking.service.fresh_results: never computed).
        remark_counting_attempts(round_)
        round_.results_refreshed_at = None
        db.session.flush()
    record("round.create" if created else "round.edit", target=round_, summary=f"{contest.title} – {round_.title}",
           changes=diff({} if created else before, fields))
    db.session.commit()
    return round_


def active_question_counts() -> dict[tuple[str, str | None], int]:
    """Active questions per (topic name, difficulty), with (topic name, None) for every difficulty."""
    rows = db.session.execute(
        select(Topic.name, Question.difficulty, func.count(Question.id))
        .join(Question, Question.topic_id == Topic.id)
        .where(Question.status == "active")
        .group_by(Topic.name, Question.difficulty)
    ).all()
    counts: dict[tuple[str, str | None], int] = {}
    for topic, difficulty, count in rows:
        counts[(topic, difficulty)] = count
        counts[(topic, None)] = counts.get((topic, None), 0) + count
    return counts


@dataclass(frozen=True)
class BlueprintLine:
    """One line of a blueprint as the organiser sets it."""

    group: str
    topic_id: int
    difficulty: str | None
    count: int


def set_blueprint(round_: Round, lines: list[BlueprintLine]) -> None:
    """Replace a round's blueprint; refuse one that the active questions of the bank cannot fill."""
    topics = {t.id: t.name for t in db.session.scalars(select(Topic))}
    wanted: dict[tuple[str, str, str | None], int] = {}
    for line in lines:
        if line.count <= 0:
            continue
        if line.topic_id not in topics:
            raise ContestError("Chủ đề không tồn tại.")
        key = (line.group, topics[line.topic_id], line.difficulty)
        wanted[key] = wanted.get(key, 0) + line.count
    if not wanted:
        raise ContestError("Đề thi cần ít nhất một câu hỏi.")
    shortfalls = blueprint_shortfalls(wanted, active_question_counts())
    if shortfalls:
        raise ContestError("Ngân hàng không đủ câu hỏi: " + "; ".join(
            f"chủ đề “{s.topic}”{' (' + DIFFICULTIES[s.difficulty].lower() + ')' if s.difficulty else ''} cần "
            f"{s.wanted} câu nhưng chỉ có {s.available} câu đang dùng" for s in shortfalls) + ".")
    by_name = {name: topic_id for topic_id, name in topics.items()}
    before = {f"{item.group}/{item.topic.name}/{item.difficulty or '*'}": item.count for item in round_.blueprint}
    round_.blueprint.clear()
    db.session.flush()
    for (group, topic, difficulty), count in wanted.items():
        round_.blueprint.append(BlueprintItem(group=group, topic_id=by_name[topic], difficulty=difficulty,
                                              count=count))
    after = {f"{g}/{t}/{d or '*'}": n for (g, t, d), n in wanted.items()}
    record("blueprint.edit", target=round_, summary=f"{round_.contest.title} – {round_.title}: "
           + ", ".join(f"{g}: {round_.question_count(g)} câu" for g in round_.contest.groups),
           changes={k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
                    if before.get(k) != after.get(k)})
    db.session.commit()


def published_contests() -> list[Contest]:
    """Published contests, newest first."""
    return list(db.session.scalars(select(Contest).where(Contest.is_published.is_(True))
                                   .order_by(Contest.created_at.desc(), Contest.id.desc())))


def current_round(contest: Contest) -> Round | None:
    """The round open now, else the next to open, else the last one."""
    moment = clock.now()
    rounds = list(contest.rounds)
    for round_ in rounds:
        if round_.state(moment) == "open":
            return round_
    upcoming = [r for r in rounds if r.state(moment) == "upcoming"]
    if upcoming:
        return min(upcoming, key=lambda r: r.opens_at)
    return rounds[-1] if rounds else None
