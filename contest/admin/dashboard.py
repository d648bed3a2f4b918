"""The console's dashboard: is the contest going well? Participation today, this round and overall by
audience group, attempts per day, participation by unit (the lowest highlighted) and the score distribution.
Unit managers see the same page restricted to their unit subtree.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from contest.admin import bp
from contest.admin.access import staff_page, visible_unit_ids
from contest.contests.models import GROUPS, Contest
from contest.contests.service import current_round
from contest.extensions import db
from contest.ranking.unit_figures import unit_lines
from contest.reports.service import (
    SCORE_BINS,
    attempts_per_day,
    contest_round_ids,
    group_counts,
    score_distribution,
    today_bounds,
)


def _chosen_contest(contests: list[Contest]) -> Contest | None:
    wanted = request.args.get("contest", type=int)
    chosen = next((c for c in contests if c.id == wanted), None)
    # By default the public contest (the one a ward watches day to day), then any published one.
    return (chosen or next((c for c in contests if c.is_published and c.kind == "contest"), None)
            or next((c for c in contests if c.is_published), None) or (contests[0] if contests else None))


@bp.route("/dashboard")
@staff_page
def dashboard():
    """Participation and results of one contest at a glance (unit managers: their units only)."""
    scope = visible_unit_ids(current_user)
    contests = list(db.session.scalars(select(Contest).order_by(Contest.created_at.desc(), Contest.id.desc())))
    contest = _chosen_contest(contests)
    if contest is None:
        return render_template("admin/dashboard/index.html", contests=contests, contest=None)
    round_ids = contest_round_ids(contest)
    current = current_round(contest)
    start, end = today_bounds()
    counts = {
        "today": group_counts(round_ids=round_ids, start=start, end=end, unit_ids=scope),
        "round": group_counts(round_ids=[current.id] if current else [], unit_ids=scope),
        "contest": group_counts(round_ids=round_ids, unit_ids=scope),
    }
    lines = unit_lines(list(contest.rounds), unit_ids=scope)
    # The chart compares the units people belong to (a parent's line adds up its subtree).
    rated = sorted((line for line in lines if line.rate is not None and line.children == 0),
                   key=lambda line: -line.rate)
    lowest = min((line.rate for line in rated), default=None)
    per_day = attempts_per_day(round_ids=round_ids, unit_ids=scope)
    bins = score_distribution(round_ids=round_ids, unit_ids=scope)
    chart = {
        "days": {"labels": [f"{d:%d/%m}" for d, _ in per_day], "values": [n for _, n in per_day]},
        "units": {"labels": [line.name for line in rated],
                  "values": [round(line.rate * 100, 1) for line in rated],
                  "lowest": [line.rate == lowest for line in rated]},
        "scores": {"labels": [f"{10 * i}–{10 * (i + 1)}%" for i in range(SCORE_BINS)], "values": bins},
    }
    return render_template("admin/dashboard/index.html", contests=contests, contest=contest, current=current,
                           counts=counts, groups={g: GROUPS[g] for g in contest.groups}, lines=lines,
                           rated=rated, lowest=lowest, per_day=per_day, bins=bins, chart=chart,
                           scoped=scope is not None)
