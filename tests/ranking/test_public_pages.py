"""Public results pages: unit leaderboard (roll-up, sorting, collective), announcement, whole contest."""

from datetime import timedelta

from contest.extensions import db
from contest.units.models import Unit
from tests.ranking.conftest import T0


def test_unit_leaderboard_rolls_children_up_into_their_parent(make_round, make_user, make_unit, finished_attempt,
                                                              client, frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    area = make_unit(code="KDC-1", name="Khu dân cư số 1", headcount=None)
    child = make_unit(name="Tổ dân phố số 21", headcount=4)
    child.parent_id = area.id
    db.session.commit()
    for score in (4, 2):
        finished_attempt(make_user(unit=child), round_, score)
    page = client.get(f"/contests/{round_.contest.slug}/units").get_data(as_text=True)
    assert "Khu dân cư số 1" in page and "(gồm 1 đơn vị trực thuộc)" in page
    assert page.count("50,0%") >= 2


def test_unit_leaderboard_sorts_by_the_chosen_column(make_round, make_user, make_unit, finished_attempt, client,
                                                     frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    big, small = make_unit(name="Tổ dân phố Lớn", headcount=1000), make_unit(name="Tổ dân phố Nhỏ", headcount=2)
    finished_attempt(make_user(unit=big), round_, 1)
    finished_attempt(make_user(unit=big), round_, 1)
    finished_attempt(make_user(unit=small), round_, 4)
    slug = round_.contest.slug
    by_rate = client.get(f"/contests/{slug}/units?sort=rate").get_data(as_text=True)
    by_people = client.get(f"/contests/{slug}/units?sort=participants").get_data(as_text=True)
    assert by_rate.index("Tổ dân phố Nhỏ") < by_rate.index("Tổ dân phố Lớn")
    assert by_people.index("Tổ dân phố Lớn") < by_people.index("Tổ dân phố Nhỏ")


def test_unit_leaderboard_shows_the_collective_ranking_with_excluded_units(make_round, make_user, make_unit,
                                                                          finished_attempt, client, frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    make_unit(name="Tổ dân phố Vắng", headcount=100)
    finished_attempt(make_user(unit=make_unit(name="Tổ dân phố Đông", headcount=1)), round_, 3)
    page = client.get(f"/contests/{round_.contest.slug}/units").get_data(as_text=True)
    assert "Xếp hạng tập thể" in page and "Tỷ lệ tham gia dưới 50%" in page


def test_weekly_announcement_counts_groups_bands_and_names_the_lowest_units(make_round, make_user, make_unit,
                                                                           finished_attempt, client, frozen_clock):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round(audience="both")
    low = make_unit(name="Tổ dân phố Ít người thi", headcount=1000)
    for score in (4, 3, 0):
        finished_attempt(make_user(unit=low), round_, score)
    finished_attempt(make_user(role="official", unit=make_unit(name="Văn phòng", headcount=3)), round_, 2)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/announcement").get_data(as_text=True)
    assert "Người dân: <strong>3</strong>" in page and "Cán bộ, công chức, viên chức: <strong>1</strong>" in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    counts = [cell.split("</td>")[0] for cell in rows.split('<td class="num">')[1::2]]
    assert counts == ["1", "1", "1", "1"]  # 100 %, ≥ 75 %, 25–75 %, < 25 %
    assert "thấp nhất:" in page and "<strong>Tổ dân phố Ít người thi</strong>" in page


def test_whole_contest_standings_add_up_rounds(make_round, make_user, finished_attempt, client, frozen_clock):
    from contest.contests.models import Round

    frozen_clock(T0 + timedelta(hours=1))
    one = make_round()
    two = Round(contest=one.contest, number=2, title="Đợt 2", opens_at=one.opens_at, closes_at=one.closes_at)
    db.session.add(two)
    db.session.commit()
    steady = make_user(full_name="Bùi Văn Đều", publish_name=True)
    once = make_user(full_name="Lý Thị Một", publish_name=True)
    finished_attempt(steady, one, 3)
    finished_attempt(steady, two, 3)
    finished_attempt(once, one, 4)
    page = client.get(f"/contests/{one.contest.slug}/standings").get_data(as_text=True)
    assert page.index("Bùi Văn Đều") < page.index("Lý Thị Một")


def test_results_pages_of_an_unpublished_contest_are_hidden(make_round, client):
    round_ = make_round()
    round_.contest.is_published = False
    db.session.commit()
    slug = round_.contest.slug
    assert client.get(f"/contests/{slug}/units").status_code == 404
    assert client.get(f"/contests/{slug}/rounds/1/winners").status_code == 404
    assert client.get(f"/contests/{slug}/rounds/9/announcement").status_code == 404


def test_unknown_sort_column_falls_back_to_the_rate(make_round, client):
    round_ = make_round()
    assert client.get(f"/contests/{round_.contest.slug}/units?sort=drop-table").status_code == 200
    assert db.session.query(Unit).count() >= 0
