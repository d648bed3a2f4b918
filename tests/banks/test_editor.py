"""The bank editor through the organiser's pages: a bank from scratch, questions added, edited, retired and
restored, each change audited, messages by field as the file imports word them, an attempt's frozen copy."""

import re

import pytest
from sqlalchemy import func, select

from contest.attempts.finishing import finish_attempt
from contest.attempts.models import AttemptQuestion
from contest.attempts.starting import start_attempt
from contest.audit.models import AuditEntry
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question
from contest.extensions import db


@pytest.fixture
def organiser(make_user, login):
    make_user(role="organiser", login="btc")
    login("btc")


def question_form(**fields):
    """A valid single-choice question as the form posts it; ``fields`` override or add form values."""
    data = {"topic": "Cải cách thủ tục hành chính", "kind": "single",
            "text": "Cơ quan nào tiếp nhận hồ sơ thủ tục hành chính của người dân ở phường?",
            "option-0": "Bộ phận Một cửa", "option-1": "Công an phường", "option-2": "Trạm y tế",
            "answer": ["A"], "difficulty": "easy", "explanation": "Bộ phận Một cửa tiếp nhận và trả kết quả.",
            "source": "Nghị định số 61/2018/NĐ-CP", "action": "save"}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def post_question(client, bank="ngan-hang-thu", **fields):
    return client.post(f"/admin/banks/{bank}/questions/new", data=question_form(**fields))


def audit(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def by_code(code, bank="ngan-hang-thu"):
    return db.session.scalar(select(Question).join(Bank).where(Bank.name == bank, Question.code == code))


# --- a bank from scratch ---------------------------------------------------------------------------------------

def test_new_bank_is_created_empty_and_named_from_its_title(client, organiser):
    response = client.post("/admin/banks/new", data={"title": "Câu hỏi CCHC phường 2026"})
    assert response.headers["Location"].endswith("/admin/banks/cau-hoi-cchc-phuong-2026/questions")
    bank = db.session.scalar(select(Bank).where(Bank.name == "cau-hoi-cchc-phuong-2026"))
    assert bank.title == "Câu hỏi CCHC phường 2026" and bank.questions == []


def test_new_bank_is_audited(client, organiser):
    client.post("/admin/banks/new", data={"title": "Ngân hàng mới"})
    [entry] = audit("bank.create")
    assert entry.actor_login == "btc" and entry.changes["name"] == "ngan-hang-moi"


def test_new_bank_with_a_code_already_taken_is_refused_in_vietnamese(client, organiser, small_bank):
    response = client.post("/admin/banks/new", data={"title": "Ngân hàng thử"})
    assert response.status_code == 422
    assert "Đã có ngân hàng mã “ngan-hang-thu”; hãy đặt tên khác." in response.get_data(as_text=True)


# --- adding ----------------------------------------------------------------------------------------------------

def test_added_question_gets_the_next_code_and_is_active(client, organiser, small_bank):
    response = post_question(client)
    assert response.headers["Location"].endswith("/admin/banks/ngan-hang-thu/questions")
    question = by_code("CH-0005")
    assert question.status == "active" and question.correct == [0] and question.difficulty == "easy"
    assert question.topic.name == "Cải cách thủ tục hành chính" and question.source == "Nghị định số 61/2018/NĐ-CP"


def test_added_question_keeps_the_code_the_organiser_typed(client, organiser, small_bank):
    post_question(client, code="NQ76-001")
    assert by_code("NQ76-001") is not None


def test_added_question_is_audited_with_its_content(client, organiser, small_bank):
    post_question(client)
    [entry] = audit("question.create")
    assert entry.target_type == "questions" and entry.target_id == str(by_code("CH-0005").id)
    assert entry.changes["correct"] == ["A"] and entry.changes["bank"] == "ngan-hang-thu"


def test_multiple_answer_question_keeps_its_weights(client, organiser, small_bank):
    post_question(client, kind="multiple", answer=["A", "B"], **{"weight-0": "50", "weight-1": "50",
                                                                  "weight-2": "-100"})
    question = by_code("CH-0005")
    assert question.kind == "multiple" and question.correct == [0, 1] and question.weights == [50, 50, -100]


def test_true_false_question_left_without_options_gets_dung_and_sai(client, organiser, small_bank):
    post_question(client, kind="true_false", answer=["B"], **{"option-0": "", "option-1": "", "option-2": ""})
    question = by_code("CH-0005")
    assert question.options == ["Đúng", "Sai"] and question.correct == [1]


def test_question_with_a_code_already_in_the_bank_is_refused_beside_the_code(client, organiser, small_bank):
    response = post_question(client, code="T-001")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="error" id="err-code" data-field="code">Mã câu hỏi “T-001” đã có trong ngân hàng này' in html


# --- the same rules and messages as the file imports, by field -------------------------------------------------

INVALID = [
    ("text", {"text": "  "}, "Nội dung câu hỏi trống."),
    ("topic", {"topic": ""}, "Thiếu chủ đề."),
    ("options", {"option-1": "", "option-2": ""}, "Cần ít nhất hai phương án trả lời."),
    ("options", {"option-2": "bộ phận một cửa"}, "Có hai phương án trùng nhau."),
    ("answer", {"answer": None}, "Thiếu đáp án đúng."),
    ("answer", {"answer": ["A", "B"]}, "Câu hỏi một đáp án chỉ được có đúng một đáp án đúng."),
    ("answer", {"kind": "multiple"}, "Câu hỏi nhiều đáp án cần ít nhất hai đáp án đúng"),
    ("weights", {"kind": "multiple", "answer": ["A", "B"], "weight-0": "50", "weight-1": "năm mươi"},
     "Trọng số phải là danh sách số (phần trăm), mỗi phương án một số."),
    ("points", {"points": "-2"}, "Điểm của câu “-2” phải là số dương."),
    ("difficulty", {"difficulty": "rất khó"}, "Độ khó “rất khó” không hợp lệ (dễ, trung bình, khó)."),
]


@pytest.mark.parametrize(("field", "change", "message"), INVALID, ids=[f"{f}-{i}" for i, (f, _, _) in
                                                                        enumerate(INVALID)])
def test_invalid_question_is_refused_with_the_message_beside_its_field(client, organiser, small_bank, field,
                                                                         change, message):
    response = post_question(client, **change)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="err-{field}" data-field="{field}">{message}' in html
    assert db.session.scalar(select(func.count(Question.id))) == 4


def test_editor_words_a_broken_question_as_a_file_import_does(client, organiser, small_bank):
    broken = ("bank: thu-loi\nquestions:\n  - id: L-1\n    topic: Chung\n    text: Câu hỏi?\n"
              "    options: [Một, Hai]\n    answer: C\n")
    [problem] = import_bank(broken.encode(), "thu-loi.yaml").errors
    db.session.rollback()
    response = post_question(client, **{"option-2": "", "answer": ["C"]})
    file_message = str(problem).split(": ", 1)[1]
    assert file_message == "Đáp án C không có phương án tương ứng."
    assert f'data-field="answer">{file_message}</p>' in response.get_data(as_text=True)


def test_checking_shows_the_preview_without_saving(client, organiser, small_bank):
    response = post_question(client, action="check")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<fieldset class="card question" id="cau-1"' in html
    assert db.session.scalar(select(func.count(Question.id))) == 4


# --- the JSON check as the organiser types ---------------------------------------------------------------------

def check(client, **fields):
    response = client.post("/admin/banks/ngan-hang-thu/questions/check", data=question_form(**fields))
    assert response.status_code == 200
    return response.get_json()


def test_typing_check_returns_the_errors_by_field(client, organiser, small_bank):
    data = check(client, text="", answer=None)
    assert data["ok"] is False
    assert data["errors"] == {"text": ["Nội dung câu hỏi trống."], "answer": ["Thiếu đáp án đúng."]}


def test_typing_check_lists_the_bank_lint_advice(client, organiser, small_bank):
    data = check(client, **{"option-2": "Tất cả các ý trên"})
    assert data["ok"] is True
    assert [f["rule"] for f in data["lint"]] == ["all-none"] and data["lint"][0]["severity"] == "error"


def test_typing_check_warns_of_the_same_question_in_the_bank(client, organiser, small_bank):
    data = check(client, text="Câu hỏi thử thứ tư?", **{"option-0": "Một", "option-1": "Hai", "option-2": "Ba"},
                 answer=["C"])
    assert data["warnings"] == ["Câu hỏi trùng nội dung với câu “T-004” của ngân hàng này."]


def test_typing_check_previews_with_the_attempt_page_markup(client, organiser, small_bank):
    data = check(client, kind="multiple", answer=["A", "B"])
    html = data["preview_html"]
    assert '<fieldset class="card question" id="cau-1"' in html and "Chọn tất cả các phương án đúng." in html
    assert html.count('type="checkbox" name="q1"') == 3 and "Bộ phận Một cửa" in html
    assert "đáp án" not in html.split("Chọn tất cả")[1].lower()  # the key is not shown to the taker


def test_typing_check_saves_nothing(client, organiser, small_bank):
    check(client)
    assert db.session.scalar(select(func.count(Question.id))) == 4 and audit("question.create") == []


# --- editing ---------------------------------------------------------------------------------------------------

def edit(client, question, **fields):
    return client.post(f"/admin/banks/ngan-hang-thu/questions/{question.id}/edit", data=question_form(**fields))


def test_edit_keeps_the_question_row_and_code(client, organiser, small_bank):
    question = by_code("T-001")
    question_id = question.id
    response = edit(client, question, code="KHAC-1")
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Question, question_id)
    assert edited.code == "T-001" and edited.text.startswith("Cơ quan nào") and by_code("KHAC-1") is None


def test_edit_is_audited_with_before_and_after(client, organiser, small_bank):
    question = by_code("T-001")
    edit(client, question, text="Câu hỏi thử số một về thể chế?", **{"option-0": "Phương án một",
         "option-1": "Phương án hai", "option-2": "Phương án ba", "option-3": "Phương án bốn"},
         answer=["C"], topic="Cải cách thể chế", difficulty="easy", source="Văn bản thử", explanation="")
    [entry] = audit("question.edit")
    assert entry.target_id == str(question.id)
    assert entry.changes == {"correct": [["B"], ["C"]]}


def test_edit_that_changes_nothing_writes_no_audit_entry(client, organiser, small_bank):
    question = by_code("T-003")
    form = client.get(f"/admin/banks/ngan-hang-thu/questions/{question.id}/edit")
    assert form.status_code == 200
    edit(client, question, topic="Cải cách thủ tục hành chính", kind="true_false", text="Câu hỏi đúng sai thử?",
         answer=["B"], difficulty="hard", explanation="Giải thích ngắn.", source="Văn bản thử",
         **{"option-0": "Đúng", "option-1": "Sai", "option-2": ""})
    assert audit("question.edit") == []


def test_edit_form_shows_the_stored_question(client, organiser, small_bank):
    question = by_code("T-002")
    html = client.get(f"/admin/banks/ngan-hang-thu/questions/{question.id}/edit").get_data(as_text=True)
    assert 'value="Sai hai"' in html and 'value="A" aria-label="Phương án A là đáp án đúng" checked' in html
    assert '<option value="multiple" selected>' in html


def test_attempt_started_before_an_edit_keeps_its_frozen_question(client, organiser, small_bank, make_round,
                                                                   make_user):
    round_ = make_round()
    taker = make_user()
    attempt = start_attempt(taker, round_)
    question = by_code("T-001")
    frozen = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id,
                                                             AttemptQuestion.question_id == question.id))
    old_key = frozen.options[frozen.correct[0]]
    edit(client, question, text="Nội dung đã sửa?", **{"option-0": "Mới một", "option-1": "Mới hai",
                                                       "option-2": "", "option-3": ""}, answer=["A"])
    db.session.expire_all()
    assert db.session.get(Question, question.id).text == "Nội dung đã sửa?"
    frozen = db.session.get(AttemptQuestion, frozen.id)
    assert frozen.text == "Câu hỏi thử số một về thể chế?" and old_key == "Phương án hai"
    frozen.selected = [frozen.options.index("Phương án hai")]
    db.session.commit()
    finish_attempt(db.session.get(type(attempt), attempt.id))
    assert db.session.get(AttemptQuestion, frozen.id).awarded == 1.0


# --- retire and restore ----------------------------------------------------------------------------------------

def retire(client, question):
    return client.post(f"/admin/banks/ngan-hang-thu/questions/{question.id}/retire")


def test_retired_question_is_not_drawn_for_new_attempts(client, organiser, small_bank, make_round, make_user):
    post_question(client, topic="Cải cách thể chế")  # a third question in the topic the round draws two of
    retire(client, by_code("T-001"))
    round_ = make_round()
    attempt = start_attempt(make_user(), round_)
    codes = {db.session.get(Question, q.question_id).code for q in attempt.questions}
    assert "T-001" not in codes and {"T-002", "CH-0005"} <= codes


def test_retired_question_stays_in_attempts_already_made(client, organiser, small_bank, make_round, make_user):
    attempt = start_attempt(make_user(), make_round())
    question = by_code("T-001")
    retire(client, question)
    db.session.expire_all()
    assert question.id in {q.question_id for q in db.session.get(type(attempt), attempt.id).questions}
    assert db.session.get(Question, question.id).status == "retired"


def test_restored_question_is_drawn_again(client, organiser, small_bank, make_round, make_user):
    question = by_code("T-001")
    retire(client, question)
    client.post(f"/admin/banks/ngan-hang-thu/questions/{question.id}/restore")
    attempt = start_attempt(make_user(), make_round())
    assert question.id in {q.question_id for q in attempt.questions}


def test_retire_and_restore_are_audited(client, organiser, small_bank):
    question = by_code("T-004")
    retire(client, question)
    client.post(f"/admin/banks/ngan-hang-thu/questions/{question.id}/restore")
    assert [e.changes["status"] for e in audit("question.retire") + audit("question.restore")] == \
        [["active", "retired"], ["retired", "active"]]


def test_bank_page_lists_retired_questions_with_a_restore_button(client, organiser, small_bank):
    retire(client, by_code("T-004"))
    html = client.get("/admin/banks/ngan-hang-thu/questions").get_data(as_text=True)
    assert "3 câu đang dùng, 1 câu ngừng dùng" in html and 'aria-label="Dùng lại câu T-004"' in html


def test_question_of_another_bank_is_not_found(client, organiser, small_bank):
    client.post("/admin/banks/new", data={"title": "Ngân hàng khác"})
    question = by_code("T-001")
    assert client.get(f"/admin/banks/ngan-hang-khac/questions/{question.id}/edit").status_code == 404
    assert client.post(f"/admin/banks/ngan-hang-khac/questions/{question.id}/retire").status_code == 404


# --- CSRF ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/admin/banks/new", "/admin/banks/ngan-hang-thu/questions/new",
                                  "/admin/banks/ngan-hang-thu/questions/check",
                                  "/admin/banks/ngan-hang-thu/questions/1/edit",
                                  "/admin/banks/ngan-hang-thu/questions/1/retire",
                                  "/admin/banks/ngan-hang-thu/questions/1/restore"])
def test_editor_post_without_csrf_token_is_refused(make_app, make_user, path):
    from contest.banks.importing import import_bank as load
    from tests.conftest import DATA, PASSWORD, _empty_tables

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        _empty_tables()
        assert load((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml").ok
        client = app.test_client()
        make_user(role="organiser", login="btc-csrf")
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"login": "btc-csrf", "password": PASSWORD, "csrf_token": token})
        response = client.post(path, data={**question_form(), "title": "Ngân hàng lạ"})
        assert response.status_code == 400
        assert db.session.scalar(select(func.count(Question.id))) == 4 and audit("question.retire") == []
        assert db.session.scalar(select(func.count(Bank.id))) == 1


# --- two organisers editing one question -----------------------------------------------------------------------

def seen_of(client, question):
    html = client.get(f"/admin/banks/ngan-hang-thu/questions/{question.id}/edit").get_data(as_text=True)
    return re.search(r'name="seen" value="([0-9a-f]{64})"', html).group(1)


def test_edit_of_a_question_changed_since_it_was_opened_is_refused(client, organiser, small_bank):
    question = by_code("T-001")
    seen = seen_of(client, question)
    edit(client, question, text="Bản của người thứ nhất?", seen=seen)  # another organiser saves first
    response = edit(client, question, text="Bản của người thứ hai?", seen=seen)
    assert response.status_code == 409
    assert "vừa được lưu bản khác lúc" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Question, question.id).text == "Bản của người thứ nhất?"


def test_saving_again_after_the_refusal_overwrites_knowingly(client, organiser, small_bank):
    question = by_code("T-001")
    seen = seen_of(client, question)
    edit(client, question, text="Bản của người thứ nhất?", seen=seen)
    refused = edit(client, question, text="Bản của người thứ hai?", seen=seen).get_data(as_text=True)
    newer = re.search(r'name="seen" value="([0-9a-f]{64})"', refused).group(1)
    assert edit(client, question, text="Bản của người thứ hai?", seen=newer).status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, question.id).text == "Bản của người thứ hai?"


def test_audit_page_names_the_editor_changes(client, organiser, small_bank):
    question = by_code("T-001")
    edit(client, question, text="Nội dung mới?")
    retire(client, question)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Sửa câu hỏi" in html and "Ngừng dùng câu hỏi" in html and "Sửa câu “T-001”" in html
