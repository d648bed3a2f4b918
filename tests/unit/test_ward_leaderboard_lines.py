"""The ward level of a city contest's unit leaderboard (pure: contest.ranking.wards)."""

from contest.ranking.leaderboard import UnitFigures, roll_up
from contest.ranking.wards import (
    collective_level,
    is_city_wide,
    level_unit_of,
    lines_in_ward,
    spans_wards,
    ward_lines,
)


def _lines(taken_in_b: int = 1):
    return roll_up([
        UnitFigures(1, "Thành phố", None, None, kind="city"),
        UnitFigures(2, "Phường A", 1, None, kind="ward"), UnitFigures(3, "Phường B", 1, None, kind="ward"),
        UnitFigures(4, "Tổ 1 A", 2, 10, participants=3, attempts=3, kind="residential"),
        UnitFigures(5, "Tổ 2 A", 2, 10, participants=1, attempts=1, kind="residential"),
        UnitFigures(6, "Tổ 1 B", 3, 10, participants=taken_in_b, attempts=taken_in_b, kind="residential"),
        UnitFigures(7, "Nhánh của tổ 1 B", 6, 5, participants=2, attempts=2, kind="residential"),
    ])


def test_a_wards_line_adds_up_its_units():
    wards = {ln.name: ln.participants for ln in ward_lines(_lines())}
    assert wards == {"Phường A": 4, "Phường B": 3}


def test_a_wards_units_are_its_whole_subtree_without_the_ward():
    assert [ln.name for ln in lines_in_ward(_lines(), 3)] == ["Tổ 1 B", "Nhánh của tổ 1 B"]


def test_people_of_two_wards_span_wards():
    assert spans_wards(_lines())


def test_people_of_one_ward_do_not_span_wards():
    lines = [ln for ln in _lines() if ln.unit_id not in (3, 6, 7)]
    assert not spans_wards(lines)


def test_a_contest_of_the_top_unit_or_of_nobody_is_city_wide_and_a_wards_is_not():
    lines = _lines()
    assert is_city_wide(None, lines) and is_city_wide(1, lines) and not is_city_wide(2, lines)


def test_the_collective_level_of_a_city_contest_in_several_wards_is_the_wards():
    assert [ln.name for ln in collective_level(_lines(), None)] == ["Phường A", "Phường B"]


def test_the_collective_level_of_a_wards_contest_is_the_units_below_the_ward():
    assert [ln.name for ln in collective_level(_lines(), 3)] == ["Tổ 1 B"]


def test_the_collective_level_looks_through_a_lone_ward_under_the_city():
    lines = [ln for ln in _lines() if ln.unit_id not in (3, 6, 7)]
    assert [ln.name for ln in collective_level(lines, None)] == ["Tổ 1 A", "Tổ 2 A"]


def test_a_winners_unit_counts_for_its_line_of_the_collective_level():
    lines = _lines()
    assert level_unit_of(collective_level(lines, None), lines)[7] == 3
