"""Role checks for organiser and unit-manager routes, and the units a staff member may see."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

STAFF_ROLES = ("organiser", "unit_manager")


def _require(roles: tuple[str, ...]):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from contest.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


organiser_required = _require(("organiser",))
organiser_required.__doc__ = "Let only signed-in organisers through: anonymous visitors sign in, others get 403."

staff_required = _require(STAFF_ROLES)
staff_required.__doc__ = "Let organisers and unit managers through (unit managers then see only their unit)."


def visible_unit_ids(user) -> set[int] | None:
    """The units whose people and figures ``user`` may see: None means all (organisers).

    A unit manager sees their managed unit and the units below it; anyone else sees none.
    """
    if user.role == "organiser":
        return None
    if user.role == "unit_manager" and user.managed_unit_id:
        from contest.units.service import unit_subtree_ids

        return unit_subtree_ids(user.managed_unit_id)
    return set()


def open_to_staff(view):
    """Mark an organiser-area view as open to unit managers too (they then see only their units)."""
    view = staff_required(view)
    view.open_to_staff = True
    return view


def is_open_to_staff(view) -> bool:
    """Whether ``view`` was marked with :func:`open_to_staff`."""
    return bool(getattr(view, "open_to_staff", False))
