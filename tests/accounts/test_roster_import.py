"""Importing the officials' roster (CLI and upload page), one-time codes, and their audit entries."""

import base64
import io
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.accounts.roster_service import import_roster, issue_codes
from contest.audit.models import AuditEntry
from contest.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def units(make_unit):
    return [make_unit("VP", "Văn phòng HĐND và UBND", kind="office"),
            make_unit("VHXH", "Phòng Văn hóa – Xã hội", kind="office")]


def officials() -> list[User]:
    return db.session.scalars(select(User).where(User.role == "official").order_by(User.full_name)).all()


def read_file(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_cli_imports_a_good_roster_and_writes_the_codes_once(runner, units, tmp_path):
    codes = tmp_path / "ma.xlsx"
    result = runner.invoke(args=["roster", "import", str(DATA / "roster-good.csv"), "--codes", str(codes)])
    assert result.exit_code == 0, result.output
    assert "3 người mới" in result.output
    people = officials()
    assert [p.full_name for p in people] == ["Lê Minh Châu", "Nguyễn Văn An", "Trần Thị Bình"]
    assert {p.login for p in people} == {"0912345678", "binh.tt@taymo.gov.vn", "0987111222"}
    assert all(p.must_change_password for p in people)
    rows = CalamineWorkbook.from_path(str(codes)).get_sheet_by_index(0).to_python()
    assert len([r for r in rows if re.fullmatch(r"[a-z2-9]{10}", str(r[-1]))]) == 3


def test_an_xlsx_roster_with_a_title_row_and_numeric_phone_imports(app, units):
    report = import_roster(read_file("roster-good.xlsx"), "roster-good.xlsx")
    assert report.ok, report.problems
    an = db.session.scalar(select(User).where(User.full_name == "Nguyễn Văn An"))
    assert an.phone == "0912345678" and an.birth_date.isoformat() == "1980-03-08" and an.unit.code == "VP"


def test_a_broken_roster_imports_nothing_and_names_every_row(runner, units):
    result = runner.invoke(args=["roster", "import", str(DATA / "roster-broken.csv")])
    assert result.exit_code == 1
    for row, words in ((3, "họ và tên"), (4, "PHONG-KHONG-CO"), (5, "trùng với dòng 2"), (6, "số điện thoại hoặc email")):
        assert re.search(f"Dòng {row}: .*{words}", result.output, re.IGNORECASE), (row, result.output)
    assert officials() == []


def test_reimport_updates_people_by_phone_or_email_without_duplicating(app, units):
    import_roster(read_file("roster-good.csv"), "roster-good.csv")
    changed = read_file("roster-good.csv").decode("utf-8").replace("Chuyên viên", "Phó Trưởng phòng")
    changed = changed.replace("0912 345 678;", "0912 345 678;an.nv@taymo.gov.vn")
    report = import_roster(changed.encode(), "roster-good.csv")
    assert report.ok, report.problems
    assert (report.count("create"), report.count("update"), report.count("same")) == (0, 2, 1)
    assert report.codes == []
    assert db.session.scalar(select(func.count(User.id))) == 3
    binh = db.session.scalar(select(User).where(User.email == "binh.tt@taymo.gov.vn"))
    assert binh.position == "Phó Trưởng phòng"


def test_a_phone_already_used_by_a_resident_is_refused(app, units, make_user):
    make_user(phone="0912345678")
    report = import_roster(read_file("roster-good.csv"), "roster-good.csv")
    assert not report.ok
    assert str(report.problems[0]).startswith("Dòng 2:") and "người dân" in str(report.problems[0])
    assert officials() == []


def test_importing_records_the_import_and_the_codes_in_the_audit_log(app, units):
    import_roster(read_file("roster-good.csv"), "roster-good.csv")
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["roster.import", "codes.export"]


def test_a_new_code_replaces_the_old_one(app, units, client, login):
    report = import_roster(read_file("roster-good.csv"), "roster-good.csv")
    old = next(c for c in report.codes if c.login == "0912345678")
    [new] = issue_codes(user_id=old.user_id)
    assert login("0912345678", old.code).status_code == 401
    assert login("0912345678", new.code).status_code == 302


def test_reissuing_for_a_unit_skips_people_who_chose_a_password(app, units):
    report = import_roster(read_file("roster-good.csv"), "roster-good.csv")
    chau = db.session.get(User, next(c.user_id for c in report.codes if c.full_name == "Lê Minh Châu"))
    chau.must_change_password = False
    db.session.commit()
    issued = issue_codes(unit_id=units[1].id)
    assert [c.full_name for c in issued] == ["Trần Thị Bình"]


@pytest.fixture
def organiser(make_user, client, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


def test_upload_preview_changes_nothing_then_confirm_shows_the_codes_once(units, organiser, client):
    response = client.post("/admin/roster/preview", data={"file": (io.BytesIO(read_file("roster-good.csv")),
                                                                    "roster-good.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "3 người mới" in page
    assert officials() == []
    data = re.search(r'name="payload" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/roster/import", data={"payload": data, "filename": "roster-good.csv"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert len(officials()) == 3
    assert page.count('class="slip"') == 3 and page.count('class="unit-page"') == 2
    codes = re.findall(r'class="slip-code">([a-z2-9]{10})<', page)
    assert len(codes) == 3
    xlsx = re.search(r'href="data:application/vnd\.openxmlformats[^;]+;base64,([^"]+)"', page).group(1)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(base64.b64decode(xlsx))).get_sheet_by_index(0).to_python()
    assert {str(r[-1]) for r in rows} >= set(codes)


def test_a_broken_upload_lists_the_rows_and_imports_nothing(units, organiser, client):
    response = client.post("/admin/roster/preview", data={"file": (io.BytesIO(read_file("roster-broken.csv")),
                                                                    "roster-broken.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Dòng 4:" in page and "chưa có thay đổi nào" in page
    assert officials() == []


def test_an_upload_that_is_not_a_table_gets_a_clear_message(units, organiser, client):
    response = client.post("/admin/roster/preview", data={"file": (io.BytesIO(b"%PDF-1.4"), "danh-sach.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "chỉ nhận tệp Excel" in response.get_data(as_text=True)


def test_roster_pages_are_for_organisers_only(units, client, login, make_user):
    login(make_user(role="unit_manager", login="ql", managed_unit_id=units[0].id).login)
    assert client.get("/admin/roster").status_code == 403
    assert client.post("/admin/roster/codes", data={}).status_code == 403


@pytest.mark.parametrize("unit_id", ["abc", "-1", "1 OR 1=1", str(2**63)])
def test_a_bad_unit_id_on_the_codes_action_issues_no_code(client, make_user, login, make_unit, unit_id):
    make_unit("VP", "Văn phòng", kind="office")
    issued = import_roster("Họ và tên,Đơn vị,Số điện thoại\nNguyễn Văn An,VP,0912345678\n".encode(), "r.csv").codes
    make_user(role="organiser", login="btc")
    login("btc")
    response = client.post("/admin/roster/codes", data={"unit_id": unit_id})
    assert response.status_code == 422 and "không hợp lệ" in response.get_data(as_text=True)
    official = db.session.scalar(select(User).where(User.phone == "0912345678"))
    db.session.refresh(official)
    assert official.check_password(issued[0].code)  # the code handed out still works
