"""Set-up pages: units upload and headcounts, and the audit entries of contests, rounds and blueprints."""

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEntry
from contest.extensions import db
from contest.units.models import Unit
from tests.conftest import DATA


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def upload(client, name):
    with open(DATA / name, "rb") as handle:
        return client.post("/admin/units/import", data={"file": (handle, name)},
                           content_type="multipart/form-data")


def test_units_file_uploaded_from_the_console_is_imported_and_audited(client, organiser):
    response = upload(client, "units-good.csv")
    assert response.status_code == 302
    assert db.session.scalar(select(Unit.id)) is not None
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "units.import" and entry.actor_login == "btc" and entry.changes["created"] > 0


def test_units_file_with_errors_lists_them_and_changes_nothing(client, organiser):
    response = upload(client, "units-broken.csv")
    assert response.status_code == 422
    assert "<li>Dòng 2:" in response.get_data(as_text=True)
    assert db.session.scalar(select(Unit.id)) is None and db.session.scalar(select(AuditEntry)) is None


def test_units_upload_without_a_file_explains(client, organiser):
    response = client.post("/admin/units/import", data={}, follow_redirects=True)
    assert "Vui lòng chọn tệp" in response.get_data(as_text=True)


def test_headcount_edit_is_saved_and_audited(client, organiser, make_unit):
    unit = make_unit(headcount=100)
    client.post(f"/admin/units/{unit.id}/edit", data={"name": unit.name, "headcount": "650"})
    db.session.refresh(unit)
    entry = db.session.scalar(select(AuditEntry))
    assert unit.headcount == 650 and entry.action == "unit.edit" and entry.changes == {"headcount": [100, 650]}


def test_negative_headcount_is_refused(client, organiser, make_unit):
    unit = make_unit(headcount=100)
    response = client.post(f"/admin/units/{unit.id}/edit", data={"name": unit.name, "headcount": "-5"})
    assert response.status_code == 422 and "không âm" in response.get_data(as_text=True)


def test_contest_creation_and_edit_are_audited_with_changes(client, organiser):
    client.post("/admin/contests/new", data={"title": "Cuộc thi A", "kind": "contest", "audience": "residents"})
    contest_id = db.session.scalar(select(AuditEntry.target_id))
    client.post(f"/admin/contests/{contest_id}/edit", data={"title": "Cuộc thi B", "kind": "contest",
                                                            "audience": "residents"})
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["contest.create", "contest.edit"]
    assert entries[1].changes["title"] == ["Cuộc thi A", "Cuộc thi B"] and entries[1].target_type == "contests"


def test_blueprint_save_is_audited(client, organiser, make_round, small_bank):
    from contest.banks.models import Topic

    round_ = make_round()
    topic = db.session.scalar(select(Topic).order_by(Topic.name))
    client.post(f"/admin/contests/{round_.contest_id}/rounds/{round_.id}/blueprint",
                data={f"n-residents-{topic.id}-all": "1", "bank": round_.banks[0].id})
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "blueprint.edit"))
    assert entry.target_id == str(round_.id)


def test_blueprint_refusal_names_every_short_topic(client, organiser, make_round, small_bank):
    from contest.banks.models import Topic

    round_ = make_round()
    topics = db.session.scalars(select(Topic)).all()
    response = client.post(f"/admin/contests/{round_.contest_id}/rounds/{round_.id}/blueprint",
                           data={"bank": round_.banks[0].id, **{f"n-residents-{t.id}-all": "9" for t in topics}})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and all(f"“{t.name}”" in body for t in topics)
