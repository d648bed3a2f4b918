"""Survey figures added up per ward (pure: contest.surveys.figures)."""

import pandas as pd

from contest.surveys.figures import BAND_COLUMNS, TOPIC_COLUMNS, roll_up_bands, roll_up_topics


def _topics(rows):
    frame = pd.DataFrame(rows, columns=TOPIC_COLUMNS)
    return frame.astype({"unit_id": "Int64", "topic_id": "Int64", "obtained": "float64", "possible": "float64",
                         "answers": "int64"})


def test_topic_marks_of_a_wards_units_are_added_up_under_the_ward():
    table = _topics([(11, 1, 2.0, 4.0, 4), (12, 1, 3.0, 4.0, 4), (21, 1, 1.0, 2.0, 2), (12, 2, 1.0, 1.0, 1)])
    rolled = roll_up_topics(table, {11: 1, 12: 1, 21: 2})
    assert rolled.values.tolist() == [[1, 1, 5.0, 8.0, 8], [1, 2, 1.0, 1.0, 1], [2, 1, 1.0, 2.0, 2]]


def test_units_outside_every_ward_are_left_out_of_the_ward_level():
    table = _topics([(11, 1, 2.0, 4.0, 4), (99, 1, 3.0, 4.0, 4), (pd.NA, 1, 1.0, 1.0, 1)])
    assert roll_up_topics(table, {11: 1})["unit_id"].tolist() == [1]


def test_band_counts_of_a_wards_units_are_added_up_under_the_ward():
    table = pd.DataFrame([(11, 1, 0, 2, 0), (12, 0, 1, 0, 1), (21, 1, 1, 1, 1)], columns=BAND_COLUMNS)
    table = table.astype({"unit_id": "Int64"})
    rolled = roll_up_bands(table, {11: 5, 12: 5, 21: 6})
    assert rolled.values.tolist() == [[5, 1, 1, 2, 1], [6, 1, 1, 1, 1]]
