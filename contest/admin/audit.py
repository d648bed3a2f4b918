"""The audit log page: browse and filter who did what and when; export the same selection.

A ward organiser sees the entries made by the people of their ward (its organisers, unit managers, officials
and residents), never the city's or another ward's; the city's organisers see every entry.
"""

from __future__ import annotations

from flask import flash, render_template, request
from flask_login import current_user
from sqlalchemy import select

from contest.accounts.management import people_of_units
from contest.accounts.models import User
from contest.admin import bp
from contest.admin.access import visible_unit_ids
from contest.audit.models import AuditEntry
from contest.audit.service import ACTIONS, AuditFilter, audit_query
from contest.extensions import db
from contest.reports.periods import PeriodError, period_from_args, utc_bounds

PER_PAGE = 50


@bp.route("/audit")
def audit():
    """The audit log, newest first, filtered by action, actor, target and dates; 50 entries a page (a ward
    organiser: their ward's people's entries)."""
    period = None
    try:
        period = period_from_args(request.args)
    except PeriodError as exc:
        flash(str(exc), "error")
    start, end = utc_bounds(period) if period else (None, None)
    flt = AuditFilter.from_mapping(request.args, start, end)
    entries = audit_query(flt)
    people = people_of_units(visible_unit_ids(current_user))
    if people is not None:
        entries = entries.where(AuditEntry.actor_id.in_(select(User.id).where(people).correlate(None)))
    page = db.paginate(entries, page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    query = dict(flt.as_dict())
    if period:
        query.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
    return render_template("admin/audit/index.html", page=page, flt=flt, actions=ACTIONS, period=period,
                           query=query)
