"""Public pages per ward (issue 19): each ward's page lists its contests and the city-wide ones; the city home lists
the city-wide contests and links to the wards; signed-in people see their own ward's contests, never another's."""

from tests.wards import city_fixtures

city, owned_round = city_fixtures.city, city_fixtures.owned_round  # the fixtures, for pytest to find here


def page(client, path):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_a_wards_page_lists_its_contests_and_the_city_wide_ones(client, city, owned_round):
    owned_round(city.a, title="Cuộc thi của Tây Mỗ")
    owned_round(city.top, title="Cuộc thi toàn thành phố")
    owned_round(city.b, title="Cuộc thi của Đại Mỗ")
    status, html = page(client, "/p/P-TAYMO/")
    assert status == 200
    assert "Cuộc thi của Tây Mỗ" in html and "Cuộc thi toàn thành phố" in html
    assert "Cuộc thi của Đại Mỗ" not in html


def test_city_wide_contests_are_marked_for_the_whole_city(client, city, owned_round):
    owned_round(None, title="Cuộc thi toàn thành phố")
    _, html = page(client, "/p/P-TAYMO/")
    assert "Toàn thành phố" in html


def test_an_unknown_ward_code_is_a_vietnamese_404(client, city):
    status, html = page(client, "/p/KHONG-CO/")
    assert status == 404 and "Không tìm thấy trang" in html


def test_a_unit_that_is_not_a_ward_has_no_ward_page(client, city):
    assert client.get(f"/p/{city.group_a.code}/").status_code == 404


def test_the_city_home_lists_city_wide_contests_and_links_to_each_ward(client, city, owned_round):
    owned_round(city.top, title="Cuộc thi toàn thành phố")
    owned_round(city.a, title="Cuộc thi của Tây Mỗ")
    status, html = page(client, "/")
    assert status == 200 and "Cuộc thi toàn thành phố" in html
    assert "Cuộc thi của Tây Mỗ" not in html
    assert 'href="/p/P-TAYMO/"' in html and 'href="/p/P-DAIMO/"' in html


def test_a_signed_in_resident_sees_on_the_home_their_wards_contests_but_not_anothers(
        client, city, owned_round, make_user, login):
    owned_round(city.a, title="Cuộc thi của Tây Mỗ")
    owned_round(city.b, title="Cuộc thi của Đại Mỗ")
    owned_round(city.top, title="Cuộc thi toàn thành phố")
    resident = make_user(unit=city.group_a)
    login(resident.phone)
    _, html = page(client, "/")
    assert "Cuộc thi của Tây Mỗ" in html and "Cuộc thi toàn thành phố" in html
    assert "Cuộc thi của Đại Mỗ" not in html


def test_an_official_of_a_ward_sees_that_wards_contests_on_the_home(client, city, owned_round, make_user, login):
    owned_round(city.b, title="Cuộc thi của Đại Mỗ", audience="officials")
    official = make_user(role="official", unit=city.office_b)
    login(official.phone)
    _, html = page(client, "/")
    assert "Cuộc thi của Đại Mỗ" in html


def test_a_resident_of_another_ward_sees_only_city_wide_contests_on_a_wards_page(
        client, city, owned_round, make_user, login):
    owned_round(city.a, title="Cuộc thi của Tây Mỗ")
    owned_round(city.top, title="Cuộc thi toàn thành phố")
    login(make_user(unit=city.group_b).phone)
    status, html = page(client, "/p/P-TAYMO/")
    assert status == 200 and "Cuộc thi toàn thành phố" in html
    assert "Cuộc thi của Tây Mỗ" not in html


def test_a_resident_of_another_ward_gets_404_on_a_wards_contest_page(client, city, owned_round, make_user, login):
    round_ = owned_round(city.a)
    login(make_user(unit=city.group_b).phone)
    assert client.get(f"/contests/{round_.contest.slug}").status_code == 404


def test_a_resident_of_the_ward_opens_its_contest_page(client, city, owned_round, make_user, login):
    round_ = owned_round(city.a)
    login(make_user(unit=city.group_a).phone)
    assert client.get(f"/contests/{round_.contest.slug}").status_code == 200


def test_a_visitor_not_signed_in_reads_a_wards_contest_page(client, city, owned_round):
    round_ = owned_round(city.a)
    assert client.get(f"/contests/{round_.contest.slug}").status_code == 200


def test_a_wards_standings_stay_public_to_people_of_other_wards(client, city, owned_round, make_user, login):
    round_ = owned_round(city.a)
    login(make_user(unit=city.group_b).phone)
    assert client.get(f"/contests/{round_.contest.slug}/rounds/1/standings").status_code == 200


def test_the_share_link_of_a_wards_contest_still_leads_to_its_page(client, city, owned_round):
    round_ = owned_round(city.a)
    response = client.get(f"/c/{round_.contest.share_code}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/contests/{round_.contest.slug}")


def test_a_ward_organiser_of_another_ward_gets_404_on_an_unpublished_contest(
        client, city, owned_round, make_user, login):
    round_ = owned_round(city.a)
    round_.contest.is_published = False
    from contest.extensions import db

    db.session.commit()
    make_user(role="organiser", login="btc-daimo", managed_unit_id=city.b.id)
    login("btc-daimo")
    assert client.get(f"/contests/{round_.contest.slug}").status_code == 404


def test_the_city_organiser_opens_every_wards_contest(client, city, owned_round, make_user, login):
    round_ = owned_round(city.a)
    make_user(role="organiser", login="btc-thanhpho")
    login("btc-thanhpho")
    assert client.get(f"/contests/{round_.contest.slug}").status_code == 200


def test_with_no_ward_units_the_home_lists_every_contest_without_ward_marks(client, make_round):
    make_round()
    html = client.get("/").get_data(as_text=True)
    assert "Cuộc thi 1" in html and "Toàn thành phố" not in html and "/p/" not in html


def test_with_a_single_ward_the_home_lists_that_wards_contests(client, make_unit, owned_round):
    top = make_unit("TP", "Thành phố", kind="city")
    only = make_unit("PHUONG", "Phường", kind="ward", parent=top)
    owned_round(only, title="Cuộc thi của phường")
    html = client.get("/").get_data(as_text=True)
    assert "Cuộc thi của phường" in html


def test_the_cccd_page_of_another_wards_contest_is_a_404(client, city, owned_round, make_user, login):
    round_ = owned_round(city.a, requires_cccd=True)
    login(make_user(unit=city.group_b).phone)
    assert client.get(f"/contests/{round_.contest.slug}/cccd").status_code == 404


def test_the_cccd_page_of_the_wards_own_contest_opens(client, city, owned_round, make_user, login):
    round_ = owned_round(city.a, requires_cccd=True)
    login(make_user(unit=city.group_a).phone)
    assert client.get(f"/contests/{round_.contest.slug}/cccd").status_code == 200


def test_a_ward_code_typed_in_lower_case_finds_the_ward(client, city):
    assert client.get("/p/p-taymo/").status_code == 200
