"""Reading the stored standings back — pages of a group, a unit's lines, a person's line, the count —
against the simple re-implementation, over random attempts spread over units (and none) and two groups.

The stored lines are keyed by unit: a group's page is merged from one range per unit, and a person's line is
found by a binary search over their unit's range. Both recomputations are checked: the one a use case runs
in its own transaction, and the one run apart that copies a staged ranking (SQLite).
"""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, update

from contest.accounts.models import User
from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.extensions import db
from contest.ranking.lookups import _search_rank, participant_count, result_of, top_results
from contest.ranking.models import RoundResult
from contest.ranking.refresh import refresh_results
from contest.ranking.standings import tie_break_order
from contest.ranking.store import GROUP_CODES, NO_UNIT, refresh_sqlite_apart
from tests.unit.test_standings_property import STEP_ORDERS, T, attempt_lists, simple_standings

GROUPS = ("officials", "residents")


def store(round_, apart: bool) -> None:
    if apart and db.engine.dialect.name == "sqlite":
        db.session.commit()
        refresh_sqlite_apart(db.engine, round_, frozen_actual=round_.prediction_actual, at=T)
        db.session.expire_all()
    else:
        refresh_results(round_)
        db.session.commit()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=attempt_lists, places=st.lists(st.tuples(st.sampled_from([None, 0, 1]), st.sampled_from(GROUPS)),
                                          min_size=8, max_size=8),
       order=st.sampled_from(STEP_ORDERS), kind=st.sampled_from(["none", "participant_count"]),
       apart=st.booleans(), page=st.integers(1, 4))
def test_pages_units_and_each_persons_line_read_back_the_ranking(make_round, make_user, make_unit, raw, places,
                                                                  order, kind, apart, page):
    db.session.execute(delete(RoundResult))
    db.session.execute(delete(Attempt))
    round_ = make_round(audience="both", counting="best", prediction_kind=kind)
    round_.contest.tie_break = ",".join(order)
    units = [make_unit().id, make_unit().id]
    people = {n: make_user() for n in range(1, 9)}
    where = {people[n].id: (None if u is None else units[u], g) for n, (u, g) in enumerate(places, start=1)}
    numbers, attempts = {}, []
    for a in raw:
        user = people[a["user"]]
        unit_id, group = where[user.id]
        numbers[user.id] = numbers.get(user.id, 0) + 1
        finished = T + timedelta(minutes=a["finished"])
        row = Attempt(round_id=round_.id, user_id=user.id, unit_id=unit_id, group=group, number=numbers[user.id],
                      state="finished", started_at=finished - timedelta(seconds=a["duration"]), deadline=finished,
                      finished_at=finished, score=a["score"], max_score=4.0, duration_seconds=a["duration"],
                      prediction=a["prediction"])
        db.session.add(row)
        db.session.flush()
        attempts.append({**a, "id": row.id, "user": user.id, "number": row.number, "finished": finished,
                         "unit": unit_id, "group": group})
    for user in people.values():
        mark_counting_attempt(round_, user.id)
    db.session.commit()
    store(round_, apart)

    actual = round_.prediction_actual if kind != "none" else None
    steps = tie_break_order(round_.contest.tie_break)
    by_id = {a["id"]: a for a in attempts}
    for group in GROUPS:
        expected = simple_standings([a for a in attempts if a["group"] == group], "best", actual, order)
        pages, offset = [], 0
        while lines := top_results(round_, group, limit=page, offset=offset):
            pages += [(line.rank, line.attempt_id) for line in lines]
            offset += page
        assert pages == expected
        assert participant_count(round_, group) == len(expected)
        for unit_id in units:
            assert [(ln.rank, ln.attempt_id) for ln in top_results(round_, group, limit=100, unit_id=unit_id)] \
                == [(rank, a) for rank, a in expected if by_id[a]["unit"] == unit_id]
        for rank, attempt_id in expected:
            line = result_of(round_, by_id[attempt_id]["user"])
            assert (line.rank, line.attempt_id, line.group) == (rank, attempt_id, group)
            # found by the binary search itself, not by the fallback that reads the unit's lines
            place = (round_.id, GROUP_CODES[group], by_id[attempt_id]["unit"] or NO_UNIT)
            assert _search_rank(place, db.session.get(Attempt, attempt_id), steps, actual) == rank
    ranked = {by_id[a]["user"] for g in GROUPS for _, a in
              simple_standings([x for x in attempts if x["group"] == g], "best", actual, order)}
    for user in people.values():
        if user.id not in ranked:
            assert result_of(round_, user.id) is None


def test_a_refresh_run_apart_lets_a_save_commit_while_it_ranks(app, make_round, make_user, finished_attempt,
                                                              monkeypatch):
    """The ranking of a refresh run apart only reads: a taker's save commits meanwhile, without waiting."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL never locks the database for a write")
    from contest.ranking import store as ranking_store

    round_ = make_round()
    saver = make_user()
    for score in (4, 3, 2):
        finished_attempt(make_user(), round_, score=score)
    finished_attempt(saver, round_, score=1)
    saved = []
    rank = ranking_store._rank_into_staging

    def ranking_then_a_save(connection, chain):
        offsets = rank(connection, chain)
        with db.engine.connect() as other:  # another taker's request, not willing to wait for a lock
            other.exec_driver_sql("PRAGMA busy_timeout = 0")
            other.execute(update(User).where(User.id == saver.id).values(full_name="Đã lưu"))
            other.commit()
            saved.append(True)
        return offsets

    monkeypatch.setattr(ranking_store, "_rank_into_staging", ranking_then_a_save)
    db.session.commit()
    refresh_sqlite_apart(db.engine, round_, frozen_actual=None, at=T)
    assert saved == [True]
    assert [line.user_id for line in top_results(round_, "residents")][-1] == saver.id


def test_a_page_shows_the_stored_standings_when_the_refresh_cannot_write(app, make_round, make_user,
                                                                        finished_attempt, client, monkeypatch):
    """A database locked past the busy timeout leaves the standings as stored, not an error page."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: the refresh run apart")
    from sqlalchemy.exc import OperationalError

    from contest.ranking import refresh

    round_ = make_round()
    leader = make_user(full_name="Nguyễn Văn An")
    finished_attempt(leader, round_, score=4)
    refresh.fresh_results(round_)
    round_.results_refreshed_at = None
    db.session.commit()

    def locked(*args, **kwargs):
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr(refresh, "refresh_sqlite_apart", locked)
    response = client.get(f"/contests/{round_.contest.slug}/rounds/{round_.number}/standings")
    assert response.status_code == 200
    assert [line.user_id for line in top_results(round_, "residents")] == [leader.id]
