import unicodedata

from contest.vntext import clean, code_from_title, fold


def test_clean_turns_nfd_into_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    assert clean(nfd) == "Nguyễn Thị Hương"
    assert unicodedata.is_normalized("NFC", clean(nfd))


def test_clean_collapses_inner_spaces_and_trims():
    assert clean("  Tổ   dân\tphố \n số 1 ") == "Tổ dân phố số 1"


def test_clean_of_none_is_empty():
    assert clean(None) == ""


def test_fold_ignores_case_diacritics_and_d_stroke():
    assert fold("  MÃ  ĐƠN VỊ ") == fold("ma don vi") == "ma don vi"


def test_code_from_title_folds_a_typed_title_into_a_bank_code():
    assert code_from_title("Ngân hàng CCHC 2026") == "ngan-hang-cchc-2026"
    assert code_from_title("  Đề thi – Tuần 1 ") == "de-thi-tuan-1"


def test_code_from_title_keeps_a_code_as_it_is():
    assert code_from_title("cchc-mac-dinh") == "cchc-mac-dinh"
