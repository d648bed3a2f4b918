"""Role checks for organiser routes."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user


def organiser_required(view):
    """Let only signed-in organisers through: anonymous visitors go to the sign-in page, others get 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            from contest.extensions import login_manager

            return login_manager.unauthorized()
        if current_user.role != "organiser":
            abort(403)
        return view(*args, **kwargs)

    return wrapped
