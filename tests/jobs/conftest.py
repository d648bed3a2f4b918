"""Fixtures of the job tests: the exports ward, an organiser and a unit manager signed in."""

import pytest

from tests.exports.conftest import take, ward  # noqa: F401


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


@pytest.fixture
def manager(client, make_user, login, ward):  # noqa: F811
    user = make_user(role="unit_manager", login="kdc1", managed_unit_id=ward["area"].id)
    login("kdc1")
    return user
