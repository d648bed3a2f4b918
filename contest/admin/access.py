"""Role checks for organiser and unit-manager routes, and the scope of a ward organiser.

A ward organiser (an organiser with a managed unit) is confined to that unit's subtree: every console view that
takes an id loads it through one of the ``*_or_404`` loaders below, which answer 404 for anything outside the
signed-in organiser's scope (as if it did not exist), never 403 with data. The city's organisers (no managed
unit) see everything; unit managers keep their narrower figures pages (:func:`staff_page`).
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import or_, select

from contest.accounts.management import people_of_units
from contest.accounts.models import User
from contest.attempts.models import Attempt
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.units import scope
from contest.units.models import Unit
from contest.units.service import visible_unit_ids

STAFF_ROLES = ("organiser", "unit_manager")
__all__ = ["attempt_or_404", "console_refusal", "contest_or_404", "contests_seen", "may_see_contest",
           "person_or_404", "refusal", "round_or_404", "staff_page", "unit_or_404",
           "visible_unit_ids"]


def refusal(roles: tuple[str, ...]):
    """None when the signed-in user has one of ``roles``; else the sign-in redirect or a 403."""
    if not current_user.is_authenticated:
        from contest.extensions import login_manager

        return login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403)
    return None


def staff_page(view):
    """Mark a console view that unit managers may open too (the console's gate reads the mark); the view
    itself must restrict what it shows with :func:`visible_unit_ids`."""
    view.staff_page = True
    return view


def console_refusal(view) -> object | None:
    """The console's gate: organisers everywhere, unit managers only on views marked :func:`staff_page`."""
    return refusal(STAFF_ROLES if getattr(view, "staff_page", False) else ("organiser",))


def contest_or_404(contest_id: int) -> Contest:
    """The contest, if the signed-in organiser may manage it (a ward organiser: their ward's contests)."""
    contest = db.session.get(Contest, contest_id)
    if contest is None or not scope.may_manage(current_user, contest.owner_unit_id):
        abort(404)
    return contest


def round_or_404(round_id: int, contest_id: int | None = None) -> Round:
    """The round (of ``contest_id`` when given), if the signed-in organiser may manage its contest."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or (contest_id is not None and round_.contest_id != contest_id) \
            or not scope.may_manage(current_user, round_.contest.owner_unit_id):
        abort(404)
    return round_


def attempt_or_404(attempt_id: int) -> Attempt:
    """The attempt, if the signed-in organiser may manage the contest it was made in."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not scope.may_manage(current_user, attempt.round.contest.owner_unit_id):
        abort(404)
    return attempt


def unit_or_404(unit_id: int) -> Unit:
    """The unit, if it is inside the signed-in user's scope (a ward organiser: their ward's units)."""
    unit = db.session.get(Unit, unit_id)
    visible = visible_unit_ids(current_user)
    if unit is None or (visible is not None and unit.id not in visible):
        abort(404)
    return unit


def person_or_404(user_id: int) -> User:
    """The account, if its person belongs to the signed-in organiser's scope (a ward organiser: people whose
    unit, or managed unit, is in their ward)."""
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    condition = people_of_units(visible_unit_ids(current_user))
    if condition is not None and db.session.scalar(select(User.id).where(User.id == person.id, condition)) is None:
        abort(404)
    return person


def may_see_contest(user, owner_unit_id: int | None) -> bool:
    """Whether ``user`` may see their units' slice of a contest's figures: the contests they manage, and for a
    ward organiser also the city-wide ones (:func:`contest.units.scope.may_read`), which their ward's people take
    part in. Unit managers see every contest, restricted to their units."""
    return not scope.is_scoped(user) or scope.may_read(user, owner_unit_id)


def contests_seen(query, user):
    """``query`` (a select of ``Contest``) narrowed to the contests ``user`` may see (:func:`may_see_contest`)."""
    if not scope.is_scoped(user):
        return query
    owners = (scope.owned_unit_ids(user) or set()) | set(scope.ancestor_ids(user.managed_unit_id))
    return query.where(or_(Contest.owner_unit_id.is_(None), Contest.owner_unit_id.in_(sorted(owners) or [-1])))
