"""Pages and exports name people through one loader, accounts.service.people_by_id."""

from contest.accounts import service


def test_people_by_id_loads_every_account_across_chunks_and_skips_none(app, make_user, monkeypatch):
    monkeypatch.setattr(service, "_PEOPLE_CHUNK", 2)
    users = [make_user() for _ in range(5)]
    found = service.people_by_id([u.id for u in users] + [None, users[0].id])
    assert sorted(found) == sorted(u.id for u in users) and found[users[3].id].full_name == users[3].full_name
