"""What a ward organiser's console holds: their ward's contests, units, people, rosters, banks to draw from,
audit entries and exports; who owns what they create (issue 19)."""

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from contest.accounts.models import User
from contest.audit.service import record
from contest.banks.importing import import_bank
from contest.banks.models import Bank
from contest.contests.models import Contest
from contest.exports.registry import ExportParams
from contest.exports.service import ExportDenied, run_export
from contest.extensions import db
from contest.jobs.models import Job
from contest.units.models import Unit
from tests.exports.conftest import take  # noqa: F401  (a fixture)

BANK_FILE = Path(__file__).parent.parent / "data" / "bank-small.yaml"


@pytest.fixture
def wards(app, make_unit, make_user, make_round):
    """A city with wards A and B; each ward a residential group, a resident, an organiser and a contest."""
    city = make_unit("HN", "Thành phố Hà Nội", kind="city", headcount=None)
    found = {"city": city, "city_organiser": make_user(role="organiser", login="btc-tp")}
    for key in ("A", "B"):
        ward = make_unit(f"P-{key}", f"Phường {key}", kind="ward", headcount=None, parent=city)
        group = make_unit(f"TDP-{key}", f"Tổ dân phố {key}", parent=ward)
        round_ = make_round()
        round_.contest.title = f"Cuộc thi của phường {key}"
        round_.contest.owner_unit_id = ward.id
        db.session.commit()
        found[key] = {"ward": ward, "group": group, "round": round_, "contest": round_.contest,
                      "resident": make_user(unit=group, full_name=f"Cư dân phường {key}"),
                      "organiser": make_user(role="organiser", login=f"btc-{key.lower()}",
                                             managed_unit_id=ward.id)}
    return found


def _units_file(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _post_units(client, data: bytes):
    return client.post("/admin/units/import", data={"file": (io.BytesIO(data), "don-vi.csv")},
                       content_type="multipart/form-data")


def test_ward_organiser_does_not_see_another_wards_contest_in_the_list(client, login, wards):
    login("btc-a")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Cuộc thi của phường A" in page and "Cuộc thi của phường B" not in page


def test_results_list_of_a_ward_organiser_holds_only_their_wards_contests(client, login, wards):
    login("btc-a")
    page = client.get("/admin/results").get_data(as_text=True)
    assert "Cuộc thi của phường A" in page and "Cuộc thi của phường B" not in page


def test_dashboard_of_a_ward_organiser_does_not_offer_another_wards_contest(client, login, wards):
    login("btc-a")
    page = client.get(f"/admin/dashboard?contest={wards['B']['contest'].id}").get_data(as_text=True)
    assert "Cuộc thi của phường A" in page and "Cuộc thi của phường B" not in page


def test_city_organiser_sees_every_wards_contest(client, login, wards):
    login("btc-tp")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Cuộc thi của phường A" in page and "Cuộc thi của phường B" in page


def test_creating_a_contest_as_a_ward_organiser_sets_their_ward_as_owner(client, login, wards):
    login("btc-a")
    response = client.post("/admin/contests/new", data={"title": "Thi phường A", "kind": "contest",
                                                         "audience": "residents",
                                                         "owner": wards["B"]["ward"].id})
    assert response.status_code == 302
    contest = db.session.scalar(select(Contest).where(Contest.title == "Thi phường A"))
    assert contest.owner_unit_id == wards["A"]["ward"].id


def test_contest_form_of_a_ward_organiser_has_no_owner_choice(client, login, wards):
    login("btc-a")
    assert 'name="owner"' not in client.get("/admin/contests/new").get_data(as_text=True)


def test_city_organiser_chooses_the_whole_city_or_a_ward(client, login, wards):
    login("btc-tp")
    page = client.get("/admin/contests/new").get_data(as_text=True)
    assert "Toàn thành phố" in page and "Phường A" in page and "Phường B" in page


def test_a_city_wide_contest_is_owned_by_the_city_unit(client, login, wards):
    login("btc-tp")
    client.post("/admin/contests/new", data={"title": "Thi toàn thành phố", "kind": "contest",
                                             "audience": "residents", "owner": 0})
    contest = db.session.scalar(select(Contest).where(Contest.title == "Thi toàn thành phố"))
    assert contest.owner_unit_id == wards["city"].id


def test_city_organiser_creates_a_contest_for_one_ward(client, login, wards):
    login("btc-tp")
    client.post("/admin/contests/new", data={"title": "Thi cho phường B", "kind": "contest",
                                             "audience": "residents", "owner": wards["B"]["ward"].id})
    contest = db.session.scalar(select(Contest).where(Contest.title == "Thi cho phường B"))
    assert contest.owner_unit_id == wards["B"]["ward"].id


def test_a_contest_without_wards_stays_the_whole_deployments(client, login, make_user):
    make_user(role="organiser", login="btc")
    login("btc")
    client.post("/admin/contests/new", data={"title": "Thi một phường", "kind": "contest", "audience": "residents"})
    assert db.session.scalar(select(Contest.owner_unit_id).where(Contest.title == "Thi một phường")) is None


def test_duplicating_a_contest_keeps_its_owner(client, login, wards):
    login("btc-a")
    original = wards["A"]["contest"]
    response = client.post(f"/admin/contests/{original.id}/duplicate", data={"title": "Bản sao phường A"})
    assert response.status_code == 302
    copy = db.session.scalar(select(Contest).where(Contest.title == "Bản sao phường A"))
    assert copy.owner_unit_id == wards["A"]["ward"].id


def test_units_page_of_a_ward_organiser_lists_only_their_ward(client, login, wards):
    login("btc-a")
    page = client.get("/admin/units").get_data(as_text=True)
    assert "Tổ dân phố A" in page and "Tổ dân phố B" not in page


def test_ward_organiser_cannot_import_a_unit_of_another_ward(client, login, wards):
    login("btc-a")
    response = _post_units(client, _units_file(["TDP-B", "Tổ dân phố B (đổi tên)", "Tổ dân phố", ""]))
    assert response.status_code == 422
    assert db.session.get(Unit, wards["B"]["group"].id).name == "Tổ dân phố B"


def test_ward_organiser_cannot_import_a_unit_under_another_ward(client, login, wards):
    login("btc-a")
    response = _post_units(client, _units_file(["TDP-A2", "Tổ dân phố A2", "Tổ dân phố", "P-B"]))
    assert response.status_code == 422
    assert db.session.scalar(select(Unit).where(Unit.code == "TDP-A2")) is None


def test_ward_organiser_cannot_import_a_ward(client, login, wards):
    login("btc-a")
    assert _post_units(client, _units_file(["P-C", "Phường C", "Phường", ""])).status_code == 422


def test_a_ward_organisers_new_top_unit_goes_under_their_ward(client, login, wards):
    login("btc-a")
    assert _post_units(client, _units_file(["TDP-A2", "Tổ dân phố A2", "Tổ dân phố", ""])).status_code == 302
    assert db.session.scalar(select(Unit).where(Unit.code == "TDP-A2")).parent_id == wards["A"]["ward"].id


def test_a_ward_organisers_import_keeps_their_ward_in_its_place(client, login, wards):
    login("btc-a")
    assert _post_units(client, _units_file(["P-A", "Phường A mới", "Tổ dân phố", ""])).status_code == 302
    ward = db.session.get(Unit, wards["A"]["ward"].id)
    assert (ward.name, ward.kind, ward.parent_id) == ("Phường A mới", "ward", wards["city"].id)


def test_people_list_of_a_ward_organiser_holds_only_their_wards_people(client, login, wards):
    login("btc-a")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Cư dân phường A" in page and "Cư dân phường B" not in page


def test_ward_organiser_cannot_make_someone_manager_of_another_wards_unit(client, login, wards):
    login("btc-a")
    resident = wards["A"]["resident"]
    client.post(f"/admin/users/{resident.id}/unit-manager", data={"unit_id": wards["B"]["group"].id})
    assert db.session.get(User, resident.id).role == "resident"


def _preview_roster(client, unit_code: str):
    data = f"STT,Họ và tên,Đơn vị,Chức vụ,Số điện thoại\n1,Nguyễn Văn An,{unit_code},Tổ trưởng,0912345678\n"
    return client.post("/admin/roster/preview", data={"file": (io.BytesIO(data.encode()), "can-bo.csv")},
                       content_type="multipart/form-data")


def test_roster_import_of_a_ward_organiser_takes_their_wards_units(client, login, wards):
    login("btc-a")
    assert _preview_roster(client, "TDP-A").status_code == 200


def test_roster_import_of_a_ward_organiser_refuses_a_unit_of_another_ward(client, login, wards):
    login("btc-a")
    assert _preview_roster(client, "TDP-B").status_code == 422


def test_roster_import_of_a_ward_organiser_refuses_another_wards_person(client, login, wards, make_user):
    make_user(role="official", unit=wards["B"]["group"], phone="0912345678")
    login("btc-a")
    assert "ngoài phạm vi" in _preview_roster(client, "TDP-A").get_data(as_text=True)


def test_roster_codes_for_another_wards_unit_are_404(client, login, wards):
    login("btc-a")
    assert client.post("/admin/roster/codes", data={"unit_id": wards["B"]["group"].id}).status_code == 404


def _ward_bank(key: str, owner_id: int | None) -> Bank:
    name = f"ngan-hang-{key}"
    assert import_bank(BANK_FILE.read_bytes(), BANK_FILE.name, name).ok
    bank = db.session.scalar(select(Bank).where(Bank.name == name))
    bank.owner_unit_id = owner_id
    db.session.commit()
    return bank


def test_blueprint_offers_a_ward_its_own_and_the_citys_banks_only(client, login, wards):
    _ward_bank("phuong-a", wards["A"]["ward"].id)
    _ward_bank("phuong-b", wards["B"]["ward"].id)
    _ward_bank("thanh-pho", wards["city"].id)
    login("btc-a")
    round_ = wards["A"]["round"]
    page = client.get(f"/admin/contests/{round_.contest_id}/rounds/{round_.id}/blueprint").get_data(as_text=True)
    assert "ngan-hang-phuong-a" in page and "ngan-hang-thanh-pho" in page
    assert "ngan-hang-phuong-b" not in page


def test_blueprint_refuses_a_posted_bank_of_another_ward(client, login, wards):
    other = _ward_bank("phuong-b", wards["B"]["ward"].id)
    login("btc-a")
    round_ = wards["A"]["round"]
    response = client.post(f"/admin/contests/{round_.contest_id}/rounds/{round_.id}/blueprint",
                           data={"bank": other.id, "action": "save"})
    assert response.status_code == 404
    assert other not in db.session.get(type(round_), round_.id).banks


def test_attempts_export_of_a_ward_organiser_holds_only_their_wards_people(client, login, wards, take):  # noqa: F811
    for key in ("A", "B"):
        take(wards[key]["resident"], wards[key]["round"])
    login("btc-a")
    text = client.get("/admin/exports/attempts?fmt=csv").get_data(as_text=True)
    assert "Cư dân phường A" in text and "Cư dân phường B" not in text


def test_an_export_by_a_ward_organiser_of_another_wards_round_is_refused_by_the_service(wards):
    params = ExportParams(round=wards["B"]["round"])
    with pytest.raises(ExportDenied):
        run_export("standings", params, wards["A"]["organiser"], "csv", io.BytesIO())


def test_audit_log_of_a_ward_organiser_shows_only_their_wards_entries(client, login, wards):
    record("unit.edit", actor=wards["A"]["organiser"], target_type="units", summary="Việc của phường A")
    record("unit.edit", actor=wards["B"]["organiser"], target_type="units", summary="Việc của phường B")
    record("unit.edit", actor=wards["city_organiser"], target_type="units", summary="Việc của thành phố")
    db.session.commit()
    login("btc-a")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Việc của phường A" in page
    assert "Việc của phường B" not in page and "Việc của thành phố" not in page


def test_audit_export_of_a_ward_organiser_shows_only_their_wards_entries(client, login, wards):
    record("unit.edit", actor=wards["A"]["organiser"], target_type="units", summary="Việc của phường A")
    record("unit.edit", actor=wards["B"]["organiser"], target_type="units", summary="Việc của phường B")
    db.session.commit()
    login("btc-a")
    text = client.get("/admin/exports/audit-log?fmt=csv").get_data(as_text=True)
    assert "Việc của phường A" in text and "Việc của phường B" not in text


def test_cli_creates_a_ward_organiser_with_unit(runner, wards):
    result = runner.invoke(args=["users", "create-organiser", "--login", "btc-moi", "--name", "Ban tổ chức A",
                                 "--password", "mat-khau-rat-dai-2026", "--unit", "p-a"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.login == "btc-moi")).managed_unit_id == wards["A"]["ward"].id


def test_cli_refuses_a_ward_organiser_of_an_unknown_unit(runner, wards):
    result = runner.invoke(args=["users", "create-organiser", "--login", "btc-moi", "--name", "Ban tổ chức",
                                 "--password", "mat-khau-rat-dai-2026", "--unit", "KHONG-CO"])
    assert result.exit_code != 0 and "KHONG-CO" in result.output
    assert db.session.scalar(select(User).where(User.login == "btc-moi")) is None


def test_a_ward_organisers_export_of_a_city_wide_round_holds_only_their_wards_people(client, login, wards,
                                                                                      make_round, take):  # noqa: F811
    city_round = make_round()
    city_round.contest.owner_unit_id = wards["city"].id
    db.session.commit()
    for key in ("A", "B"):
        take(wards[key]["resident"], city_round)
    login("btc-a")
    text = client.get(f"/admin/exports/attempts?fmt=csv&round={city_round.id}").get_data(as_text=True)
    assert "Cư dân phường A" in text and "Cư dân phường B" not in text


def test_unit_statistics_of_another_wards_round_are_404(client, login, wards):
    login("btc-a")
    assert client.get(f"/admin/unit-stats?round={wards['B']['round'].id}").status_code == 404


def test_a_ward_organisers_export_job_of_their_own_round_runs(client, login, wards):
    login("btc-a")
    response = client.post("/admin/exports/standings/job", data={"round": wards["A"]["round"].id, "fmt": "xlsx"})
    assert response.status_code == 302
    job = db.session.scalar(select(Job).where(Job.owner_id == wards["A"]["organiser"].id))
    assert (job.status, job.error) == ("done", None)
