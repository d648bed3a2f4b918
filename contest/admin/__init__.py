"""Organiser pages: they call other domains' services and own no models.

The blueprint is defined here, before the view modules that attach their routes to it are imported (the
microblog layout): a view module imports ``bp`` from this package and never a sibling view module. Nothing
but the app factory imports this package (an import-linter contract in pyproject.toml).
"""

from flask import Blueprint, current_app, request

from contest.admin.access import console_refusal

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _organisers_only():
    """Every page of this blueprint is for organisers only, except the few marked ``staff_page`` (the
    dashboard, unit statistics, exports) that unit managers see restricted to their unit."""
    return console_refusal(current_app.view_functions.get(request.endpoint))


from contest.admin import (  # noqa: E402  (the views need ``bp`` above)
    audit,
    bank_editor,
    banks,
    certificates,
    dashboard,
    exports,
    jobs,
    results,
    rosters,
    routes,
    surveys,
    units,
    users,
    workflow,
)

__all__ = ["audit", "bank_editor", "banks", "bp", "certificates", "dashboard", "exports", "jobs", "results", "rosters", "routes",
           "surveys", "units", "users", "workflow"]
