"""Public results pages: a round's winners (with corrections), the unit leaderboard with the collective
ranking, the weekly announcement, and the whole-contest standings. Names follow the consent to publication:
in full with it, initials without; phone, CCCD and birth date are never shown."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from contest import clock
from contest.accounts.service import people_by_id
from contest.contests.models import COLLECTIVE_FORMULAS, GROUPS, Contest, Round
from contest.extensions import db
from contest.ranking.leaderboard import SORT_KEYS, sort_lines
from contest.ranking.models import ResultPublication
from contest.ranking.overall import announcement as build_announcement
from contest.ranking.overall import contest_standings
from contest.ranking.page_cache import public_page
from contest.ranking.prizes import TIERS, compare_winners
from contest.ranking.publishing import ROUND_KEY, UNIT_KEY, publications, unfilled_notes, unit_awards
from contest.ranking.refresh import fresh_results
from contest.ranking.standings import SCORE_BANDS
from contest.ranking.unit_figures import unit_lines
from contest.ranking.wards import is_city_wide, lines_in_ward, spans_wards, ward_lines

bp = Blueprint("ranking", __name__)


def public_contest(slug: str) -> Contest:
    """A published contest with public ranking (organisers also see unpublished ones), else 404."""
    contest = db.session.scalar(select(Contest).where(Contest.slug == slug))
    organiser = current_user.is_authenticated and current_user.role == "organiser"
    if contest is None or (not contest.is_published and not organiser) or contest.kind != "contest":
        abort(404)
    return contest


def round_of(contest: Contest, number: int) -> Round:
    """The contest's round with this number, else 404."""
    round_ = next((r for r in contest.rounds if r.number == number), None)
    if round_ is None:
        abort(404)
    return round_


def corrections(history: list[ResultPublication], key: tuple) -> list[tuple[ResultPublication, list]]:
    """Each correction with what it changed against the publication before it."""
    return [(pub, compare_winners(history[i - 1].winners, pub.winners, key))
            for i, pub in enumerate(history) if i > 0]


@bp.route("/contests/<slug>/rounds/<int:number>/winners")
def winners(slug: str, number: int):
    """A round's published winners per group, with every correction (đính chính) made since."""
    contest = public_contest(slug)
    round_ = round_of(contest, number)
    history = publications(contest, round_)
    latest = history[-1] if history else None
    people = people_by_id(w["user_id"] for pub in history for w in pub.winners)
    return render_template("ranking/winners.html", contest=contest, round=round_, latest=latest,
                           corrections=corrections(history, ROUND_KEY), people=people, tiers=TIERS, groups=GROUPS,
                           unfilled=unfilled_notes(round_))


@bp.route("/contests/<slug>/units")
def units(slug: str):
    """The unit leaderboard of a round or of the whole contest, sortable, with the collective ranking; a
    city-wide contest taken in several wards ranks the wards, and ``?ward=CODE`` the units of one ward."""
    number = request.args.get("round", type=int)
    sort = request.args.get("sort", "rate")
    sort = sort if sort in SORT_KEYS else "rate"
    descending = request.args.get("dir", "desc") != "asc"
    ward_code = (request.args.get("ward") or "")[:40] or None

    def build() -> str:
        contest = public_contest(slug)
        round_ = round_of(contest, number) if number else None
        rounds = [round_] if round_ else list(contest.rounds)
        for r in rounds:
            fresh_results(r)
        all_lines = unit_lines(rounds)
        shown, ward, by_ward = all_lines, None, False
        if is_city_wide(contest.owner_unit_id, all_lines) and spans_wards(all_lines):
            by_ward, shown = True, ward_lines(all_lines)
            if ward_code is not None:
                ward = next((w for w in shown if w.code == ward_code), None)
                if ward is None:
                    abort(404)
                shown = lines_in_ward(all_lines, ward.unit_id)
        elif ward_code is not None:
            abort(404)
        lines = sort_lines(shown, sort, descending)
        collective, _proposed = (None, None) if round_ else unit_awards(contest, all_lines)
        history = publications(contest, None) if not round_ else []
        published = history[-1] if history else None
        return render_template("ranking/units.html", contest=contest, round=round_, lines=lines, sort=sort,
                               descending=descending, sort_keys=SORT_KEYS, collective=collective,
                               formula=COLLECTIVE_FORMULAS.get(contest.collective_formula, ""),
                               published=published, unit_corrections=corrections(history, UNIT_KEY), tiers=TIERS,
                               by_ward=by_ward, ward=ward)

    return public_page(slug, ("units", number, sort, descending, ward_code), [number] if number else None, build)


@bp.route("/contests/<slug>/rounds/<int:number>/announcement")
def announcement(slug: str, number: int):
    """The weekly announcement: participants by group, score bands, participation per unit, lowest named."""

    def build() -> str:
        contest = public_contest(slug)
        round_ = round_of(contest, number)
        data = build_announcement(round_)
        return render_template("ranking/announcement.html", contest=contest, round=round_, data=data,
                               groups=GROUPS, bands=SCORE_BANDS, now=clock.now(),
                               published=bool(publications(contest, round_)), unfilled=unfilled_notes(round_))

    return public_page(slug, ("announcement", number), [number], build)


@bp.route("/contests/<slug>/standings")
def overall(slug: str):
    """The whole contest's standings per group (sum or best of rounds, as the contest's rules say)."""

    def build() -> str:
        contest = public_contest(slug)
        tables = [(group, *contest_standings(contest, group)) for group in contest.groups]
        people = people_by_id(line.user_id for _, ranked, _ in tables for line in ranked)
        return render_template("ranking/overall.html", contest=contest, tables=tables, people=people,
                               groups=GROUPS)

    return public_page(slug, ("overall",), None, build)
