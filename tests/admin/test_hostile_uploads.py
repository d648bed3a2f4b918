"""Hostile files uploaded through the organiser's pages (banks, units, roster): refused in Vietnamese, in
seconds, with nothing imported; large rosters are looked up in chunks."""

import io
import time

import pytest
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.accounts.roster_service import plan_roster
from contest.banks.models import Question
from contest.extensions import db
from contest.units.models import Unit
from tests.hostile_files import corner_workbook, csv_rows, inflating_workbook, yaml_alias_bomb


@pytest.fixture
def organiser(client, make_user, login):
    make_user(role="organiser", login="btc")
    login("btc")


def post_file(client, path, data, name, **fields):
    return client.post(path, data={"file": (io.BytesIO(data), name), **fields}, content_type="multipart/form-data")


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def upload_bank(client, data, name):
    response = post_file(client, "/admin/banks/upload", data, name, bank_name="thu")
    assert response.status_code == 302
    return client.get(response.headers["Location"])


def test_a_corner_to_corner_workbook_is_refused_on_the_units_page(client, organiser):
    response = post_file(client, "/admin/units/import", corner_workbook(), "don-vi.xlsx")
    assert response.status_code == 422 and "1.048.576 dòng" in response.get_data(as_text=True)
    assert count(Unit) == 0


def test_a_corner_to_corner_workbook_is_refused_on_the_roster_page(client, organiser, make_unit):
    make_unit("VP", "Văn phòng", kind="office")
    response = post_file(client, "/admin/roster/preview", corner_workbook(), "danh-sach.xlsx")
    assert "1.048.576 dòng" in response.get_data(as_text=True)


def test_a_corner_to_corner_workbook_is_refused_on_the_bank_page(client, organiser):
    page = upload_bank(client, corner_workbook(), "ngan-hang.xlsx")
    assert page.status_code == 422 and "1.048.576 dòng" in page.get_data(as_text=True)
    assert count(Question) == 0


def test_a_workbook_inflating_past_the_cap_is_refused_on_the_bank_page(client, organiser):
    page = upload_bank(client, inflating_workbook(120), "ngan-hang.xlsx")
    assert page.status_code == 422 and "giải nén" in page.get_data(as_text=True)


def test_a_yaml_alias_bomb_is_refused_on_the_bank_page_and_on_every_later_visit(client, organiser):
    response = post_file(client, "/admin/banks/upload", yaml_alias_bomb(), "bom.yaml", bank_name="thu")
    start = time.monotonic()
    for _ in range(3):
        page = client.get(response.headers["Location"])
        assert page.status_code == 422 and "tham chiếu" in page.get_data(as_text=True)
    assert time.monotonic() - start < 5


def test_a_units_file_over_the_row_cap_is_refused_in_seconds(client, organiser):
    data = csv_rows("Mã đơn vị,Tên đơn vị,Loại", "T{n},D{n},Tổ dân phố", 155_000)
    start = time.monotonic()
    response = post_file(client, "/admin/units/import", data, "don-vi.csv")
    assert response.status_code == 422 and "20.000 dòng" in response.get_data(as_text=True)
    assert time.monotonic() - start < 10 and count(Unit) == 0


def test_a_96000_row_roster_is_refused_in_vietnamese(client, organiser, make_unit):
    make_unit("VP", "Văn phòng", kind="office")
    data = csv_rows("Họ và tên,Đơn vị,Số điện thoại", "Người {n},VP,09{n:08d}", 96_000)
    response = post_file(client, "/admin/roster/preview", data, "danh-sach.csv")
    assert response.status_code == 422 and "20.000 dòng" in response.get_data(as_text=True)
    assert count(User) == 1


def test_a_roster_over_its_own_row_cap_is_refused_in_vietnamese(client, organiser, make_unit):
    make_unit("VP", "Văn phòng", kind="office")
    data = csv_rows("Họ và tên,Đơn vị,Số điện thoại", "Người {n},VP,09{n:08d}", 5_000)
    response = post_file(client, "/admin/roster/preview", data, "danh-sach.csv")
    assert response.status_code == 422 and "tối đa 1000 người" in response.get_data(as_text=True)


def test_a_large_roster_is_looked_up_in_chunks(make_app, make_unit):
    # 45,000 phones and 45,000 e-mails, each looked up three ways: more values than one SQLite (250,000) or
    # PostgreSQL (65,535) statement takes.
    app = make_app(ROSTER_MAX_ROWS=50_000, IMPORT_MAX_ROWS=50_000)
    with app.app_context():
        make_unit("VP", "Văn phòng", kind="office")
        data = csv_rows("Họ và tên,Đơn vị,Số điện thoại,Email", "Người {n},VP,09{n:08d},n{n}@taymo.gov.vn", 45_000)
        report = plan_roster(data, "danh-sach.csv")
        assert report.ok and report.count("create") == 45_000
