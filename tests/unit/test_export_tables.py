"""Pure helpers behind every export: formula neutralising, sheet names, personal columns."""

from contest.exports.tables import Column, Table, neutralised, sheet_name, without_personal


def test_text_starting_with_a_formula_sign_gets_a_quote():
    assert [neutralised(t) for t in ("=1+1", "+84", "-3", "@SUM(A1)")] == ["'=1+1", "'+84", "'-3", "'@SUM(A1)"]


def test_ordinary_text_is_left_alone():
    assert neutralised("Nguyễn Văn An = giải Nhất") == "Nguyễn Văn An = giải Nhất"


def test_sheet_names_lose_forbidden_characters_and_fit_31_characters():
    assert sheet_name("Đợt 1/2026: kết quả [chính thức] của toàn phường") == "Đợt 1-2026- kết quả -chính thức"


def test_repeated_sheet_names_are_numbered():
    taken: set[str] = set()
    assert [sheet_name("Đơn vị", taken) for _ in range(3)] == ["Đơn vị", "Đơn vị (2)", "Đơn vị (3)"]


def test_personal_columns_are_dropped_with_their_values():
    table = Table("Bài thi", [Column("Họ tên"), Column("Số điện thoại", personal=True), Column("Điểm", "int")],
                  [("An", "0912345678", 9)])
    public = without_personal(table)
    assert public.headers == ["Họ tên", "Điểm"] and list(public.rows) == [["An", 9]]
