"""Lists and summaries organisers read: units grouped by kind in Vietnamese order, a round's topic counts."""

from pathlib import Path

import pytest

import contest.demo
from contest.units.service import import_units, list_units


@pytest.fixture
def ward_units(app):
    path = Path(contest.demo.__file__).parent / "don-vi-phuong-mau.csv"
    assert import_units(path.read_bytes(), "don-vi.csv").ok


def test_units_are_grouped_by_kind_and_in_vietnamese_order(ward_units):
    names = [u.name for u in list_units()]
    assert names[:3] == ["Phòng Kinh tế – Hạ tầng – Đô thị", "Phòng Văn hóa – Xã hội", "Văn phòng HĐND và UBND phường"]
    residential = [u.name for u in list_units() if u.kind == "residential"]
    assert residential == [f"Tổ dân phố số {n}" for n in range(1, 15)]
    assert names[-14:] == residential


def test_residents_forms_list_the_residential_groups_first(ward_units):
    assert [u.name for u in list_units(residential_first=True)][:2] == ["Tổ dân phố số 1", "Tổ dân phố số 2"]


def test_units_page_shows_a_heading_per_kind(client, make_user, login, ward_units):
    make_user(role="organiser", login="btc")
    login("btc")
    page = client.get("/admin/units").get_data(as_text=True)
    assert page.count('class="group-row"') == 5
    assert page.index("Cơ quan, phòng chuyên môn") < page.index("Trung tâm") < page.index(">Tổ dân phố<")


def test_round_summary_opens_its_topic_list_without_a_stray_space(client, make_user, login, make_round):
    round_ = make_round()
    make_user(role="organiser", login="btc")
    login("btc")
    page = client.get(f"/admin/contests/{round_.contest.id}").get_data(as_text=True)
    assert "câu (Cải cách" in page
    assert "( " not in page
