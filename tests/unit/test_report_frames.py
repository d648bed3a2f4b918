"""The periodic report's pivots as pure functions of attempt rows (contest.reports.frames), on hand-made rows."""

import pandas as pd
import pytest

from contest.reports.frames import ROUND_COLUMNS, attempt_frame, figure_totals, round_group_table, unit_totals

RES = "residents"
OFF = "officials"


def rows(*attempts):
    """(round_id, group, unit_id, user_id, score, max_score, counts, finished) per attempt."""
    return attempt_frame(attempts)


ROUNDS = pd.DataFrame([(1, 10, 1, "Cuộc thi A", "Đợt 1"), (2, 10, 2, "Cuộc thi A", "Đợt 2"),
                       (3, 9, 1, "Cuộc thi B", "Đợt 1")], columns=ROUND_COLUMNS)


def test_a_person_counts_once_per_unit_over_several_rounds():
    totals = unit_totals(rows((1, RES, 5, 100, 3.0, 4.0, True, True), (2, RES, 5, 100, 4.0, 4.0, True, True)), [1, 2])
    assert (totals.loc[5, "participants"], totals.loc[5, "results"], totals.loc[5, "attempts"]) == (1, 2, 2)


def test_each_audience_group_is_counted_apart_then_added_up_per_unit():
    totals = unit_totals(rows((1, RES, 5, 100, 3.0, 4.0, True, True), (1, OFF, 5, 101, 2.0, 4.0, True, True)), [1])
    assert totals.loc[5, "participants"] == 2


def test_a_disqualified_attempt_is_neither_a_result_nor_an_attempt():
    totals = figure_totals(rows((1, RES, 5, 100, 4.0, 4.0, False, False), (1, RES, 5, 101, 1.0, 4.0, True, True)),
                           ["unit_id"])
    assert totals.loc[5].tolist() == [1, 1, 1.0, 0.25, 0, 1]


def test_a_finished_attempt_that_does_not_count_is_an_attempt_only():
    totals = figure_totals(rows((1, RES, 5, 100, 2.0, 4.0, False, True)), ["unit_id"])
    assert totals.loc[5].tolist() == [0, 0, 0.0, 0.0, 0, 1]


def test_a_result_without_a_maximum_adds_zero_to_the_ratio_and_is_no_full_score():
    totals = figure_totals(rows((1, RES, 5, 100, 0.0, 0.0, True, True)), ["unit_id"])
    assert (totals.loc[5, "results"], totals.loc[5, "ratio_sum"], totals.loc[5, "full_scores"]) == (1, 0.0, 0)


def test_a_missing_score_adds_nothing_to_the_sums():
    totals = figure_totals(rows((1, RES, 5, 100, None, 4.0, True, True), (1, RES, 5, 101, 2.0, 4.0, True, True)),
                           ["unit_id"])
    assert (totals.loc[5, "results"], totals.loc[5, "score_sum"], totals.loc[5, "ratio_sum"]) == (2, 2.0, 0.5)


def test_a_full_score_allows_for_rounding():
    totals = figure_totals(rows((1, RES, 5, 100, 4.0 - 1e-12, 4.0, True, True)), ["unit_id"])
    assert totals.loc[5, "full_scores"] == 1


def test_attempts_without_a_unit_have_a_line_of_their_own():
    totals = figure_totals(rows((1, RES, None, 100, 4.0, 4.0, True, True), (1, RES, 5, 101, 4.0, 4.0, True, True)),
                           ["unit_id"])
    assert len(totals) == 2 and totals.loc[pd.NA, "participants"] == 1


def test_no_attempts_give_empty_pivots():
    assert figure_totals(rows(), ["unit_id"]).empty
    assert unit_totals(rows(), [1]).empty
    assert round_group_table(rows(), ROUNDS).empty


def test_the_per_round_table_goes_by_contest_round_number_and_group():
    table = round_group_table(rows((3, RES, 5, 100, 4.0, 4.0, True, True), (2, RES, 5, 100, 1.0, 4.0, True, True),
                                   (1, RES, 5, 100, 2.0, 4.0, True, True), (1, OFF, 5, 101, 4.0, 4.0, True, True)),
                              ROUNDS)
    assert table[["contest", "round", "group"]].values.tolist() == [
        ["Cuộc thi B", "Đợt 1", RES], ["Cuộc thi A", "Đợt 1", OFF], ["Cuộc thi A", "Đợt 1", RES],
        ["Cuộc thi A", "Đợt 2", RES]]


def test_the_mean_is_the_mean_share_of_the_maximum_and_none_without_results():
    table = round_group_table(rows((1, RES, 5, 100, 1.0, 4.0, True, True), (1, RES, 5, 101, 4.0, 4.0, True, True),
                                   (2, RES, 5, 102, 3.0, 4.0, False, True)), ROUNDS)
    assert table["mean_percent"].tolist() == [pytest.approx(0.625), None]
    assert table[["participants", "attempts", "full_scores"]].values.tolist() == [[2, 2, 1], [0, 1, 0]]
