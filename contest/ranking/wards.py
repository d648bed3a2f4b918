"""The unit leaderboard of a city-wide contest ranks wards (issue 19; pure: no Flask, no database).

A contest of the city (owned by the top unit, or by nobody) taken by the people of several wards is ranked
first by ward, each ward's line the roll-up of its units (``leaderboard.roll_up`` already adds up every
subtree); a ward's page ranks the units within it. A ward's own contest keeps the plain leaderboard.
"""

from __future__ import annotations

from collections.abc import Sequence

from contest.ranking.leaderboard import UnitLine

_CONTAINERS = ("city", "ward")  # units that hold other units and no people of their own in a contest


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


def collective_level(lines: Sequence[UnitLine], owner_unit_id: int | None) -> list[UnitLine]:
    """The units the collective ranking ranks: the wards of a city contest taken in several wards; the units
    right below a ward that owns the contest; otherwise the top-level units, looking through the city and a
    lone ward (a single-ward database put under a default city ranks its units as it did before)."""
    if is_city_wide(owner_unit_id, lines) and spans_wards(lines):
        return ward_lines(lines)
    children: dict[int | None, list[UnitLine]] = {}
    for ln in lines:
        children.setdefault(ln.parent_id, []).append(ln)
    owner = next((ln for ln in lines if ln.unit_id == owner_unit_id), None) if owner_unit_id is not None else None
    level = children.get(owner.unit_id, []) if owner is not None and owner.parent_id is not None \
        else children.get(None, [])
    while any(ln.kind in _CONTAINERS and ln.children for ln in level):
        level = [child for ln in level
                 for child in (children.get(ln.unit_id, []) if ln.kind in _CONTAINERS and ln.children else [ln])]
    return level


def level_unit_of(level: Sequence[UnitLine], lines: Sequence[UnitLine]) -> dict[int, int]:
    """Each unit's line of ``level`` (itself or its nearest ancestor there); units outside it are left out."""
    ids = {ln.unit_id for ln in level}
    parents = {ln.unit_id: ln.parent_id for ln in lines}
    found: dict[int, int] = {}
    for unit in parents:
        current, seen = unit, set()
        while current is not None and current not in seen:
            if current in ids:
                found[unit] = current
                break
            seen.add(current)
            current = parents.get(current)
    return found
