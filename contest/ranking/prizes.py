"""Prizes: who wins what in each round, the units' prizes, and what changed since a publication (pure).

Rules (DESIGN.md): tier counts per round (Nhất, Nhì, Ba, Khuyến khích), applied to each audience group's
ranking; one prize per person per round; optionally a person keeps only their highest prize across the
rounds of the contest, the prize they give up passing to the next in rank.

A tier may also require a minimum score, a whole percentage of the maximum (e.g. Giải Nhất only at ≥ 90 %).
A prize nobody qualifies for stays unawarded: it never passes down to a score below its threshold. Going
down the ranking, each person takes the best tier whose threshold they meet while its count lasts, so a
person below the Nhất threshold but above the Nhì threshold takes a Giải Nhì, and the Giải Nhất stays empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

TIERS = {"first": "Giải Nhất", "second": "Giải Nhì", "third": "Giải Ba", "consolation": "Giải Khuyến khích"}
TIER_ORDER = tuple(TIERS)


@dataclass(frozen=True)
class Placed:
    """A participant's place in a round and group (from the standings)."""

    rank: int
    user_id: int
    attempt_id: int
    score: float = 0.0
    max_score: float = 0.0


@dataclass
class RoundPlaces:
    """A round's prize counts, their minimum scores (percent of the maximum, None: none) and its rankings per
    group, best first."""

    round_id: int
    counts: Mapping[str, int]
    ranked: Mapping[str, Sequence[Placed]] = field(default_factory=dict)
    thresholds: Mapping[str, int | None] = field(default_factory=dict)


def meets_threshold(score: float, max_score: float, percent: int | float | None) -> bool:
    """Whether a score reaches ``percent`` % of the maximum (always, without a threshold).

    Compared as score × 100 ≥ percent × maximum, so 18 of 20 meets 90 % exactly; a round without a maximum
    (no questions) meets only a threshold of 0."""
    if percent is None:
        return True
    if max_score <= 0:
        return percent <= 0
    return score * 100 >= percent * max_score - 1e-9 * max_score


@dataclass(frozen=True)
class Award:
    """One prize given to one person in one round."""

    round_id: int
    group: str
    tier: str
    rank: int
    user_id: int
    attempt_id: int


def award_prizes(rounds: Sequence[RoundPlaces], highest_only: bool = False) -> list[Award]:
    """Give each round's prizes down its rankings, tier by tier, best tier first.

    A person holds at most one prize per round (whatever their group); with ``highest_only`` at most one in
    the whole contest — the highest, and among equal tiers the earlier round's (``rounds`` in their order).
    A person passed over for holding a prize gives their place to the next in rank. Because tiers are
    given from the highest down, the prize anyone keeps is the best they could get.

    A tier with a threshold goes only to people whose score meets it; a person below it stays in line for
    the lower tiers, and the places nobody qualifies for stay unawarded (see :func:`unfilled_prizes`).
    """
    held: dict[object, set[int]] = {}
    awards: list[Award] = []
    for tier in TIER_ORDER:
        for places in rounds:
            scope = "contest" if highest_only else places.round_id
            holders = held.setdefault(scope, set())
            count = max(0, places.counts.get(tier, 0))
            threshold = places.thresholds.get(tier)
            for group, ranked in places.ranked.items():
                given = 0
                for p in ranked:
                    if given >= count:
                        break
                    if p.user_id in holders or not meets_threshold(p.score, p.max_score, threshold):
                        continue
                    holders.add(p.user_id)
                    awards.append(Award(places.round_id, group, tier, p.rank, p.user_id, p.attempt_id))
                    given += 1
    return sorted(awards, key=lambda a: (a.round_id, a.group, TIER_ORDER.index(a.tier), a.rank))


@dataclass(frozen=True)
class Unfilled:
    """A tier of a round's group with fewer winners than its count: how many were given, and its threshold."""

    group: str
    tier: str
    count: int
    awarded: int
    threshold: int | None


def unfilled_prizes(counts: Mapping[str, int], thresholds: Mapping[str, int | None], winners: Iterable[Mapping],
                    groups: Sequence[str]) -> list[Unfilled]:
    """The tiers of each group that a list of winners (dicts with ``group`` and ``tier``) leaves short."""
    given: dict[tuple[str, str], int] = {}
    for w in winners:
        given[(w["group"], w["tier"])] = given.get((w["group"], w["tier"]), 0) + 1
    return [Unfilled(group, tier, counts.get(tier, 0), given.get((group, tier), 0), thresholds.get(tier))
            for group in groups for tier in TIER_ORDER
            if given.get((group, tier), 0) < max(0, counts.get(tier, 0))]


def percent_text(value: int | float) -> str:
    """A percentage as Vietnamese write it: decimal comma, a space before the sign (“87,5 %”)."""
    return f"{value:g}".replace(".", ",") + " %"


def unfilled_text(unfilled: Unfilled) -> str:
    """What the announcement says of a tier left short, in Vietnamese."""
    label = TIERS[unfilled.tier]
    condition = f" (≥ {percent_text(unfilled.threshold)} số điểm)" if unfilled.threshold is not None else ""
    if unfilled.threshold is None:
        if unfilled.awarded == 0:
            return f"{label}: không có người nhận (không đủ người dự thi)"
        return f"{label}: chỉ trao {unfilled.awarded}/{unfilled.count} giải (không đủ người dự thi)"
    if unfilled.awarded == 0:
        return f"{label}: không có người đạt điều kiện{condition}"
    return f"{label}: chỉ {unfilled.awarded}/{unfilled.count} giải có người đạt điều kiện{condition}"


@dataclass(frozen=True)
class UnitAward:
    """A unit's prize in the collective ranking."""

    tier: str
    rank: int
    unit_id: int


def award_unit_prizes(ranked_unit_ids: Sequence[int], counts: Mapping[str, int]) -> list[UnitAward]:
    """Give the units' prizes down the collective ranking (eligible units only, best first)."""
    slots = [tier for tier in TIER_ORDER for _ in range(max(0, counts.get(tier, 0)))]
    return [UnitAward(tier, rank, unit_id)
            for rank, (tier, unit_id) in enumerate(zip(slots, ranked_unit_ids, strict=False), start=1)]


@dataclass(frozen=True)
class Change:
    """A difference between two winner lists: who, and their tier before and after (None: no prize)."""

    key: tuple
    before: str | None
    after: str | None


def compare_winners(before: Iterable[Mapping], after: Iterable[Mapping], key_fields: Sequence[str]) -> list[Change]:
    """The people (or units) whose prize differs between two lists of winners (dicts with a ``tier``)."""
    old = {tuple(w[k] for k in key_fields): w["tier"] for w in before}
    new = {tuple(w[k] for k in key_fields): w["tier"] for w in after}
    changes = [Change(k, old.get(k), new.get(k)) for k in old.keys() | new.keys() if old.get(k) != new.get(k)]

    def order(change: Change):
        tier = change.after or change.before
        return (TIER_ORDER.index(tier) if tier in TIER_ORDER else 9, [str(x) for x in change.key])

    return sorted(changes, key=order)
