"""The periodic report's pivots in pandas (contest.reports.frames) give the figures the database's aggregates
gave (ranking.unit_figures.figure_totals and unit_lines, the one definition of unit statistics), on a generated
ward: a unit tree, two contests (one of two rounds) and a survey, both audience groups, people with several
attempts, disqualified and unfinished attempts, people without a unit, attempts outside the period."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.contests.models import Contest, Round
from contest.exports.builders import periodic_report
from contest.exports.registry import ExportParams
from contest.extensions import db
from contest.ranking.unit_figures import figure_totals, unit_lines
from contest.reports.periods import Period, utc_bounds
from contest.reports.service import periodic_figures

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PERIOD = Period(date(2026, 11, 21), date(2026, 11, 21))  # 20/11 17:00 to 21/11 17:00 UTC


@pytest.fixture
def generated(make_round, make_unit, make_user, frozen_clock):
    """About 60 people and 150 attempts drawn with a fixed seed; returns the rounds and the units."""
    frozen_clock(T0)
    rng = random.Random(18)
    tops = [make_unit(code=f"K{n}", name=f"Khu {n}", headcount=rng.choice([None, 40, 90])) for n in (1, 2, 3)]
    units = list(tops)
    for top in tops:
        for n in (1, 2):
            child = make_unit(code=f"{top.code}-{n}", name=f"{top.name} – Tổ {n}", headcount=rng.choice([None, 20]))
            child.parent = top
            units.append(child)
    db.session.commit()
    first = make_round(audience="both")
    second = Round(contest=first.contest, number=2, title="Đợt 2", opens_at=first.opens_at,
                   closes_at=first.closes_at, time_limit_minutes=20, attempts_allowed=3)
    db.session.add(second)
    other = make_round(audience="residents")
    survey = make_round(audience="officials", kind="survey")
    rounds = [first, second, other, survey]
    people = [make_user(role=rng.choice(["resident", "official"]), unit=rng.choice(units + [None]))
              for _ in range(60)]
    for person in people:
        for round_ in rng.sample(rounds, rng.randint(1, 3)):
            for number in range(1, rng.randint(1, 3) + 1):
                finished_at = T0 + timedelta(minutes=rng.randint(0, 24 * 60))
                state = "finished" if rng.random() < 0.9 else "abandoned"
                max_score = rng.choice([4.0, 4.0, 4.0, 0.0])
                score = rng.choice([None, 0.0, 1.0, 2.5, 4.0]) if state == "finished" else None
                attempt = Attempt(round_id=round_.id, user_id=person.id, unit_id=person.unit_id, number=number,
                                  group="officials" if person.role == "official" else "residents", state=state,
                                  started_at=finished_at - timedelta(minutes=10), deadline=finished_at,
                                  finished_at=finished_at if state == "finished" else None, score=score,
                                  max_score=max_score, duration_seconds=600)
                if state == "finished" and rng.random() < 0.1:
                    attempt.disqualified_reason = "Làm bài hộ"
                    attempt.disqualified_at = finished_at
                db.session.add(attempt)
                db.session.flush()
            mark_counting_attempt(round_, person.id)
    db.session.commit()
    return rounds, units


def old_round_group_figures(start, end, unit_ids):
    """The per-round pivot as it was computed before (database aggregates), as plain tuples."""
    totals = figure_totals((Attempt.round_id, Attempt.group), start=start, end=end, unit_ids=unit_ids)
    rounds = {r.id: r for r in db.session.scalars(select(Round))}
    rows = []
    for (round_id, group), (people, results, _score, ratio_sum, full, attempts) in totals.items():
        round_ = rounds[round_id]
        rows.append(((round_.contest_id, round_.number, group), (round_.contest.title, round_.title, group, people,
                                                                 attempts, ratio_sum / results if results else None,
                                                                 full)))
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def as_tuple(figures):
    return (figures.contest, figures.round, figures.group, figures.participants, figures.attempts,
            figures.mean_percent, figures.full_scores)


@pytest.mark.parametrize("scope", ["every unit", "one area"])
def test_the_per_round_pivot_is_the_database_aggregates(generated, scope):
    _rounds, units = generated
    unit_ids = None if scope == "every unit" else {units[0].id, units[3].id, units[4].id}
    start, end = utc_bounds(PERIOD)
    expected = old_round_group_figures(start, end, unit_ids)
    got = [as_tuple(r) for r in periodic_figures(start, end, unit_ids).rounds]
    assert len(expected) >= 6
    assert got == [pytest.approx(row) if row[5] is not None else row for row in expected]


@pytest.mark.parametrize("scope", ["every unit", "one area"])
def test_the_per_unit_pivot_is_the_leaderboards_lines(generated, scope):
    _rounds, units = generated
    unit_ids = None if scope == "every unit" else {units[0].id, units[3].id, units[4].id}
    start, end = utc_bounds(PERIOD)
    contest_rounds = list(db.session.scalars(select(Round).join(Contest).where(Contest.kind == "contest")))
    expected = unit_lines(contest_rounds, start=start, end=end, unit_ids=unit_ids)
    got = periodic_figures(start, end, unit_ids).units
    assert [line.unit_id for line in got] == [line.unit_id for line in expected]
    assert any(line.results for line in expected)
    for mine, before in zip(got, expected, strict=True):
        assert mine == before.__class__(**{**before.__dict__, "score_sum": pytest.approx(before.score_sum),
                                           "ratio_sum": pytest.approx(before.ratio_sum)})


def test_the_periodic_report_reads_the_attempts_once(generated, app, statements):
    with statements() as sent:
        periodic_report(ExportParams(period=PERIOD))
    assert len([s for s in sent if "FROM attempts" in s]) == 1
