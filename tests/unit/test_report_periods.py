"""Reporting periods: the month that ends on the 20th, quarters, typed dates, Vietnam-time bounds."""

from datetime import UTC, date, datetime

import pytest

from contest.reports.periods import (
    Period,
    PeriodError,
    make_period,
    monthly_report_period,
    parse_day,
    quarter,
    utc_bounds,
)


def test_monthly_period_ends_on_the_coming_20th():
    assert monthly_report_period(date(2026, 11, 5)) == Period(date(2026, 10, 21), date(2026, 11, 20),
                                                              monthly_report_period(date(2026, 11, 5)).label)
    assert monthly_report_period(date(2026, 11, 20)).end == date(2026, 11, 20)


def test_monthly_period_after_the_20th_runs_to_next_month():
    period = monthly_report_period(date(2026, 12, 21))
    assert (period.start, period.end) == (date(2026, 12, 21), date(2027, 1, 20))


def test_quarter_and_the_one_before_it():
    assert (quarter(date(2026, 2, 10)).start, quarter(date(2026, 2, 10)).end) == (date(2026, 1, 1), date(2026, 3, 31))
    previous = quarter(date(2026, 2, 10), back=1)
    assert (previous.start, previous.end, previous.label) == (date(2025, 10, 1), date(2025, 12, 31), "Quý IV năm 2025")


def test_days_are_read_in_both_ways_organisers_type_them():
    assert parse_day("2026-11-20") == parse_day("20/11/2026") == date(2026, 11, 20)
    assert parse_day("") is None


def test_impossible_day_is_explained():
    with pytest.raises(PeriodError, match="không có trên lịch"):
        parse_day("31/02/2026")


def test_period_needs_both_ends_in_order():
    with pytest.raises(PeriodError):
        make_period(date(2026, 11, 20), None)
    with pytest.raises(PeriodError, match="sau"):
        make_period(date(2026, 11, 20), date(2026, 11, 1))


def test_bounds_are_vietnam_midnights_in_utc():
    start, end = utc_bounds(Period(date(2026, 11, 1), date(2026, 11, 20)))
    assert start == datetime(2026, 10, 31, 17, 0, tzinfo=UTC) and end == datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
