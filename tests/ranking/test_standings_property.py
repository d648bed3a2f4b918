"""The standings stored by SQL (the million-attempt path) against the simple re-implementation."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from contest.accounts.models import User
from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.extensions import db
from contest.ranking.lookups import top_results
from contest.ranking.models import RoundResult
from contest.ranking.refresh import refresh_results
from tests.unit.test_standings_property import STEP_ORDERS, T, attempt_lists, simple_standings


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=attempt_lists, rule=st.sampled_from(["best", "first", "last"]), order=st.sampled_from(STEP_ORDERS),
       kind=st.sampled_from(["none", "participant_count", "full_score_count"]))
def test_stored_standings_match_a_simple_reimplementation(make_round, make_user, raw, rule, order, kind):
    db.session.execute(delete(RoundResult))
    db.session.execute(delete(Attempt))
    round_ = make_round(counting=rule, prediction_kind=kind)
    round_.contest.tie_break = ",".join(order)
    people = {n: make_user() for n in sorted({a["user"] for a in raw})}
    numbers, attempts = {}, []
    for a in raw:
        user: User = people[a["user"]]
        numbers[user.id] = numbers.get(user.id, 0) + 1
        finished = T + timedelta(minutes=a["finished"])
        row = Attempt(round_id=round_.id, user_id=user.id, unit_id=user.unit_id, group="residents",
                      number=numbers[user.id], state="finished", started_at=finished - timedelta(seconds=a["duration"]),
                      deadline=finished, finished_at=finished, score=a["score"], max_score=4.0,
                      duration_seconds=a["duration"], prediction=a["prediction"])
        db.session.add(row)
        db.session.flush()
        attempts.append({**a, "id": row.id, "user": user.id, "number": row.number, "finished": finished})
    for user in people.values():
        mark_counting_attempt(round_, user.id)
    refresh_results(round_)
    db.session.commit()
    stored = [(line.rank, line.attempt_id) for line in top_results(round_, "residents", limit=1000)]
    assert stored == simple_standings(attempts, rule, round_.prediction_actual if kind != "none" else None, order)
