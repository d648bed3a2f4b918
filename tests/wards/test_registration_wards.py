"""Registration asks for the ward, then the unit within it (issue 19); with no wards it is exactly as before."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.accounts.models import User
from contest.extensions import db
from tests.wards import city_fixtures

city = city_fixtures.city  # the fixture, for pytest to find here


@pytest.fixture
def details(frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))

    def build(unit_id):
        return {"full_name": "Nguyễn Văn An", "birth_date": "1990-05-17", "gender": "nam", "phone": "0912345678",
                "password": "mat-khau-dai", "password_confirm": "mat-khau-dai", "unit_id": str(unit_id),
                "consent_participate": "y"}

    return build


def options(html: str) -> set[str]:
    return {label for value, label in re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]+)</option>', html)
            if value != "0"}


def test_registration_first_asks_for_the_ward_with_a_link_to_each(client, city):
    html = client.get("/register").get_data(as_text=True)
    assert 'href="/register?ward=P-TAYMO"' in html and 'href="/register?ward=P-DAIMO"' in html
    assert "<select" not in html


def test_the_unit_list_of_a_ward_holds_only_that_wards_units(client, city):
    html = client.get("/register?ward=P-TAYMO").get_data(as_text=True)
    assert options(html) == {"Tổ dân phố số 1 Tây Mỗ", "Văn phòng UBND phường Tây Mỗ"}


def test_a_resident_registers_in_a_unit_of_the_chosen_ward(client, city, details):
    response = client.post("/register?ward=P-TAYMO", data=details(city.group_a.id))
    assert response.status_code == 302
    assert db.session.scalar(select(User.unit_id)) == city.group_a.id


def test_a_unit_of_another_ward_is_refused_in_vietnamese(client, city, details):
    response = client.post("/register?ward=P-TAYMO", data=details(city.group_b.id))
    assert response.status_code == 422 and "Lựa chọn không hợp lệ" in response.get_data(as_text=True)
    assert db.session.scalar(select(User.id)) is None


def test_an_unknown_ward_in_the_registration_address_is_a_404(client, city):
    assert client.get("/register?ward=KHONG-CO").status_code == 404


def test_a_wards_page_links_to_registration_in_that_ward(client, city):
    html = client.get("/p/P-DAIMO/").get_data(as_text=True)
    assert 'href="/register?ward=P-DAIMO"' in html


def test_with_a_single_ward_registration_goes_straight_to_its_units(client, make_unit):
    top = make_unit("TP", "Thành phố", kind="city")
    only = make_unit("PHUONG", "Phường", kind="ward", parent=top)
    make_unit("TDP-1", "Tổ dân phố số 1", kind="residential", parent=only)
    assert options(client.get("/register").get_data(as_text=True)) == {"Tổ dân phố số 1"}


def test_with_no_wards_registration_lists_every_unit_as_before(client, make_unit):
    make_unit("VP", "Văn phòng", kind="office")
    make_unit("TDP-1", "Tổ dân phố số 1", kind="residential")
    assert options(client.get("/register").get_data(as_text=True)) == {"Văn phòng", "Tổ dân phố số 1"}


def test_a_residents_profile_lists_only_the_units_of_their_ward(client, city, make_user, login):
    login(make_user(unit=city.group_a).phone)
    html = client.get("/account/edit").get_data(as_text=True)
    assert options(html) == {"Tổ dân phố số 1 Tây Mỗ", "Văn phòng UBND phường Tây Mỗ"}


def test_moving_to_another_wards_unit_by_a_profile_edit_is_refused(client, city, make_user, login):
    resident = make_user(unit=city.group_a)
    login(resident.phone)
    response = client.post("/account/edit", data={"full_name": "Nguyễn Văn An", "unit_id": str(city.group_b.id)})
    assert response.status_code == 422
    assert db.session.get(User, resident.id).unit_id == city.group_a.id


def test_a_profile_edit_within_the_ward_is_saved(client, city, make_user, login):
    resident = make_user(unit=city.group_a)
    login(resident.phone)
    response = client.post("/account/edit", data={"full_name": "Nguyễn Văn An", "unit_id": str(city.office_a.id)})
    assert response.status_code == 302
    assert db.session.get(User, resident.id).unit_id == city.office_a.id
