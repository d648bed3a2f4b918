"""A small city for the public pages and registration (imported by tests/wards/test_public_*.py and
test_registration_*.py): the city, two wards each with a residential group and an office."""

from types import SimpleNamespace

import pytest

from contest.extensions import db


@pytest.fixture
def city(make_unit):
    """The city unit, wards A (Phường Tây Mỗ) and B (Phường Đại Mỗ), a residential group and an office in each."""
    top = make_unit("HN", "Thành phố Hà Nội", kind="city")
    ward_a = make_unit("P-TAYMO", "Phường Tây Mỗ", kind="ward", parent=top)
    ward_b = make_unit("P-DAIMO", "Phường Đại Mỗ", kind="ward", parent=top)
    return SimpleNamespace(
        top=top, a=ward_a, b=ward_b,
        group_a=make_unit("TM-TDP1", "Tổ dân phố số 1 Tây Mỗ", kind="residential", parent=ward_a),
        office_a=make_unit("TM-VP", "Văn phòng UBND phường Tây Mỗ", kind="office", parent=ward_a),
        group_b=make_unit("DM-TDP1", "Tổ dân phố số 1 Đại Mỗ", kind="residential", parent=ward_b),
        office_b=make_unit("DM-VP", "Văn phòng UBND phường Đại Mỗ", kind="office", parent=ward_b))


@pytest.fixture
def owned_round(make_round):
    """A published contest's open round, owned by ``owner`` (a unit, or None for the whole deployment)."""

    def create(owner, title=None, **fields):
        round_ = make_round(**fields)
        round_.contest.owner_unit_id = owner.id if owner is not None else None
        if title:
            round_.contest.title = title
        db.session.commit()
        return round_

    return create
