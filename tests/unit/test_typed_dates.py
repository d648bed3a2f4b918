"""The one parser of typed dates (contest.clock.day_parts), shared by report periods and roster birth dates."""

import pytest

from contest.clock import day_parts


@pytest.mark.parametrize("text", ["2026-11-20", "20/11/2026", "20.11.2026", "20-11-2026", " 20/11/2026 "])
def test_a_date_is_read_in_iso_or_vietnamese_order(text):
    assert day_parts(text) == (2026, 11, 20)


@pytest.mark.parametrize("text", ["", "20/11/26", "11/2026", "hôm nay", "2026/11/20"])
def test_other_text_is_not_a_date(text):
    assert day_parts(text) is None
