"""Ranking exports as Tables: standings, winners, collective ranking."""

from contest.exports.tables import without_personal
from contest.extensions import db
from contest.ranking.exports import (
    collective_table,
    round_standings_table,
    winners_table,
)
from contest.ranking.publishing import publish_round
from contest.ranking.refresh import fresh_results
from tests.ranking.conftest import AFTER_CLOSE, T0


def test_standings_table_lists_everyone_in_rank_order_with_the_phone_as_personal(make_round, make_user,
                                                                                 finished_attempt, frozen_clock):
    frozen_clock(T0)
    round_ = make_round()
    second, first = make_user(full_name="Người Hai"), make_user(full_name="Người Một")
    finished_attempt(second, round_, 2)
    finished_attempt(first, round_, 4)
    table = round_standings_table(round_)
    rows = list(table.rows)
    assert [(r[0], r[2]) for r in rows] == [(1, "Người Một"), (2, "Người Hai")]
    assert table.columns[-1].personal and rows[0][-1] == first.phone
    assert "Số điện thoại" not in without_personal(round_standings_table(round_)).headers


def test_standings_table_reads_past_one_batch(make_round, make_user, finished_attempt, frozen_clock, monkeypatch):
    import contest.ranking.exports as exports

    monkeypatch.setattr(exports, "BATCH", 2)
    frozen_clock(T0)
    round_ = make_round()
    for score in (1, 2, 3, 4, 0):
        finished_attempt(make_user(), round_, score)
    assert [r[0] for r in round_standings_table(round_).rows] == [1, 2, 3, 4, 5]


def test_winners_table_is_the_proposal_until_published_then_the_published_list(make_round, make_user,
                                                                               finished_attempt, frozen_clock):
    round_ = make_round(prizes_first=1)
    winner = make_user(full_name="Người Thắng")
    finished_attempt(winner, round_, 4)
    assert "chưa công bố" in winners_table(round_).title
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    publish_round(round_)
    table = winners_table(round_)
    assert "công bố" in table.title and [r[:4] for r in table.rows] == [["Giải Nhất", "Người dân", 1, "Người Thắng"]]


def test_collective_table_marks_the_units_prize(make_round, make_user, make_unit, finished_attempt, frozen_clock):
    frozen_clock(T0)
    round_ = make_round()
    round_.contest.unit_prizes_first = 1
    db.session.commit()
    unit = make_unit(name="Tổ dân phố Nhất", headcount=1)
    finished_attempt(make_user(unit=unit), round_, 4)
    rows = list(collective_table(round_.contest).rows)
    assert rows[0][:2] == [1, "Tổ dân phố Nhất"] and rows[0][7] == "Giải Nhất"
