"""Prizes from the standings, the organiser's review (disqualify, reinstate) and publishing.

A published list is frozen: it is stored as published (``ResultPublication``) and public pages show it,
not the live proposal. Any later change — a disqualification, a reinstatement, a prize passing on under the
highest-prize-only rule, a new tie-break order — is published as a correction (đính chính) with its reason,
and every step is in the audit log.

Each use case here (publish, correct, disqualify, reinstate) commits once, at its end: the change, its audit
entry, the standings recomputed from it and the correction it publishes are stored together or not at all.
The standings it derives the winners from are brought up to date in its own transaction
(``service.current_results``); pages call ``service.fresh_results`` before they show a proposal.

Why this module is long: publish, correct, disqualify and reinstate (for people and for units) share one rule —
a published list changes only through a visible correction — and the prize settings the proposals read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_login import current_user
from sqlalchemy import select

from contest import clock
from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.audit.service import record
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.ranking.lookups import top_results
from contest.ranking.models import ResultPublication
from contest.ranking.prizes import (
    TIER_ORDER,
    TIERS,
    Award,
    Change,
    Placed,
    RoundPlaces,
    Unfilled,
    award_prizes,
    award_unit_prizes,
    compare_winners,
    unfilled_prizes,
    unfilled_text,
)
from contest.ranking.refresh import RankingError, current_results, ranking_order, refresh_results
from contest.ranking.standings import tie_break_order
from contest.ranking.unit_figures import collective_rows, unit_lines
from contest.ranking.wards import collective_level, level_unit_of
from contest.units.models import Unit

ROUND_KEY = ("group", "user_id")
UNIT_KEY = ("unit_id",)


def prize_counts(round_: Round) -> dict[str, int]:
    """The round's prize counts by tier."""
    return {"first": round_.prizes_first, "second": round_.prizes_second, "third": round_.prizes_third,
            "consolation": round_.prizes_consolation}


def prize_thresholds(round_: Round) -> dict[str, int | None]:
    """The round's minimum score of each tier, percent of the maximum (None: no threshold)."""
    return {"first": round_.prize_min_first, "second": round_.prize_min_second, "third": round_.prize_min_third,
            "consolation": round_.prize_min_consolation}


def prize_rules(round_: Round) -> dict:
    """The round's prize counts and thresholds as a publication stores them."""
    return {"counts": prize_counts(round_), "thresholds": prize_thresholds(round_)}


def unfilled_of(round_: Round, winners: list[dict], rules: dict | None) -> list[Unfilled]:
    """The tiers a list of winners leaves short under ``rules`` (none when the rules are not known)."""
    if not rules:
        return []
    return unfilled_prizes(rules["counts"], rules["thresholds"], winners, round_.contest.groups)


def unfilled_notes(round_: Round) -> list[tuple[str, str]]:
    """What the round's latest publication left unawarded, as (group, Vietnamese sentence) pairs."""
    history = publications(round_.contest, round_)
    if not history:
        return []
    latest = history[-1]
    return [(u.group, unfilled_text(u)) for u in unfilled_of(round_, latest.winners, latest.prize_rules)]


def unit_prize_counts(contest: Contest) -> dict[str, int]:
    """The contest's units' prize counts by tier."""
    return {"first": contest.unit_prizes_first, "second": contest.unit_prizes_second,
            "third": contest.unit_prizes_third, "consolation": contest.unit_prizes_consolation}


def proposed_awards(contest: Contest) -> list[Award]:
    """The prizes of every round of the contest as the rules give them now (see prizes.award_prizes)."""
    rounds = sorted(contest.rounds, key=lambda r: r.number)
    total = sum(sum(prize_counts(r).values()) for r in rounds)
    places = []
    for round_ in rounds:
        current_results(round_)
        counts = prize_counts(round_)
        # Deep enough for everyone who may be passed over for holding a prize already.
        depth = sum(counts.values()) + (total if contest.prize_highest_only else 0)
        ranked = {g: [Placed(line.rank, line.user_id, line.attempt_id, line.score, line.max_score)
                      for line in top_results(round_, g, limit=depth)] for g in contest.groups} if depth else {}
        places.append(RoundPlaces(round_.id, counts, ranked, prize_thresholds(round_)))
    return award_prizes(places, contest.prize_highest_only)


def winners_snapshot(round_: Round, awards: list[Award]) -> list[dict]:
    """The round's awards as they are stored when published (no personal data beyond the person's id)."""
    mine = [a for a in awards if a.round_id == round_.id]
    attempts = {a.id: a for a in db.session.scalars(select(Attempt).where(Attempt.id.in_([w.attempt_id
                                                                                         for w in mine])))}
    unit_names = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    out = []
    for award in mine:
        attempt = attempts[award.attempt_id]
        out.append({"group": award.group, "tier": award.tier, "rank": award.rank, "user_id": award.user_id,
                    "attempt_id": award.attempt_id, "unit_id": attempt.unit_id,
                    "unit_name": unit_names.get(attempt.unit_id, ""), "score": attempt.score,
                    "max_score": attempt.max_score, "duration_seconds": attempt.duration_seconds})
    return out


def publications(contest: Contest, round_: Round | None) -> list[ResultPublication]:
    """Every publication of a round's winners (or of the units' prizes when ``round_`` is None), oldest first."""
    query = select(ResultPublication).where(ResultPublication.contest_id == contest.id)
    query = query.where(ResultPublication.round_id == round_.id) if round_ is not None \
        else query.where(ResultPublication.round_id.is_(None))
    return list(db.session.scalars(query.order_by(ResultPublication.id)))


@dataclass
class Review:
    """What the organiser reviews for a round: the proposal, the published list and how they differ."""

    proposed: list[dict]
    published: ResultPublication | None
    changes: list[Change]
    unfilled: list[tuple[str, str]] = field(default_factory=list)


def review_round(round_: Round) -> Review:
    """The proposed winners of a round beside its latest publication."""
    proposed = winners_snapshot(round_, proposed_awards(round_.contest))
    history = publications(round_.contest, round_)
    latest = history[-1] if history else None
    changes = compare_winners(latest.winners, proposed, ROUND_KEY) if latest else []
    unfilled = [(u.group, unfilled_text(u)) for u in unfilled_of(round_, proposed, prize_rules(round_))]
    return Review(proposed, latest, changes, unfilled)


def publish_round(round_: Round, note: str = "") -> ResultPublication:
    """Publish the round's winners; once published, publishing again is a correction and needs a reason."""
    if round_.closed_at is None:
        raise RankingError("Chỉ công bố kết quả sau khi đợt thi đã kết thúc và được chốt.")
    review = review_round(round_)
    publication = _publish(round_.contest, round_, review.proposed, review.published, note, ROUND_KEY,
                           order=ranking_order(round_))
    db.session.commit()
    return publication


def order_pending(round_: Round) -> bool:
    """Whether the round's winners are published in a tie-break order other than its contest's now: the new
    order waits for a correction (:func:`correct_order`)."""
    return bool(publications(round_.contest, round_)) and \
        ranking_order(round_) != tie_break_order(round_.contest.tie_break)


def correct_order(round_: Round, note: str) -> ResultPublication:
    """Apply the contest's new tie-break order to a published round: its standings are ranked again by it and
    published as a correction with its reason (even when the winners stay the same: the order is public)."""
    if not order_pending(round_):
        raise RankingError("Đợt thi này đã xếp hạng theo thứ tự tiêu chí hiện hành của cuộc thi.")
    if not (note or "").strip():
        raise RankingError("Vui lòng ghi lý do đính chính.")
    history = publications(round_.contest, round_)
    order = tie_break_order(round_.contest.tie_break)
    # Ranked by the new order in this transaction: the correction below is what publishes it.
    refresh_results(round_, order)
    proposed = winners_snapshot(round_, proposed_awards(round_.contest))
    publication = _publish(round_.contest, round_, proposed, history[-1], note, ROUND_KEY, order=order,
                           same_winners=True)
    db.session.commit()
    return publication


def _publish(contest: Contest, round_: Round | None, winners: list[dict], latest: ResultPublication | None,
             note: str, key: tuple, *, order: tuple[str, ...] | None = None,
             same_winners: bool = False) -> ResultPublication:
    """Add a publication (a correction when there is one before) and its audit entry; flushes nothing."""
    note = (note or "").strip()
    if latest is not None:
        if not same_winners and not compare_winners(latest.winners, winners, key):
            raise RankingError("Danh sách đạt giải không thay đổi so với lần công bố trước.")
        if not note:
            raise RankingError("Vui lòng ghi lý do đính chính.")
    what = round_.title if round_ is not None else "giải tập thể"
    publication = ResultPublication(contest_id=contest.id, round_id=round_.id if round_ else None,
                                    kind="correction" if latest else "publish", note=note[:2000], winners=winners,
                                    published_at=clock.now(), published_by_id=_actor_id(),
                                    tie_break=",".join(order) if order else None,
                                    prize_rules=prize_rules(round_) if round_ is not None else None)
    db.session.add(publication)
    if latest is None:
        record("results.publish", target=round_ or contest, summary=f"Công bố kết quả {what} ({contest.title})",
               changes={"winners": len(winners)})
    else:
        changes: dict = {"changes": [[list(c.key), c.before, c.after]
                                     for c in compare_winners(latest.winners, winners, key)]}
        if order and latest.tie_break != ",".join(order):
            changes["tie_break"] = [latest.tie_break, ",".join(order)]
        record("results.correct", target=round_ or contest, summary=f"Đính chính kết quả {what}: {note}",
               changes=changes)
    return publication


def _actor_id() -> int | None:
    try:
        return current_user.id if current_user.is_authenticated else None
    except (AttributeError, RuntimeError):  # outside a request (CLI)
        return None


def disqualify_attempt(attempt: Attempt, reason: str) -> ResultPublication | None:
    """Exclude an attempt from the standings with a reason; a published round gets a correction at once.

    The person's other attempts may count instead (by the round's rule). Returns the correction, if any.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RankingError("Vui lòng ghi lý do loại bài thi.")
    if attempt.state != "finished":
        raise RankingError("Chỉ loại được bài thi đã nộp.")
    if attempt.disqualified_reason:
        raise RankingError("Bài thi này đã bị loại.")
    attempt.disqualified_reason = reason[:500]
    attempt.disqualified_at = clock.now()
    record("attempt.disqualify", target=attempt, summary=f"Loại bài thi #{attempt.id}: {reason}",
           changes={"reason": reason, "user_id": attempt.user_id, "round_id": attempt.round_id})
    correction = _after_change(attempt, f"Loại một bài thi vi phạm thể lệ: {reason}")
    db.session.commit()
    return correction


def reinstate_attempt(attempt: Attempt, reason: str = "") -> ResultPublication | None:
    """Undo a disqualification; a published round gets a correction at once."""
    if not attempt.disqualified_reason:
        raise RankingError("Bài thi này không bị loại.")
    before = attempt.disqualified_reason
    attempt.disqualified_reason = None
    attempt.disqualified_at = None
    record("attempt.reinstate", target=attempt, summary=f"Khôi phục bài thi #{attempt.id}",
           changes={"reason": [before, None], "note": reason})
    correction = _after_change(attempt, "Khôi phục một bài thi đã loại"
                               + (f": {reason.strip()}" if reason.strip() else "."))
    db.session.commit()
    return correction


def _after_change(attempt: Attempt, note: str) -> ResultPublication | None:
    """The counting attempt, the standings and (for a published round) the correction that follow a changed
    attempt, in the caller's transaction (flushes only)."""
    round_ = attempt.round
    db.session.flush()
    mark_counting_attempt(round_, attempt.user_id)
    refresh_results(round_)
    correction = None
    history = publications(round_.contest, round_)
    if history:
        proposed = winners_snapshot(round_, proposed_awards(round_.contest))
        if compare_winners(history[-1].winners, proposed, ROUND_KEY):
            correction = _publish(round_.contest, round_, proposed, history[-1], note, ROUND_KEY,
                                  order=ranking_order(round_))
    return correction


def unit_awards(contest: Contest, lines: list | None = None) -> tuple[list, list[dict]]:
    """The collective ranking over the contest's rounds and the units' prizes it gives (as stored); ``lines``
    are the contest's unit lines when the caller has them already."""
    rounds = list(contest.rounds)
    for round_ in rounds:
        current_results(round_)
    lines = lines if lines is not None else unit_lines(rounds)
    # Each winner's unit counts for the unit the collective ranking ranks (a top-level unit, or a ward).
    top_of = level_unit_of(collective_level(lines, contest.owner_unit_id), lines)
    won: dict[int, dict[str, int]] = {}
    for round_ in rounds:
        history = publications(contest, round_)
        winners = history[-1].winners if history else winners_snapshot(round_, proposed_awards(contest))
        for w in winners:
            top = top_of.get(w["unit_id"]) if w["unit_id"] is not None else None
            if top is not None:
                won.setdefault(top, {}).setdefault(w["tier"], 0)
                won[top][w["tier"]] += 1
    rows = collective_rows(contest, rounds, won, lines)
    ranked = [r for r in rows if r.rank is not None]
    awards = award_unit_prizes([r.line.unit_id for r in ranked], unit_prize_counts(contest))
    by_unit = {r.line.unit_id: r for r in ranked}
    snapshot = [{"unit_id": a.unit_id, "tier": a.tier, "rank": a.rank, "unit_name": by_unit[a.unit_id].line.name,
                 "rate": by_unit[a.unit_id].line.rate, "points": by_unit[a.unit_id].points} for a in awards]
    return rows, snapshot


def publish_units(contest: Contest, note: str = "") -> ResultPublication:
    """Publish the units' prizes (a correction when published before)."""
    _rows, snapshot = unit_awards(contest)
    history = publications(contest, None)
    publication = _publish(contest, None, snapshot, history[-1] if history else None, note, UNIT_KEY)
    db.session.commit()
    return publication


def tier_label(tier: str | None) -> str:
    """A tier's Vietnamese name ("Không đạt giải" for none)."""
    return TIERS.get(tier, "Không đạt giải") if tier else "Không đạt giải"


TIER_INDEX = {t: i for i, t in enumerate(TIER_ORDER)}
