"""Who may see and change what in a city of wards (contest.units.scope, issue 19)."""

import pytest

from contest.units import scope
from contest.units.service import visible_unit_ids


@pytest.fixture
def city(make_unit):
    top = make_unit("HN", "Thành phố", kind="city")
    a = make_unit("PA", "Phường A", kind="ward", parent=top)
    b = make_unit("PB", "Phường B", kind="ward", parent=top)
    return {"city": top, "a": a, "b": b,
            "a_office": make_unit("PA-VP", "Văn phòng phường A", kind="office", parent=a),
            "a_group": make_unit("PA-TDP1", "Tổ dân phố 1 phường A", kind="residential", parent=a),
            "b_group": make_unit("PB-TDP1", "Tổ dân phố 1 phường B", kind="residential", parent=b)}


@pytest.fixture
def ward_organiser(make_user, city):
    return make_user(role="organiser", login="btc-a", managed_unit_id=city["a"].id)


@pytest.fixture
def city_organiser(make_user, city):
    return make_user(role="organiser", login="btc-tp")


def test_a_ward_organiser_sees_only_the_units_of_their_ward(ward_organiser, city):
    assert visible_unit_ids(ward_organiser) == {city["a"].id, city["a_office"].id, city["a_group"].id}


def test_the_city_organiser_sees_every_unit(city_organiser):
    assert visible_unit_ids(city_organiser) is None


def test_a_ward_organiser_manages_what_their_ward_owns(ward_organiser, city):
    assert scope.may_manage(ward_organiser, city["a"].id)


def test_a_ward_organiser_does_not_manage_another_wards_objects(ward_organiser, city):
    assert not scope.may_manage(ward_organiser, city["b"].id)


def test_a_ward_organiser_does_not_manage_city_wide_objects(ward_organiser, city):
    assert not scope.may_manage(ward_organiser, city["city"].id)
    assert not scope.may_manage(ward_organiser, None)


def test_the_city_organiser_manages_every_wards_objects(city_organiser, city):
    assert all(scope.may_manage(city_organiser, owner) for owner in (None, city["city"].id, city["b"].id))


def test_a_city_bank_is_readable_by_a_ward_below_it(ward_organiser, city):
    assert scope.may_read(ward_organiser, city["city"].id)
    assert scope.may_read(ward_organiser, None)


def test_another_wards_bank_is_not_readable(ward_organiser, city):
    assert not scope.may_read(ward_organiser, city["b"].id)


def test_a_residents_own_ward_contest_is_open_to_them(city):
    assert scope.open_to_unit(city["a"].id, city["a_group"].id)


def test_another_wards_contest_is_not_open_to_a_resident(city):
    assert not scope.open_to_unit(city["a"].id, city["b_group"].id)


def test_a_city_contest_is_open_to_every_ward(city):
    assert scope.open_to_unit(city["city"].id, city["b_group"].id)
    assert scope.open_to_unit(None, city["a_group"].id)


def test_a_unit_belongs_to_the_ward_above_it(city):
    assert scope.ward_of(city["a_group"].id).code == "PA"
    assert scope.ward_of(city["city"].id) is None


def test_residents_and_unit_managers_manage_nothing(make_user, city):
    resident = make_user(role="resident", unit=city["a_group"])
    manager = make_user(role="unit_manager", login="ql", managed_unit_id=city["a"].id)
    assert scope.owned_unit_ids(resident) == set() and scope.owned_unit_ids(manager) == set()
