"""One definition of unit statistics: the public leaderboard, the periodic report, the unit statistics export,
the console's unit statistics page and its dashboard give the same figures, and none counts a disqualified
attempt."""

import re
from datetime import date

import pytest

from contest.exports.builders import periodic_report, unit_statistics
from contest.exports.registry import ExportParams
from contest.ranking.publishing import disqualify_attempt
from contest.reports.periods import Period
from tests.ranking.conftest import T0

DAY = Period(date(2026, 11, 21), date(2026, 11, 21))  # T0 is 09:00 on 21/11 in Hà Nội


@pytest.fixture
def units_round(make_round, make_unit, make_user, finished_attempt, frozen_clock):
    """Tổ 1 (10 people): one taker with 4 then 2 (the 4 counts), one whose only attempt is disqualified.
    Tổ 2 (5 people): one whose 4 is disqualified so their 1 counts, one with 2. Maximum 4."""
    frozen_clock(T0)
    round_ = make_round()
    one, two = make_unit(code="TO-1", name="Tổ 1", headcount=10), make_unit(code="TO-2", name="Tổ 2", headcount=5)
    a, b, c, d = make_user(unit=one), make_user(unit=one), make_user(unit=two), make_user(unit=two)
    finished_attempt(a, round_, 4)
    finished_attempt(a, round_, 2)
    disqualify_attempt(finished_attempt(b, round_, 3), "Làm bài hộ")
    disqualify_attempt(finished_attempt(c, round_, 4), "Dùng hai tài khoản")
    finished_attempt(c, round_, 1)
    finished_attempt(d, round_, 2)
    return round_


# (participants, attempts, mean as a fraction of the maximum, full scores)
EXPECTED = {"Tổ 1": (1, 2, 1.0, 1), "Tổ 2": (2, 2, 0.375, 0)}


def _number(cell: str) -> float:
    return float(cell.strip().replace(".", "").replace(",", "."))


def leaderboard(client, round_) -> dict:
    """The public unit leaderboard of the round as its page shows it (the mean in points of a maximum of 4)."""
    page = client.get(f"/contests/{round_.contest.slug}/units?round={round_.number}").get_data(as_text=True)
    cell = r"<td class=\"num\"[^>]*>"  # numeric cells carry a data-label for the phone layout
    rows = re.findall(rf"<tr><td>([^<]+?)</td>\s*{cell}([^<]*)</td>{cell}([^<]*)</td>\s*"
                      rf"{cell}[^<]*</td>\s*{cell}([^<]*)</td>{cell}([^<]*)</td>", page)
    return {name.strip(): (int(_number(p)), int(_number(n)), _number(mean) / 4, int(_number(full)))
            for name, p, n, mean, full in rows}


def report(tables, name_column: int) -> dict:
    return {row[name_column]: (row[4], row[5], row[7], row[8]) for row in tables[0].rows
            if row[name_column] in EXPECTED}


def test_the_public_leaderboard_leaves_out_disqualified_attempts(units_round, client):
    assert leaderboard(client, units_round) == EXPECTED


def test_the_periodic_report_and_the_public_leaderboard_agree_for_a_round(units_round, client):
    assert report(periodic_report(ExportParams(period=DAY)), 1) == leaderboard(client, units_round)


def test_the_unit_statistics_export_and_the_public_leaderboard_agree_for_a_round(units_round, client):
    assert report(unit_statistics(ExportParams(round=units_round)), 1) == leaderboard(client, units_round)


def test_the_periodic_report_by_round_leaves_out_disqualified_attempts(units_round):
    [row] = periodic_report(ExportParams(period=DAY))[1].rows
    assert row[3:] == [3, 4, pytest.approx((1.0 + 0.25 + 0.5) / 3), 1]


def test_the_unit_statistics_page_leaves_out_disqualified_attempts(units_round, client, make_user, login):
    make_user(role="organiser", login="btc")
    login("btc")
    page = client.get(f"/admin/unit-stats?round={units_round.id}").get_data(as_text=True)
    row = page.split("Tổ 2</td>")[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', row)[:3] == ["5", "2", "2"]


def test_the_dashboard_counts_participants_without_disqualified_attempts(units_round, client, make_user, login):
    make_user(role="organiser", login="btc")
    login("btc")
    body = client.get("/admin/dashboard").get_data(as_text=True)
    card = body.split('data-stat="contest"')[1].split("</div>")[0]
    assert '<p class="big">3</p>' in card and "4 lượt thi" in card


def test_the_dashboards_attempts_per_day_add_up_to_its_attempts(units_round, client, make_user, login):
    import json

    make_user(role="organiser", login="btc")
    login("btc")
    body = client.get("/admin/dashboard").get_data(as_text=True)
    data = json.loads(re.search(r'id="dashboard-data">(.*?)</script>', body, re.S).group(1))
    assert sum(data["days"]["values"]) == 4
