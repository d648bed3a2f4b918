"""Prizes: who wins what in each round, the units' prizes, and what changed since a publication (pure).

Rules (DESIGN.md): tier counts per round (Nhất, Nhì, Ba, Khuyến khích), applied to each audience group's
ranking; one prize per person per round; optionally a person keeps only their highest prize across the
rounds of the contest, the prize they give up passing to the next in rank.
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


@dataclass
class RoundPlaces:
    """A round's prize counts and its rankings per group, best first."""

    round_id: int
    counts: Mapping[str, int]
    ranked: Mapping[str, Sequence[Placed]] = field(default_factory=dict)


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
    """
    held: dict[object, set[int]] = {}
    cursor: dict[tuple[int, str], int] = {}
    awards: list[Award] = []
    for tier in TIER_ORDER:
        for places in rounds:
            scope = "contest" if highest_only else places.round_id
            holders = held.setdefault(scope, set())
            for group, ranked in places.ranked.items():
                position = cursor.get((places.round_id, group), 0)
                for _ in range(max(0, places.counts.get(tier, 0))):
                    while position < len(ranked) and ranked[position].user_id in holders:
                        position += 1
                    if position >= len(ranked):
                        break
                    p = ranked[position]
                    holders.add(p.user_id)
                    awards.append(Award(places.round_id, group, tier, p.rank, p.user_id, p.attempt_id))
                    position += 1
                cursor[(places.round_id, group)] = position
    return sorted(awards, key=lambda a: (a.round_id, a.group, TIER_ORDER.index(a.tier), a.rank))


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
