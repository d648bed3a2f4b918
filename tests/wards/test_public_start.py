"""Who may start what (issue 19): a ward's contest is open only to the people of that ward; starting it from another
ward is refused as if it did not exist (404), and the check keeps the start path lean."""

from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event, func, select

from contest.attempts.draw_cache import round_terms
from contest.attempts.models import Attempt
from contest.contests.public import home_unit_id
from contest.extensions import db
from contest.units.models import Unit
from contest.units.scope import open_to_unit
from tests.wards import city_fixtures

city, owned_round = city_fixtures.city, city_fixtures.owned_round  # the fixtures, for pytest to find here
OPEN = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)


def attempts() -> int:
    return db.session.scalar(select(func.count(Attempt.id)))


def test_a_resident_of_another_ward_cannot_start_a_wards_contest(client, city, owned_round, make_user, login,
                                                                 frozen_clock):
    frozen_clock(OPEN)
    round_ = owned_round(city.a)
    login(make_user(unit=city.group_b).phone)
    response = client.post(f"/rounds/{round_.id}/start")
    assert response.status_code == 404 and attempts() == 0


def test_a_resident_of_the_ward_starts_its_contest(client, city, owned_round, make_user, login, frozen_clock):
    frozen_clock(OPEN)
    round_ = owned_round(city.a)
    login(make_user(unit=city.group_a).phone)
    response = client.post(f"/rounds/{round_.id}/start")
    assert response.status_code == 302 and attempts() == 1


def test_a_resident_of_any_ward_starts_a_city_contest(client, city, owned_round, make_user, login, frozen_clock):
    frozen_clock(OPEN)
    round_ = owned_round(city.top)
    login(make_user(unit=city.group_b).phone)
    assert client.post(f"/rounds/{round_.id}/start").status_code == 302 and attempts() == 1


def test_an_official_of_another_ward_cannot_start_a_wards_survey(client, city, owned_round, make_user, login,
                                                                 frozen_clock):
    frozen_clock(OPEN)
    round_ = owned_round(city.a, kind="survey", audience="officials")
    login(make_user(role="official", unit=city.office_b).phone)
    assert client.post(f"/rounds/{round_.id}/start").status_code == 404 and attempts() == 0


def test_starting_an_unknown_round_is_a_404(client, city, make_user, login):
    login(make_user(unit=city.group_a).phone)
    assert client.post("/rounds/999999/start").status_code == 404


@contextmanager
def statements():
    sent: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def _start_request_statements(client, round_id: int) -> int:
    with statements() as sent:
        assert client.post(f"/rounds/{round_id}/start").status_code == 302
    return len(sent)


def test_the_ward_check_costs_a_start_no_statement(app, city, owned_round, make_user, frozen_clock):
    """The same request for a city-wide round and a ward's round: the ward check is part of the statement that
    reads the round's terms."""
    frozen_clock(OPEN)
    counts = {}
    for name, round_ in (("city", owned_round(None)), ("ward", owned_round(city.a))):
        for _ in range(2):  # the first start of a round caches its draw data: the second is the one measured
            client = app.test_client()
            client.post("/login", data={"login": make_user(unit=city.group_a).phone, "password": "mat-khau-an-toan"})
            counts[name] = _start_request_statements(client, round_.id)
    assert counts["ward"] == counts["city"], counts


def test_the_start_statements_ward_check_agrees_with_open_to_unit_for_every_owner_and_person(city, owned_round,
                                                                                              make_user):
    """The check the start route makes in SQL is contest.units.scope.open_to_unit of the person's home unit as
    contest.contests.public.home_unit_id finds it: every owner (nobody, the city, a ward, a unit in a ward)
    against people of every role and home unit (and none)."""
    units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
    people = [make_user(role="official", unit=None), make_user(role="organiser"),
              make_user(role="unit_manager", unit=units[-1], managed_unit_id=units[0].id)]
    for unit in units:
        people += [make_user(unit=unit), make_user(role="organiser", managed_unit_id=unit.id),
                   make_user(role="unit_manager", managed_unit_id=unit.id)]
    disagreements = []
    for owner in [None, *units]:
        round_id = owned_round(owner).id
        for person in people:
            in_sql = round_terms(round_id, person.id).open_to_home
            if in_sql != open_to_unit(owner.id if owner else None, home_unit_id(person)):
                disagreements.append((owner and owner.code, person.role, home_unit_id(person), in_sql))
    assert disagreements == []
