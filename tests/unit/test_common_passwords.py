"""The most common passwords, runs and repeats, and one's own phone are refused with a Vietnamese reason."""

import pytest

from contest.accounts.rules import common_passwords, weak_password_reason


@pytest.mark.parametrize("password", ["12345678", "Password1", "matkhau123", "ANHYEUEM", "iloveyou", "qwertyuiop"])
def test_a_common_password_is_refused_whatever_its_case(password):
    assert "phổ biến" in weak_password_reason(password)


@pytest.mark.parametrize("password", ["876543210", "abcdefghij", "aaaaaaaaaa", "ababababab", "２３４５６７８９"])
def test_a_run_or_repeat_of_characters_is_refused(password):
    assert "lặp lại hoặc liên tiếp" in weak_password_reason(password)


def test_ones_own_phone_is_refused():
    assert "số điện thoại" in weak_password_reason("0912345678", ("0912345678",))


@pytest.mark.parametrize("password", ["mat-khau-an-toan", "hoa-sen-tay-mo-7", "Lê Thị Mai 1975"])
def test_an_uncommon_password_is_accepted(password):
    assert weak_password_reason(password, ("0912345678",)) is None


def test_the_list_ships_with_the_package_in_lower_case():
    passwords = common_passwords()
    assert len(passwords) > 300 and all(p == p.lower() for p in passwords)
