"""Console pages for exports and unit statistics: choose a kind, a round or a period, download Excel or CSV.

Unit managers see only the kinds marked ``staff`` in the registry, restricted to their units and without
personal columns (the export service enforces both).
"""

from __future__ import annotations

import tempfile

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from contest import clock
from contest.admin import bp
from contest.admin.access import staff_page, visible_unit_ids
from contest.contests.models import Contest, Round
from contest.exports.registry import PARAMETERS, ExportKind, ExportParams, kinds_for
from contest.exports.service import FORMATS, ExportDenied, ExportError, export_kind, run_export
from contest.extensions import db
from contest.ranking.unit_figures import unit_lines
from contest.reports.periods import PeriodError, period_from_args, presets, utc_bounds

AUDIT_FILTERS = ("action", "actor", "target")


def _rounds() -> list[Round]:
    return list(db.session.scalars(select(Round).join(Contest).order_by(Contest.created_at.desc(),
                                                                        Contest.id.desc(), Round.number)))


def _today():
    return clock.to_vn(clock.now()).date()


def _read_round(args) -> Round | None:
    round_id = args.get("round", type=int)
    if not round_id:
        return None
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise ExportError("Không tìm thấy đợt thi đã chọn.")
    return round_


@bp.route("/exports")
@staff_page
def exports():
    """The exports a user may download, each with the round or period it needs."""
    kinds = kinds_for(current_user.role)
    rounds = _rounds()
    # Each kind offers only the rounds it applies to: survey reports list survey rounds, standings contest rounds.
    rounds_for = {kind.code: [r for r in rounds if kind.applies_to(r.contest.kind)] for kind in kinds}
    return render_template("admin/exports/index.html", kinds=kinds, rounds_for=rounds_for,
                           presets=presets(_today()), parameters=PARAMETERS)


def requested_kind(kind: str, args) -> tuple[ExportKind, str]:
    """The export kind and format an export form asked for (the download's query or the job's form); 404 for
    an unknown one."""
    fmt = args.get("fmt", "xlsx")
    try:
        chosen = export_kind(kind)
    except ExportError:
        abort(404)
    if fmt not in FORMATS:
        abort(404)
    return chosen, fmt


def requested_params(chosen: ExportKind, args) -> ExportParams:
    """The round, period and filters an export form sent; ExportError or PeriodError (in Vietnamese) for a bad
    round or date."""
    return ExportParams(round=_read_round(args) if "round" in chosen.parameters else None,
                        period=period_from_args(args) if "period" in chosen.parameters else None,
                        filters={k: args[k] for k in AUDIT_FILTERS if args.get(k)})


@bp.route("/exports/<kind>")
@staff_page
def export_download(kind: str):
    """Download one export as Excel or CSV; every download is written to the audit log."""
    chosen, fmt = requested_kind(kind, request.args)
    try:
        params = requested_params(chosen, request.args)
    except (ExportError, PeriodError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.exports"))
    # On disk, so a large export never sits in the worker's memory; send_file closes it after the response.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        result = run_export(chosen, params, current_user, fmt, handle)
    except ExportDenied:
        handle.close()
        abort(403)
    except ExportError as exc:
        handle.close()
        flash(str(exc), "error")
        return redirect(url_for("admin.exports"))
    handle.seek(0)
    response = send_file(handle, mimetype=FORMATS[fmt], as_attachment=True, download_name=result.filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/unit-stats")
@staff_page
def unit_stats():
    """Participation and results per unit, for a round or a period or everything (unit managers: theirs)."""
    scope = visible_unit_ids(current_user)
    round_, period = None, None
    try:
        round_ = _read_round(request.args)
        period = period_from_args(request.args)
    except (ExportError, PeriodError) as exc:
        flash(str(exc), "error")
    start, end = utc_bounds(period) if period else (None, None)
    lines = unit_lines([round_] if round_ else None, start=start, end=end, unit_ids=scope)
    query = {k: v for k, v in (("round", round_.id if round_ else None),
                               ("from", period.start.isoformat() if period else None),
                               ("to", period.end.isoformat() if period else None)) if v}
    return render_template("admin/exports/unit_stats.html", lines=lines, rounds=_rounds(), round=round_,
                           period=period, query=query, scoped=scope is not None)
