"""What a failed background import says (contest.jobs.kinds.import_failure) and how a roster job's codes are
kept for the one page that shows them (contest.accounts.roster_service.codes_json), without the app."""

from contest.accounts.roster_service import IssuedCode, codes_from_json, codes_json
from contest.banks.parsing import BankProblem
from contest.jobs.kinds import import_failure
from contest.sheets import Problem


def test_a_failed_import_says_nothing_was_imported_then_each_problem_with_its_row_on_its_own_line():
    message = import_failure([BankProblem("row", 3, "Đáp án E không có phương án tương ứng."),
                              Problem(7, "Thiếu tên đơn vị.")], "không có câu hỏi nào được nhập")
    assert message.split("\n") == ["Tệp có 2 lỗi; không có câu hỏi nào được nhập. Hãy sửa tệp rồi tải lên lại.",
                                   "Dòng 3: Đáp án E không có phương án tương ứng.", "Dòng 7: Thiếu tên đơn vị."]


def test_a_failed_import_lists_the_first_200_problems_and_counts_the_rest():
    lines = import_failure([Problem(n, "Sai.") for n in range(2, 452)], "không có ai được nhập").split("\n")
    assert len(lines) == 202 and lines[-2] == "Dòng 201: Sai." and lines[-1] == "… và 250 lỗi khác."


def test_issued_codes_read_back_as_they_were_written():
    codes = [IssuedCode(7, "Nguyễn Văn An", "VP", "Văn phòng", None, "0912345678", "ab3cd4ef5g")]
    assert codes_from_json(codes_json(codes)) == codes
