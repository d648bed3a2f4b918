"""An existing single-ward database becomes one ward under a default city without losing anything (issue 19)."""

from sqlalchemy import func, select

from contest.banks.models import Bank
from contest.contests.models import Contest
from contest.extensions import db
from contest.units.models import Unit

MIGRATION = "_wards_own_contests_and_banks.py"


def test_a_single_ward_database_becomes_one_ward_under_a_default_city(make_unit, make_round, migrate_again):
    office = make_unit("VP", "Văn phòng", kind="office")
    group = make_unit("TDP1", "Tổ dân phố số 1", kind="residential")
    round_ = make_round()
    ids = office.id, group.id, round_.contest_id
    units_before = db.session.scalar(select(func.count(Unit.id)))
    migrate_again(MIGRATION)
    ward = db.session.scalar(select(Unit).where(Unit.kind == "ward"))
    assert ward is not None and ward.parent is not None and ward.parent.kind == "city"
    assert {db.session.get(Unit, i).parent_id for i in ids[:2]} == {ward.id}
    assert db.session.scalar(select(func.count(Unit.id))) == units_before + 2
    assert db.session.get(Contest, ids[2]).owner_unit_id == ward.id
    assert set(db.session.scalars(select(Bank.owner_unit_id))) == {ward.id}


def test_a_unit_below_another_keeps_its_parent_through_the_migration(make_unit, migrate_again):
    office = make_unit("VP", "Văn phòng", kind="office")
    team = make_unit("VP-1", "Bộ phận một cửa", kind="office", parent=office)
    ids = office.id, team.id
    migrate_again(MIGRATION)
    assert db.session.get(Unit, ids[1]).parent_id == ids[0]


def test_an_empty_database_gets_no_invented_units(migrate_again):
    migrate_again(MIGRATION)
    assert db.session.scalar(select(func.count(Unit.id))) == 0
