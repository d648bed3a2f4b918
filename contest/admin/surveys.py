"""Survey report pages for organisers and unit managers (who see only their own units): participation,
the unit × topic heat map, score bands, training needs, item analysis, and the same figures as Excel.
"""

from __future__ import annotations

import io

from flask import abort, render_template, request, send_file
from flask_login import current_user

from contest import clock
from contest.admin import bp
from contest.admin.access import staff_page
from contest.contests.models import Round
from contest.exports.registry import ExportParams
from contest.exports.service import run_export
from contest.exports.writers import XLSX_MIMETYPE
from contest.extensions import db
from contest.surveys.figures import ALL, BANDS, heat_colour
from contest.surveys.item_analysis import FLAG_LABELS
from contest.surveys.service import (
    RESULTS_PER_PAGE,
    build_report,
    item_report,
    may_change_survey,
    may_view_survey,
    survey_contests,
    visible_units,
)


def _survey_round(round_id: int) -> Round:
    """The survey round, if the viewer may open its reports (another ward's survey: 404)."""
    round_ = db.get_or_404(Round, round_id)
    if round_.contest.kind != "survey" or not may_view_survey(current_user, round_.contest):
        abort(404)
    return round_


def _scope() -> set[int] | None:
    """The units the signed-in staff member may see (None: all)."""
    return visible_units(current_user)


@bp.route("/surveys")
@staff_page
def surveys():
    """The knowledge surveys and their rounds, each with a link to its reports."""
    return render_template("admin/surveys/index.html", contests=survey_contests(current_user), now=clock.now(),
                           may_change=lambda contest: may_change_survey(current_user, contest))


@bp.route("/surveys/rounds/<int:round_id>")
@staff_page
def survey_report(round_id: int):
    """Participation per unit (with who has not yet taken it), score bands and each official's result (a page
    at a time: a city's officials are thousands; the Excel report has them all)."""
    round_ = _survey_round(round_id)
    report = build_report(round_, _scope(), results_page=request.args.get("page", 1, type=int))
    participation_chart = {
        "labels": [p.unit.code for p in report.participation],
        "taken": [p.taken for p in report.participation],
        "pending": [p.invited - p.taken for p in report.participation],
    }
    band_units = [u for u in report.units if u.id in report.bands]
    bands_chart = {"labels": [u.code for u in band_units],
                   "series": [{"label": label, "data": [report.bands[u.id][key] for u in band_units]}
                              for key, label in BANDS.items()]}
    return render_template("admin/surveys/report.html", report=report, round=round_, bands=BANDS, ALL=ALL,
                           participation_chart=participation_chart, bands_chart=bands_chart, tab="participation",
                           per_page=RESULTS_PER_PAGE)


@bp.route("/surveys/rounds/<int:round_id>/heatmap")
@staff_page
def survey_heatmap(round_id: int):
    """Correct-answer rates per unit and topic, coloured as a heat map, with the whole row."""
    round_ = _survey_round(round_id)
    report = build_report(round_, _scope(), people=False)
    return render_template("admin/surveys/heatmap.html", report=report, round=round_, ALL=ALL, colour=heat_colour,
                           tab="heatmap")


@bp.route("/surveys/rounds/<int:round_id>/needs")
@staff_page
def survey_needs(round_id: int):
    """The weakest topics of each unit, worded as a training-needs list."""
    round_ = _survey_round(round_id)
    report = build_report(round_, _scope(), people=False)
    names = {t.id: t.name for t in report.topics}
    return render_template("admin/surveys/needs.html", report=report, round=round_, ALL=ALL, names=names,
                           tab="needs")


@bp.route("/surveys/rounds/<int:round_id>/items")
def survey_items(round_id: int):
    """Item analysis: facility and discrimination per question, option shares, and the questions to review.

    For organisers only: it shows the keys, and a unit manager may still have the survey to take. A ward
    organiser sees the items over their ward's attempts.
    """
    round_ = _survey_round(round_id)
    rows = item_report(round_, _scope())
    return render_template("admin/surveys/items.html", rows=rows, round=round_, flag_labels=FLAG_LABELS,
                           tab="items")


@bp.route("/surveys/rounds/<int:round_id>/report.xlsx")
@staff_page
def survey_export(round_id: int):
    """Every report of the round as one Excel workbook (restricted to the viewer's units)."""
    round_ = _survey_round(round_id)
    out = io.BytesIO()
    # The export kind "survey-report", as on the exports page, with the item sheet for an organiser.
    run_export("survey-report", ExportParams(round=round_, filters={"items": "1"}), current_user, "xlsx", out)
    out.seek(0)
    return send_file(out, mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"bao-cao-khao-sat-{round_.contest.slug}-dot-{round_.number}.xlsx")
