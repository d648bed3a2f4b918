"""One transaction per use case: a disqualification, its audit entry and the correction it publishes are stored
together or not at all, whatever a viewer's refresh of an open round does at the same moment.

These run real requests on real connections (no mocks): a listener on the engine only chooses the moment at
which the viewer's request runs, or reads the database from a connection of its own.
"""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, text

from contest.attempts.models import Attempt
from contest.audit.models import AuditEntry
from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.models import ResultPublication
from contest.ranking.publishing import publish_round
from contest.ranking.refresh import close_round, fresh_results
from tests.conftest import START


@pytest.fixture
def published_and_open(make_round, make_user, finished_attempt, frozen_clock, login):
    """Round 1 closed and published (A first, B second), round 2 of the same contest open with stale
    standings; an organiser signed in. Returns (A's attempt in round 1, round 2)."""
    frozen_clock(START)
    one = make_round(opens_at=START - timedelta(days=8), closes_at=START - timedelta(days=1), prizes_first=1)
    two = Round(contest=one.contest, number=2, title="Đợt 2", opens_at=START - timedelta(hours=12),
                closes_at=START + timedelta(days=6), prizes_first=1)
    db.session.add(two)
    db.session.commit()
    a, b = make_user(full_name="Người A"), make_user(full_name="Người B")
    cheat = finished_attempt(a, one, 4)
    finished_attempt(b, one, 3)
    finished_attempt(b, two, 2)
    close_round(one)
    publish_round(one)
    fresh_results(two)
    finished_attempt(a, two, 4)  # the stored standings of round 2 are now behind
    frozen_clock(START + timedelta(minutes=5))  # ... and older than the refresh interval
    make_user(role="organiser", login="btc")
    login("btc")
    return cheat, two


def _stored(attempt_id: int) -> tuple[int, int, int]:
    """(disqualified, audit entries of the disqualification, corrections), read afresh."""
    db.session.expire_all()
    disqualified = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.id == attempt_id, Attempt.disqualified_reason.is_not(None)))
    audited = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "attempt.disqualify"))
    corrected = db.session.scalar(select(func.count()).select_from(ResultPublication).where(
        ResultPublication.kind == "correction"))
    return disqualified, audited, corrected


def test_a_viewer_refreshing_an_open_round_never_splits_a_disqualification(app, client, published_and_open):
    """The viewer claims round 2's refresh once the disqualification has read the contest's rounds."""
    cheat, two = published_and_open
    slug, attempt_id, organiser_thread = two.contest.slug, cheat.id, threading.current_thread()
    codes: list[int] = []
    done = threading.Event()

    def view():
        codes.append(app.test_client().get(f"/contests/{slug}/rounds/2/standings").status_code)
        done.set()

    viewer = threading.Thread(target=view)

    def after(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread() is organiser_thread and not viewer.is_alive() and not codes \
                and "FROM rounds" in statement and "rounds.contest_id" in statement:
            viewer.start()
            done.wait(3)  # on SQLite the viewer waits for the organiser's write lock: let it wait

    event.listen(db.engine, "after_cursor_execute", after)
    try:
        response = client.post(f"/admin/attempts/{attempt_id}/disqualify", data={"reason": "Dùng hai tài khoản"})
    finally:
        event.remove(db.engine, "after_cursor_execute", after)
    viewer.join(30)
    assert response.status_code == 302 and codes == [200]
    assert _stored(attempt_id) in {(1, 1, 1), (0, 0, 0)}


def test_a_disqualification_is_not_visible_before_its_correction_is_stored(app, client, published_and_open):
    """Read from another connection at the moment the correction is written: the change is not committed
    yet (refreshing the open round did not commit it on the way)."""
    cheat, _two = published_and_open
    attempt_id, seen = cheat.id, []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO RESULT_PUBLICATIONS") and not seen:
            with db.engine.connect() as other:
                seen.append(other.execute(text("SELECT disqualified_reason FROM attempts WHERE id = :id"),
                                          {"id": attempt_id}).scalar())

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.post(f"/admin/attempts/{attempt_id}/disqualify", data={"reason": "Dùng hai tài khoản"})
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 302
    assert seen == [None]
    assert _stored(attempt_id) == (1, 1, 1)


def test_refreshing_the_standings_inside_a_use_case_commits_nothing_of_it(app, published_and_open):
    """A refresh called with uncommitted changes in the session (a use case under way) leaves them to it."""
    cheat, two = published_and_open
    cheat.disqualified_reason = "Chưa quyết định"
    db.session.flush()
    fresh_results(two)
    db.session.rollback()
    assert _stored(cheat.id) == (0, 0, 0)


def test_a_reinstatement_is_not_visible_before_its_correction_is_stored(app, client, published_and_open):
    cheat, _two = published_and_open
    assert client.post(f"/admin/attempts/{cheat.id}/disqualify", data={"reason": "Nhầm"}).status_code == 302
    _stored(cheat.id)
    two = db.session.get(Round, _two.id)
    two.results_refreshed_at -= timedelta(minutes=5)  # stale again
    db.session.commit()
    attempt_id, seen = cheat.id, []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO RESULT_PUBLICATIONS") and not seen:
            with db.engine.connect() as other:
                seen.append(other.execute(text("SELECT disqualified_reason FROM attempts WHERE id = :id"),
                                          {"id": attempt_id}).scalar())

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.post(f"/admin/attempts/{attempt_id}/reinstate", data={"reason": "Xác minh lại"})
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 302
    assert seen == ["Nhầm"]
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).disqualified_reason is None


def test_a_refresh_ranked_before_a_disqualification_does_not_overwrite_its_standings(app, client, make_round,
                                                                                     make_user, finished_attempt,
                                                                                     frozen_clock, login):
    """SQLite ranks a viewer's refresh from a snapshot, then copies it: should a use case store new standings
    in between, the copy (ranked before them) is dropped rather than stored over them."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: the refresh ranked apart, then copied")
    frozen_clock(START)
    round_ = make_round(opens_at=START - timedelta(hours=12))
    cheat = finished_attempt(make_user(), round_, 4)
    honest = make_user()
    finished_attempt(honest, round_, 3)
    fresh_results(round_)
    frozen_clock(START + timedelta(minutes=5))
    make_user(role="organiser", login="btc")
    organiser = app.test_client()
    organiser.post("/login", data={"login": "btc", "password": "mat-khau-an-toan"})
    slug, cheat_id, viewer_thread, codes = round_.contest.slug, cheat.id, threading.current_thread(), []

    def disqualify():
        codes.append(organiser.post(f"/admin/attempts/{cheat_id}/disqualify", data={"reason": "Gian lận"})
                     .status_code)

    def before(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread() is viewer_thread and statement.strip() == "BEGIN IMMEDIATE" and not codes:
            organiser_thread = threading.Thread(target=disqualify)
            organiser_thread.start()
            organiser_thread.join(30)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert client.get(f"/contests/{slug}/rounds/1/standings").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert codes == [302]
    db.session.expire_all()
    from contest.ranking.lookups import top_results

    assert [line.user_id for line in top_results(db.session.get(Round, round_.id), "residents")] == [honest.id]
