"""The audit log records who did what, and is committed with the action it describes."""

from sqlalchemy import select

from contest.audit.models import AuditEntry
from contest.audit.service import diff, record
from contest.extensions import db


def test_record_from_a_command_names_cli_as_the_actor(app):
    with app.app_context():
        record("units.import", target_type="units", summary="22 đơn vị")
        db.session.commit()
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.actor_login, entry.action, entry.summary) == ("cli", "units.import", "22 đơn vị")


def test_record_takes_type_and_id_from_a_model(app, make_unit):
    with app.app_context():
        unit = make_unit("TDP01")
        record("unit.edit", target=unit, changes={"headcount": [100, 120]})
        db.session.commit()
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.target_type, entry.target_id, entry.changes) == ("units", str(unit.id),
                                                                       {"headcount": [100, 120]})


def test_rolled_back_action_leaves_no_entry(app):
    with app.app_context():
        record("contest.create", summary="Cuộc thi thử")
        db.session.rollback()
        assert db.session.scalar(select(AuditEntry)) is None


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}
