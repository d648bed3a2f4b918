"""Role checks for organiser and unit-manager routes, and the units a staff member may see."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from contest.units.service import visible_unit_ids

STAFF_ROLES = ("organiser", "unit_manager")
__all__ = ["console_refusal", "refusal", "staff_page", "visible_unit_ids"]


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
