"""What is written in the browser leaves in every export and comes back identical: export → re-import changes
nothing in the bank, and into an empty bank gives the same questions."""

import pytest
from sqlalchemy import select

from contest.banks.exports import export_bank
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question
from contest.extensions import db
from tests.banks.test_editor import question_form

FIELDS = ("code", "kind", "text", "options", "correct", "weights", "points", "explanation", "difficulty", "source",
          "status")


@pytest.fixture
def written_bank(client, make_user, login):
    """A bank created in the browser with one question of each kind, one of them edited afterwards."""
    make_user(role="organiser", login="btc")
    login("btc")
    client.post("/admin/banks/new", data={"title": "Soạn trên trình duyệt"})
    url = "/admin/banks/soan-tren-trinh-duyet/questions"
    client.post(url + "/new", data=question_form(code="BT-1"))
    client.post(url + "/new", data=question_form(
        kind="multiple", text="Những việc nào người dân làm được trên Cổng dịch vụ công quốc gia?",
        answer=["A", "C"], points="2", difficulty="hard", topic="Chính quyền số",
        **{"option-0": "Nộp hồ sơ trực tuyến", "option-1": "Nhận căn cước tại nhà",
           "option-2": "Thanh toán lệ phí trực tuyến", "option-3": "Đổi tiền mặt",
           "weight-0": "50", "weight-1": "-100", "weight-2": "50", "weight-3": "0"}))
    client.post(url + "/new", data=question_form(
        kind="true_false", text="Kết quả thủ tục hành chính có thể nhận qua bưu chính công ích.", answer=["A"],
        explanation="", source="Quyết định số 45/2016/QĐ-TTg", **{"option-0": "", "option-1": "", "option-2": ""}))
    first = db.session.scalar(select(Question).where(Question.code == "BT-1"))
    client.post(f"{url}/{first.id}/edit", data=question_form(text="Ở phường, hồ sơ thủ tục hành chính nộp ở đâu?",
                                                             answer=["A"], explanation="Sửa trên trình duyệt."))
    return db.session.scalar(select(Bank).where(Bank.name == "soan-tren-trinh-duyet"))


def stored(bank_name):
    rows = db.session.scalars(select(Question).join(Bank).where(Bank.name == bank_name).order_by(Question.code))
    return [{**{f: getattr(q, f) for f in FIELDS}, "topic": q.topic.name} for q in rows]


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "gift"])
def test_reimporting_an_export_of_a_bank_written_in_the_browser_changes_nothing(written_bank, fmt):
    before = stored(written_bank.name)
    assert len(before) == 3 and before[0]["text"] == "Ở phường, hồ sơ thủ tục hành chính nộp ở đâu?"
    exported = export_bank(written_bank.name, fmt)
    report = import_bank(exported.data, exported.filename, written_bank.name)
    assert report.ok, report.errors
    assert (report.added, report.updated, report.retired, report.unchanged) == (0, 0, 0, 3)
    assert stored(written_bank.name) == before


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_an_export_of_a_bank_written_in_the_browser_imports_identical_elsewhere(written_bank, fmt):
    exported = export_bank(written_bank.name, fmt)
    assert import_bank(exported.data, exported.filename, "ban-sao").ok
    assert stored("ban-sao") == stored(written_bank.name)
