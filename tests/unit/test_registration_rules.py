from datetime import date

import pytest

from contest.accounts.rules import (
    age_on,
    cccd_digest,
    is_cccd,
    is_mobile_phone,
    normalise_cccd,
    normalise_phone,
)


@pytest.mark.parametrize("raw", ["0912345678", "0912 345 678", "091.234.5678", "+84912345678", "84912345678"])
def test_phone_written_many_ways_normalises_to_ten_digits(raw):
    assert normalise_phone(raw) == "0912345678"


@pytest.mark.parametrize("phone", ["0312345678", "0512345678", "0712345678", "0812345678", "0912345678"])
def test_mobile_prefixes_are_accepted(phone):
    assert is_mobile_phone(phone)


@pytest.mark.parametrize("phone", ["091234567", "09123456789", "0212345678", "1912345678", "09123a5678", ""])
def test_landlines_and_wrong_lengths_are_refused(phone):
    assert not is_mobile_phone(phone)


def test_age_counts_whole_years_before_the_birthday():
    assert age_on(date(2008, 11, 22), date(2026, 11, 21)) == 17


def test_age_turns_on_the_birthday():
    assert age_on(date(2008, 11, 21), date(2026, 11, 21)) == 18


def test_leap_day_birthday_counts_from_first_of_march():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_cccd_needs_twelve_digits():
    assert is_cccd(normalise_cccd("001 203 004 567"))
    assert not is_cccd("00120300456")
    assert not is_cccd("00120300456a")


def test_cccd_digest_depends_on_the_key():
    assert cccd_digest("001203004567", b"k1") != cccd_digest("001203004567", b"k2")
    assert cccd_digest("001203004567", b"k1") == cccd_digest("001203004567", b"k1")
    assert "001203004567" not in cccd_digest("001203004567", b"k1")
