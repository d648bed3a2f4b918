"""The audit log page: browse and filter who did what and when; export the same selection."""

from __future__ import annotations

from flask import flash, render_template, request

from contest.admin import bp
from contest.audit.service import ACTIONS, AuditFilter, audit_query
from contest.extensions import db
from contest.reports.periods import PeriodError, period_from_args, utc_bounds

PER_PAGE = 50


@bp.route("/audit")
def audit():
    """The audit log, newest first, filtered by action, actor, target and dates; 50 entries a page."""
    period = None
    try:
        period = period_from_args(request.args)
    except PeriodError as exc:
        flash(str(exc), "error")
    start, end = utc_bounds(period) if period else (None, None)
    flt = AuditFilter.from_mapping(request.args, start, end)
    page = db.paginate(audit_query(flt), page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    query = dict(flt.as_dict())
    if period:
        query.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
    return render_template("admin/audit/index.html", page=page, flt=flt, actions=ACTIONS, period=period,
                           query=query)
