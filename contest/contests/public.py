"""Who sees and takes which contest on the public pages of a deployment that serves a city of wards.

A contest owned by a ward (``Contest.owner_unit_id`` is the ward, or a unit below it) is the ward's: it is listed
on the ward's page (``/p/<ward code>/``) and open only to the people of that ward. A contest owned by the city
(or by nobody: a database made before wards) is city-wide: listed everywhere, open to everyone.

Signed-in people see on the home the city-wide contests and their own ward's, never another ward's; another
ward's contest page answers 404 to them, and starting it is refused. Visitors who are not signed in may read
every published contest (they may be of any ward); a ward's published standings stay public to everyone, as
published results are public information (names and units only, DESIGN.md "Prizes").

With no ward units the pages are exactly as before wards; with a single ward (a database migrated from one
ward) the home lists that ward's contests too, so nobody has to click through a list of one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from contest.collation import sort_key
from contest.extensions import db
from contest.units.models import Unit
from contest.units.scope import nearest_ward, open_to_unit


@dataclass(frozen=True)
class UnitTree:
    """Every unit's parent and kind, read in one statement; answers "which ward is this unit in"."""

    parents: dict[int, int | None]
    kinds: dict[int, str]
    names: dict[int, str] = field(default_factory=dict)
    codes: dict[int, str] = field(default_factory=dict)

    def ward_of(self, unit_id: int | None) -> int | None:
        """The ward a unit is in: itself or its nearest ancestor of kind ``ward``; None above or outside wards."""
        return nearest_ward(unit_id, self.parents, {uid for uid, kind in self.kinds.items() if kind == "ward"})

    @property
    def ward_ids(self) -> list[int]:
        """The deployment's wards, by name in Vietnamese order."""
        return sorted((uid for uid, kind in self.kinds.items() if kind == "ward"),
                      key=lambda uid: (sort_key(self.names.get(uid, "")), uid))


def unit_tree() -> UnitTree:
    """The units' tree as the public pages need it (a city has a few hundred units: one statement)."""
    parents: dict[int, int | None] = {}
    kinds: dict[int, str] = {}
    names: dict[int, str] = {}
    codes: dict[int, str] = {}
    for uid, parent, kind, name, code in db.session.execute(
            select(Unit.id, Unit.parent_id, Unit.kind, Unit.name, Unit.code)):
        parents[uid], kinds[uid], names[uid], codes[uid] = parent, kind, name, code
    return UnitTree(parents, kinds, names, codes)


def ward_by_code(code: str) -> Unit | None:
    """The ward a public address names, or None (unknown code, or a unit that is not a ward). Imported codes are
    upper case; an address typed in lower case finds its ward too."""
    for candidate in dict.fromkeys((code, code.strip().upper())):
        ward = db.session.scalar(select(Unit).where(Unit.code == candidate, Unit.kind == "ward"))
        if ward is not None:
            return ward
    return None


def home_unit_id(user) -> int | None:
    """The unit a signed-in person belongs to for the public pages: a resident's or official's own unit; an
    organiser's or unit manager's managed unit (a ward organiser is their ward's)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.role == "organiser":
        return user.managed_unit_id
    if user.role == "unit_manager":
        return user.unit_id or user.managed_unit_id
    return user.unit_id


def sees_every_ward(user) -> bool:
    """Visitors who are not signed in read every published contest; so do the city's organisers."""
    if not getattr(user, "is_authenticated", False):
        return True
    return user.role == "organiser" and user.managed_unit_id is None


def may_take_part(user, owner_unit_id: int | None, parents: dict[int, int | None] | None = None) -> bool:
    """Whether ``user`` may open (and take) a contest owned by ``owner_unit_id``: a city-wide one, everybody; a
    ward's, the people of that ward (and the city's organisers, and visitors who are not signed in)."""
    if owner_unit_id is None or sees_every_ward(user):
        return True
    return open_to_unit(owner_unit_id, home_unit_id(user), parents)


def contest_ward(tree: UnitTree, contest) -> int | None:
    """The ward a contest belongs to, or None for a city-wide contest."""
    return tree.ward_of(contest.owner_unit_id)


def viewer_ward(tree: UnitTree, user) -> int | None:
    """The ward of a signed-in person (None: not signed in, the city's, or a unit outside any ward)."""
    return tree.ward_of(home_unit_id(user))


def home_listing(tree: UnitTree, user, contests: list) -> list[tuple[object, int | None]]:
    """The contests the home lists, each with its ward: the city-wide ones and the viewer's own ward's (with a
    single ward, that ward's for everyone who may read it)."""
    wards = tree.ward_ids
    shown = {viewer_ward(tree, user)} - {None}
    if len(wards) == 1 and sees_every_ward(user):
        shown.add(wards[0])
    return [(c, ward) for c in contests if (ward := contest_ward(tree, c)) is None or ward in shown]


def ward_listing(tree: UnitTree, user, contests: list, ward_id: int) -> tuple[list[tuple[object, int | None]], bool]:
    """The contests a ward's page lists (the ward's own, then the city-wide ones) and whether the viewer may read
    the ward's own (a signed-in person of another ward sees only the city-wide ones)."""
    allowed = sees_every_ward(user) or viewer_ward(tree, user) == ward_id
    own = [(c, ward_id) for c in contests if contest_ward(tree, c) == ward_id] if allowed else []
    return own + [(c, None) for c in contests if contest_ward(tree, c) is None], allowed
