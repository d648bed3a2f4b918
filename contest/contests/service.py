"""Use cases for contests and rounds: create, edit, set the blueprint, list what is open."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from contest import clock
from contest.attempts.counting import remark_counting_attempts
from contest.audit.service import diff, record
from contest.banks.models import Bank, Question, Topic
from contest.contests.blueprints import blueprint_shortfalls
from contest.contests.models import (
    DIFFICULTIES,
    WITHHOLDING_POLICIES,
    BlueprintItem,
    Contest,
    Round,
    round_banks,
)
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
        # shown (ranking.refresh.fresh_results: never computed).
        remark_counting_attempts(round_)
        round_.results_refreshed_at = None
        db.session.flush()
    record("round.create" if created else "round.edit", target=round_, summary=f"{contest.title} – {round_.title}",
           changes=diff({} if created else before, fields))
    db.session.commit()
    return round_


def active_question_counts(bank_ids: Iterable[int] | None = None) -> dict[tuple[str, str | None], int]:
    """Active questions per (topic name, difficulty), with (topic name, None) for every difficulty; of the
    banks ``bank_ids`` only, when given."""
    counts: dict[tuple[str, str | None], int] = {}
    for per_topic in question_counts_per_bank(bank_ids).values():
        for key, count in per_topic.items():
            counts[key] = counts.get(key, 0) + count
    return counts


def question_counts_per_bank(bank_ids: Iterable[int] | None = None) -> dict[int, dict[tuple[str, str | None], int]]:
    """Active questions per bank, then per (topic name, difficulty) and (topic name, None) for every
    difficulty; every bank, or only ``bank_ids``."""
    query = (select(Question.bank_id, Topic.name, Question.difficulty, func.count(Question.id))
             .join(Topic, Topic.id == Question.topic_id).where(Question.status == "active")
             .group_by(Question.bank_id, Topic.name, Question.difficulty))
    if bank_ids is not None:
        query = query.where(Question.bank_id.in_(list(bank_ids)))
    counts: dict[int, dict[tuple[str, str | None], int]] = {}
    for bank_id, topic, difficulty, count in db.session.execute(query):
        per_topic = counts.setdefault(bank_id, {})
        per_topic[(topic, difficulty)] = count
        per_topic[(topic, None)] = per_topic.get((topic, None), 0) + count
    return counts


@dataclass(frozen=True)
class BlueprintLine:
    """One line of a blueprint as the organiser sets it."""

    group: str
    topic_id: int
    difficulty: str | None
    count: int


def set_blueprint(round_: Round, lines: list[BlueprintLine], bank_ids: Iterable[int]) -> None:
    """Replace a round's banks and blueprint; refuse a blueprint that the active questions of the chosen banks
    cannot fill (another bank's questions are never drawn by this round)."""
    banks = list(db.session.scalars(select(Bank).where(Bank.id.in_(set(bank_ids))).order_by(Bank.name)))
    if not banks:
        raise ContestError("Vui lòng chọn ít nhất một ngân hàng câu hỏi cho đợt thi.")
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
    shortfalls = blueprint_shortfalls(wanted, active_question_counts(b.id for b in banks))
    if shortfalls:
        chosen = ", ".join(f"“{b.name}”" for b in banks)
        raise ContestError("Ngân hàng không đủ câu hỏi: " + "; ".join(
            f"chủ đề “{s.topic}”{' (' + DIFFICULTIES[s.difficulty].lower() + ')' if s.difficulty else ''} cần "
            f"{s.wanted} câu nhưng chỉ có {s.available} câu đang dùng" for s in shortfalls)
            + f". Ngân hàng đã chọn cho đợt thi: {chosen}.")
    by_name = {name: topic_id for topic_id, name in topics.items()}
    before = {f"{item.group}/{item.topic.name}/{item.difficulty or '*'}": item.count for item in round_.blueprint}
    banks_before = [b.name for b in round_.banks]
    round_.blueprint.clear()
    round_.banks = banks
    db.session.flush()
    for (group, topic, difficulty), count in wanted.items():
        round_.blueprint.append(BlueprintItem(group=group, topic_id=by_name[topic], difficulty=difficulty,
                                              count=count))
    after = {f"{g}/{t}/{d or '*'}": n for (g, t, d), n in wanted.items()}
    changes = {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
               if before.get(k) != after.get(k)}
    if banks_before != [b.name for b in banks]:
        changes["banks"] = [banks_before, [b.name for b in banks]]
    record("blueprint.edit", target=round_, summary=f"{round_.contest.title} – {round_.title}: "
           + ", ".join(f"{g}: {round_.question_count(g)} câu" for g in round_.contest.groups)
           + " từ ngân hàng " + ", ".join(b.name for b in banks), changes=changes)
    db.session.commit()


def suggested_banks(round_: Round) -> list[Bank]:
    """The banks the blueprint editor ticks for a round that has none yet: those of the contest's previous
    round, else the only bank there is; otherwise the organiser chooses."""
    earlier = [r for r in round_.contest.rounds if r.id != round_.id and r.banks and r.number < round_.number]
    if earlier:
        return list(earlier[-1].banks)
    banks = list(db.session.scalars(select(Bank).limit(2)))
    return banks if len(banks) == 1 else []


@dataclass(frozen=True)
class KeyOverlap:
    """Another round not yet closed that can draw some of the same questions, and which side hides keys."""

    other: Round
    hidden_here: bool  # the other round withholds keys: they are hidden in this round's review
    hidden_there: bool  # this round withholds keys: they are hidden in the other round's review


def _shows_keys_before(shows: Round, withholds: Round) -> bool:
    """Whether ``shows`` would show keys while ``withholds`` still keeps them."""
    if withholds.review_policy not in WITHHOLDING_POLICIES or shows.review_policy == "never":
        return False
    return shows.review_policy == "after_submit" or shows.closes_at < withholds.closes_at


def key_overlaps(round_: Round, moment: datetime) -> list[KeyOverlap]:
    """Rounds not yet closed that draw a topic of this round's blueprint from one of its banks, where one of the
    two withholds keys (review after close, or never) while the other shows them sooner: the keys of the
    shared questions are then hidden in the review of the one that shows them (attempts.review)."""
    bank_ids = {b.id for b in round_.banks}
    topic_ids = {item.topic_id for item in round_.blueprint}
    if not bank_ids or not topic_ids:
        return []
    overlaps = []
    sharing = select(round_banks.c.round_id).where(round_banks.c.bank_id.in_(bank_ids))
    others = db.session.scalars(select(Round).where(Round.id != round_.id, Round.closes_at > moment,
                                                    Round.id.in_(sharing)).order_by(Round.opens_at, Round.id))
    for other in others:
        if not topic_ids & {item.topic_id for item in other.blueprint}:
            continue
        hidden_here = _shows_keys_before(round_, other)
        hidden_there = round_.closes_at > moment and _shows_keys_before(other, round_)
        if hidden_here or hidden_there:
            overlaps.append(KeyOverlap(other, hidden_here, hidden_there))
    return overlaps


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
