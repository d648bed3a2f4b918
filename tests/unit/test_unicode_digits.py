"""Digits are ASCII after NFKC normalisation wherever a number is typed; other scripts' digits are no digits."""

import pytest

from contest.accounts.rules import is_cccd, is_mobile_phone, normalise_cccd, normalise_phone
from contest.sheets import cell_int

FULL_WIDTH_PHONE = "03880000０１"
ARABIC_INDIC_PHONE = "٠٣٨٨٠٠٠٠٠١"


def test_a_full_width_phone_is_its_ascii_digits():
    assert normalise_phone(FULL_WIDTH_PHONE) == "0388000001"


def test_a_phone_in_another_scripts_digits_is_not_a_mobile_phone():
    assert not is_mobile_phone(normalise_phone(ARABIC_INDIC_PHONE))


def test_a_full_width_cccd_is_its_ascii_digits():
    assert normalise_cccd("００１２０３００４５６７") == "001203004567"


def test_a_cccd_in_another_scripts_digits_is_not_a_cccd():
    assert not is_cccd(normalise_cccd("٠٠١٢٠٣٠٠٤٥٦٧"))


@pytest.mark.parametrize(("typed", "value"), [("１.２００", 1200), ("４５", 45)])
def test_a_full_width_number_in_a_sheet_is_read(typed, value):
    assert cell_int([typed], 0) == value


def test_a_number_in_another_scripts_digits_in_a_sheet_is_refused():
    with pytest.raises(ValueError):
        cell_int(["٤٥"], 0)
