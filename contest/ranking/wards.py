"""The unit leaderboard of a city-wide contest ranks wards (issue 19; pure: no Flask, no database).

A contest of the city (owned by the top unit, or by nobody) taken by the people of several wards is ranked
first by ward, each ward's line the roll-up of its units (``leaderboard.roll_up`` already adds up every
subtree); a ward's page ranks the units within it. A ward's own contest keeps the plain leaderboard.
"""

from __future__ import annotations

from collections.abc import Sequence

from contest.ranking.leaderboard import UnitLine


def is_city_wide(owner_unit_id: int | None, lines: Sequence[UnitLine]) -> bool:
    """Whether a contest owned by ``owner_unit_id`` is the city's: owned by nobody or by a top-level unit."""
    if owner_unit_id is None:
        return True
    owner = next((ln for ln in lines if ln.unit_id == owner_unit_id), None)
    return owner is not None and owner.parent_id is None


def ward_lines(lines: Sequence[UnitLine]) -> list[UnitLine]:
    """The wards' lines (each with its units added up), in the order given."""
    return [ln for ln in lines if ln.kind == "ward"]


def spans_wards(lines: Sequence[UnitLine]) -> bool:
    """Whether the people taking part come from more than one ward."""
    return sum(1 for ln in ward_lines(lines) if ln.participants or ln.attempts) > 1


def lines_in_ward(lines: Sequence[UnitLine], ward_id: int) -> list[UnitLine]:
    """The lines of the units below the ward ``ward_id`` (its subtree without the ward itself)."""
    parents = {ln.unit_id: ln.parent_id for ln in lines}
    inside: list[UnitLine] = []
    for ln in lines:
        current, seen = ln.parent_id, set()
        while current is not None and current not in seen:
            if current == ward_id:
                inside.append(ln)
                break
            seen.add(current)
            current = parents.get(current)
    return inside
