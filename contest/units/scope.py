"""Who may see and change what, in a deployment that serves a city of wards.

Tenants are units. A ward (kind ``ward``) sits under the city (kind ``city``); its offices, centres and
residential groups sit below it. Contests and banks belong to one owning unit (``owner_unit_id``; None means
the whole deployment, as for a database made before wards existed).

An organiser's scope is the unit they are given (``User.managed_unit_id``) and everything below it: a ward
organiser sees and changes only what their ward owns, and the people of their ward. An organiser with no unit
is the city's (the whole deployment). A unit manager keeps the narrower view of their unit's figures.

Anything outside a user's scope is answered as if it did not exist (404), never 403 with data.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from contest.extensions import db
from contest.units.models import Unit


def parent_map() -> dict[int, int | None]:
    """Every unit's parent, in one statement (a city has a few hundred units)."""
    return {uid: parent for uid, parent in db.session.execute(select(Unit.id, Unit.parent_id))}


def subtree_ids(unit_id: int, parents: dict[int, int | None] | None = None) -> set[int]:
    """The unit and every unit below it."""
    parents = parent_map() if parents is None else parents
    children: dict[int | None, list[int]] = {}
    for uid, parent in parents.items():
        children.setdefault(parent, []).append(uid)
    found: set[int] = set()
    stack = [unit_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, ()))
    return found


def ancestor_ids(unit_id: int | None, parents: dict[int, int | None] | None = None) -> list[int]:
    """The unit and the units above it, nearest first (a cycle, which imports refuse, stops the walk)."""
    if unit_id is None:
        return []
    parents = parent_map() if parents is None else parents
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def nearest_ward(unit_id: int | None, parents: dict[int, int | None], ward_ids: set[int]) -> int | None:
    """The ward a unit is in: itself when it is a ward, else its nearest ancestor that is; None outside wards."""
    return next((up for up in ancestor_ids(unit_id, parents) if up in ward_ids), None)


def ward_map(unit_ids: Iterable[int]) -> dict[int, int]:
    """Each unit's ward (units outside every ward are left out); two reads, whatever the number of units."""
    ward_ids = set(db.session.scalars(select(Unit.id).where(Unit.kind == "ward")))
    if not ward_ids:
        return {}
    parents = parent_map()
    found = {unit: nearest_ward(unit, parents, ward_ids) for unit in unit_ids}
    return {unit: ward for unit, ward in found.items() if ward is not None}


def ward_of(unit_id: int | None) -> Unit | None:
    """The ward (or commune) a unit belongs to: itself or its nearest ancestor of kind ``ward``."""
    ward_id = ward_map([unit_id]).get(unit_id) if unit_id is not None else None
    return None if ward_id is None else db.session.get(Unit, ward_id)


def wards() -> list[Unit]:
    """Every ward of the deployment, by name."""
    from contest.collation import sort_key

    return sorted(db.session.scalars(select(Unit).where(Unit.kind == "ward")), key=lambda u: sort_key(u.name))


def scope_root(user) -> int | None:
    """The unit an organiser is confined to; None for the city's organisers (the whole deployment)."""
    if getattr(user, "role", None) == "organiser":
        return user.managed_unit_id
    return None


def is_scoped(user) -> bool:
    """Whether the user is a ward organiser (confined to one unit's subtree)."""
    return getattr(user, "role", None) == "organiser" and user.managed_unit_id is not None


def owned_unit_ids(user) -> set[int] | None:
    """The owning units whose contests, banks and exports ``user`` may manage: None means all (the city's
    organisers); an empty set means none (anyone who is not an organiser)."""
    if getattr(user, "role", None) != "organiser":
        return set()
    if user.managed_unit_id is None:
        return None
    return subtree_ids(user.managed_unit_id)


def may_manage(user, owner_unit_id: int | None) -> bool:
    """Whether ``user`` may see and change an object owned by ``owner_unit_id`` in the console."""
    owned = owned_unit_ids(user)
    if owned is None:
        return True
    return owner_unit_id is not None and owner_unit_id in owned


def may_read(user, owner_unit_id: int | None) -> bool:
    """Shared downward: an organiser reads what they manage and, for a ward organiser, what is owned above their
    ward (the city's banks to draw from, the city's contests and surveys for their ward's slice)."""
    if may_manage(user, owner_unit_id):
        return True
    if not is_scoped(user):
        return False
    return owner_unit_id is None or owner_unit_id in ancestor_ids(user.managed_unit_id)


def manageable(query, column, user):
    """``query`` narrowed to the rows whose owning unit (``column``) ``user`` may manage."""
    owned = owned_unit_ids(user)
    if owned is None:
        return query
    return query.where(column.in_(owned or [-1]))


def open_to_unit(owner_unit_id: int | None, unit_id: int | None,
                 parents: dict[int, int | None] | None = None) -> bool:
    """Whether a contest owned by ``owner_unit_id`` is open to a person of unit ``unit_id``: a city-wide
    contest to everyone, a ward's contest only to the people of that ward."""
    if owner_unit_id is None:
        return True
    parents = parent_map() if parents is None else parents
    if parents.get(owner_unit_id) is None:  # owned by the top unit (the city): everyone takes part
        return True
    return owner_unit_id in ancestor_ids(unit_id, parents)
