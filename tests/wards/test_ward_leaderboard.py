"""A city contest's unit leaderboard ranks wards, and each ward's page ranks its units (issue 19); a ward's own
contest keeps the plain leaderboard; the public page's cache stays one statement on a hit."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from contest.attempts.counting import mark_counting_attempt
from contest.attempts.models import Attempt
from contest.extensions import db

T0 = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)


@pytest.fixture
def city(make_unit):
    """The city, two wards, and two residential groups in each (Tây Mỗ's have 10 people each, Đại Mỗ's 20)."""
    hanoi = make_unit("HN", "Thành phố Hà Nội", kind="city", headcount=None)
    units = {"HN": hanoi}
    for code, name, headcount in (("TAYMO", "Phường Tây Mỗ", 10), ("DAIMO", "Phường Đại Mỗ", 20)):
        units[code] = make_unit(code, name, kind="ward", parent=hanoi, headcount=None)
        for n in (1, 2):
            units[f"{code}-{n}"] = make_unit(f"{code}-{n}", f"Tổ dân phố số {n} {name}", parent=units[code],
                                             headcount=headcount)
    return units


@pytest.fixture
def take(app):
    """A finished, counting attempt of ``user`` in ``round_`` with ``score`` of 4."""

    def create(user, round_, score):
        finished_at = T0 + timedelta(minutes=10)
        db.session.add(Attempt(round_id=round_.id, user_id=user.id, unit_id=user.unit_id, number=1, group="residents",
                               state="finished", started_at=finished_at - timedelta(minutes=5),
                               deadline=finished_at + timedelta(minutes=5), finished_at=finished_at, score=score,
                               max_score=4, duration_seconds=300))
        db.session.flush()
        mark_counting_attempt(round_, user.id)
        db.session.commit()

    return create


@pytest.fixture
def contest_round(city, make_round, make_user, take, frozen_clock):
    """A city contest: Tây Mỗ 3 of 20 people took part (both groups), Đại Mỗ 2 of 40 (its first group only)."""
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    for unit, score in (("TAYMO-1", 4), ("TAYMO-1", 3), ("TAYMO-2", 2), ("DAIMO-1", 4), ("DAIMO-1", 1)):
        take(make_user(unit=city[unit]), round_, score)
    return round_


def _names(html: str) -> list[str]:
    """The unit names of the leaderboard's rows, in order."""
    body = html.split('<table class="units', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).split(" (gồm")[0].strip()
            for cell in re.findall(r"<tr><td>(.*?)</td>", body, re.S)]


def test_a_city_contest_taken_in_several_wards_ranks_the_wards(contest_round, client):
    html = client.get(f"/contests/{contest_round.contest.slug}/units").get_data(as_text=True)
    assert _names(html) == ["Phường Tây Mỗ", "Phường Đại Mỗ"]
    assert "Bảng xếp hạng theo phường, xã" in html


def test_each_ward_links_to_the_ranking_of_its_units(contest_round, client):
    html = client.get(f"/contests/{contest_round.contest.slug}/units").get_data(as_text=True)
    assert f"/contests/{contest_round.contest.slug}/units?ward=TAYMO" in html


def test_a_wards_page_ranks_the_units_within_it(contest_round, client):
    html = client.get(f"/contests/{contest_round.contest.slug}/units?ward=DAIMO").get_data(as_text=True)
    assert _names(html) == ["Tổ dân phố số 1 Phường Đại Mỗ", "Tổ dân phố số 2 Phường Đại Mỗ"]
    assert "Bảng xếp hạng đơn vị của Phường Đại Mỗ" in html


def test_a_wards_page_keeps_the_ward_when_sorting(contest_round, client):
    html = client.get(f"/contests/{contest_round.contest.slug}/units?ward=DAIMO").get_data(as_text=True)
    assert "ward=DAIMO&amp;sort=name" in html or "sort=name&amp;ward=DAIMO" in html


def test_an_unknown_ward_is_404(contest_round, client):
    assert client.get(f"/contests/{contest_round.contest.slug}/units?ward=KHONGCO").status_code == 404


def test_a_wards_own_contest_keeps_the_plain_leaderboard(contest_round, city, client):
    contest_round.contest.owner_unit_id = city["TAYMO"].id
    db.session.commit()
    html = client.get(f"/contests/{contest_round.contest.slug}/units").get_data(as_text=True)
    assert "Tổ dân phố số 1 Phường Tây Mỗ" in _names(html) and "Bảng xếp hạng theo phường, xã" not in html
    assert client.get(f"/contests/{contest_round.contest.slug}/units?ward=TAYMO").status_code == 404


def test_a_city_contest_taken_in_one_ward_keeps_the_plain_leaderboard(city, make_round, make_user, take,
                                                                      frozen_clock, client):
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    take(make_user(unit=city["TAYMO-1"]), round_, 4)
    html = client.get(f"/contests/{round_.contest.slug}/units").get_data(as_text=True)
    assert "Tổ dân phố số 1 Phường Tây Mỗ" in _names(html)


@pytest.mark.parametrize("tail", ["", "?ward=TAYMO", "?round=1&ward=DAIMO"])
def test_a_cached_ward_leaderboard_costs_one_statement(contest_round, client, statements, tail):
    url = f"/contests/{contest_round.contest.slug}/units{tail}"
    client.get(url)
    stored = client.get(url)
    with statements() as sent:
        again = client.get(url)
    assert again.status_code == 200 and again.get_data() == stored.get_data()
    assert len(sent) == 1, sent


def test_a_city_contests_collective_ranking_ranks_the_wards(contest_round):
    from contest.ranking.publishing import unit_awards

    rows, _ = unit_awards(contest_round.contest)
    assert {row.line.name for row in rows} == {"Phường Tây Mỗ", "Phường Đại Mỗ"}


def test_a_wards_contest_ranks_its_own_units_collectively(contest_round, city):
    from contest.ranking.publishing import unit_awards

    contest_round.contest.owner_unit_id = city["DAIMO"].id
    db.session.commit()
    rows, _ = unit_awards(contest_round.contest)
    assert {row.line.name for row in rows} == {"Tổ dân phố số 1 Phường Đại Mỗ", "Tổ dân phố số 2 Phường Đại Mỗ"}


def test_a_single_ward_under_a_default_city_ranks_its_units_collectively(make_unit, make_round, make_user, take,
                                                                        frozen_clock):
    from contest.ranking.publishing import unit_awards

    city = make_unit("TP", "Thành phố", kind="city", headcount=None)
    ward = make_unit("PHUONG", "Phường", kind="ward", parent=city, headcount=None)
    groups = [make_unit(f"TDP{n}", f"Tổ dân phố số {n}", parent=ward, headcount=4) for n in (1, 2)]
    frozen_clock(T0 + timedelta(hours=1))
    round_ = make_round()
    take(make_user(unit=groups[0]), round_, 4)
    rows, _ = unit_awards(round_.contest)
    assert [row.line.name for row in rows] == ["Tổ dân phố số 1", "Tổ dân phố số 2"]
