"""Unit leaderboards and both collective formulas on crafted units."""

from contest.ranking.leaderboard import (
    UnitFigures,
    collective_parameters,
    collective_ranking,
    lowest_participation,
    roll_up,
    sort_lines,
)


def unit(unit_id, participants=0, headcount=100, parent=None, score_sum=None, full=0, attempts=None, name=None):
    return UnitFigures(unit_id, name or f"Đơn vị {unit_id:02d}", parent, headcount, participants,
                       attempts if attempts is not None else participants,
                       score_sum if score_sum is not None else 10.0 * participants, full, participants)


def test_a_parent_adds_up_its_subtree_and_its_childrens_headcounts():
    lines = {ln.unit_id: ln for ln in roll_up([unit(1, 0, headcount=None), unit(2, 30, parent=1, full=2),
                                                unit(3, 10, parent=2, headcount=50), unit(4, 5)])}
    assert (lines[1].participants, lines[1].headcount, lines[1].full_scores) == (40, 100, 2)
    assert (lines[2].participants, lines[2].headcount, lines[2].depth) == (40, 100, 1)
    assert lines[4].children == 0 and lines[1].children == 1


def test_roll_up_lists_parents_before_their_children():
    order = [ln.unit_id for ln in roll_up([unit(3, parent=2), unit(2, parent=1), unit(1), unit(4)])]
    assert order == [1, 2, 3, 4]


def test_rate_and_mean_score():
    [line] = roll_up([unit(1, 25, headcount=50, score_sum=200.0)])
    assert line.rate == 0.5 and line.mean_score == 8.0


def test_sorting_by_rate_puts_units_without_headcount_last():
    lines = roll_up([unit(1, 10, headcount=None), unit(2, 10, headcount=20), unit(3, 10, headcount=100)])
    assert [ln.unit_id for ln in sort_lines(lines, "rate")] == [2, 3, 1]
    assert [ln.unit_id for ln in sort_lines(lines, "rate", descending=False)][:2] == [1, 3]


def test_lowest_participation_names_the_lowest_leaf_units():
    lines = roll_up([unit(1, 90), unit(2, 5), unit(3, 40), unit(4, 1, headcount=None)])
    assert [ln.unit_id for ln in lowest_participation(lines, 2)] == [2, 3]


def test_hai_duong_ranks_by_rate_then_mean_and_excludes_units_under_half():
    lines = roll_up([unit(1, 60, score_sum=600.0), unit(2, 60, score_sum=900.0), unit(3, 80, score_sum=400.0),
                     unit(4, 49, score_sum=980.0), unit(5, 10, headcount=None)])
    rows = collective_ranking(lines, "hai_duong_2024", collective_parameters("hai_duong_2024", None))
    assert [(r.rank, r.line.unit_id) for r in rows] == [(1, 3), (2, 2), (3, 1), (None, 4), (None, 5)]
    assert "50%" in rows[3].excluded and rows[4].excluded


def test_hai_duong_threshold_is_configurable():
    lines = roll_up([unit(1, 30), unit(2, 60)])
    rows = collective_ranking(lines, "hai_duong_2024", collective_parameters("hai_duong_2024", {"threshold": 0.25}))
    assert [r.rank for r in rows] == [1, 2]


def test_quang_nam_adds_participation_points_and_prize_points():
    lines = roll_up([unit(1, 80), unit(2, 50), unit(3, 100, headcount=80)])
    params = collective_parameters("quang_nam_2022", None)
    rows = collective_ranking(lines, "quang_nam_2022", params, {2: {"first": 2, "consolation": 1}, 1: {"third": 1}})
    points = {r.line.unit_id: r.points for r in rows}
    assert points == {1: 85.0, 2: 73.0, 3: 100.0}
    assert [r.line.unit_id for r in rows] == [3, 1, 2]


def test_quang_nam_points_per_prize_are_configurable():
    lines = roll_up([unit(1, 50), unit(2, 60)])
    params = collective_parameters("quang_nam_2022", {"prize_points": {"first": 50}, "points_per_percent": 0.5})
    rows = collective_ranking(lines, "quang_nam_2022", params, {1: {"first": 1}})
    assert [(r.line.unit_id, r.points) for r in rows] == [(1, 75.0), (2, 30.0)]


def test_a_parent_adds_up_the_fractions_of_the_maximum_for_its_mean_percent():
    child = UnitFigures(2, "Tổ 2", 1, 10, 2, 2, 6.0, 0, 2, ratio_sum=1.5)
    lines = {ln.unit_id: ln for ln in roll_up([UnitFigures(1, "Khu 1", None, None, 1, 1, 4.0, 1, 1, ratio_sum=1.0),
                                               child])}
    assert lines[1].mean_percent == 2.5 / 3 and lines[2].mean_percent == 0.75


def test_a_unit_without_counted_results_has_no_mean_percent():
    [line] = roll_up([unit(1, 0)])
    assert line.mean_percent is None


def test_sorting_by_name_goes_a_to_z_in_vietnamese_order_with_numbers_by_value():
    lines = roll_up([unit(1, name="Văn phòng HĐND và UBND phường"), unit(2, name="Ủy ban Mặt trận Tổ quốc"),
                     unit(3, name="Tổ dân phố số 10"), unit(4, name="Tổ dân phố số 2"), unit(5, name="Trạm Y tế")])
    names = [ln.name for ln in sort_lines(lines, "name", descending=False)]
    assert names == ["Tổ dân phố số 2", "Tổ dân phố số 10", "Trạm Y tế", "Ủy ban Mặt trận Tổ quốc",
                     "Văn phòng HĐND và UBND phường"]


def test_sorting_by_name_descending_goes_z_to_a():
    lines = roll_up([unit(1, name="Tổ dân phố số 2"), unit(2, name="Tổ dân phố số 10"), unit(3, name="Trạm Y tế"),
                     unit(4, name="Ủy ban Mặt trận Tổ quốc"), unit(5, name="Văn phòng")])
    assert [ln.name for ln in sort_lines(lines, "name", descending=True)] == \
        ["Văn phòng", "Ủy ban Mặt trận Tổ quốc", "Trạm Y tế", "Tổ dân phố số 10", "Tổ dân phố số 2"]
