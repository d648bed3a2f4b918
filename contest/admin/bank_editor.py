"""Organiser pages to write a bank in the browser: create an empty bank, list its questions, add and edit a
question (checked as it is typed, previewed as a taker sees it), retire and restore.

The views read the form and call :mod:`contest.banks.editing`, which checks every question by the rules of the
file formats and commits once per use case.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from contest.admin import bp
from contest.banks.editing import (
    DraftCheck,
    EditorError,
    QuestionDraft,
    QuestionInvalid,
    StaleEdit,
    add_question,
    check_question,
    create_bank,
    edit_question,
    restore_question,
    retire_question,
)
from contest.banks.exporting import DIFFICULTY_LABELS, KIND_LABELS
from contest.banks.models import QUESTION_KINDS, Bank, Question, Topic
from contest.banks.parsing import LETTERS, MAX_OPTIONS
from contest.banks.sharing import changeable_bank, new_bank_owner, readable_bank
from contest.collation import sort_key
from contest.extensions import db

# The field names of the question form, in the order a message about them is read.
FIELD_LABELS = {"code": "Mã câu", "topic": "Chủ đề", "kind": "Loại câu hỏi", "text": "Nội dung câu hỏi",
                "options": "Phương án trả lời", "answer": "Đáp án đúng", "weights": "Trọng số",
                "points": "Điểm", "difficulty": "Độ khó"}


class BankCreateForm(FlaskForm):
    """A new, empty bank: its title (the code is derived from it) and a description."""

    title = StringField("Tên ngân hàng", validators=[DataRequired("Nhập tên ngân hàng."), Length(max=255)],
                        description="Ví dụ “Câu hỏi CCHC phường 2026”; mã ngân hàng (cau-hoi-cchc-phuong-2026) "
                                    "được tạo tự động từ tên.")
    description = TextAreaField("Mô tả (không bắt buộc)", validators=[Optional(), Length(max=2000)])


class ActionForm(FlaskForm):
    """An empty form: only its CSRF token matters (retire, restore, and the question form's token)."""


def _bank_or_404(name: str, *, change: bool = True) -> Bank:
    """The bank, if the organiser may change it (or only read it, with ``change=False``); else 404: a ward
    reads the city's banks but never changes them."""
    bank = changeable_bank(name, current_user) if change else readable_bank(name, current_user)
    if bank is None:
        abort(404)
    return bank


def _question_or_404(bank: Bank, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.bank_id != bank.id:
        abort(404)
    return question


def _draft_from_form() -> QuestionDraft:
    """The question as posted: one text field per option, the ticked letters, one weight per option."""
    form = request.form
    return QuestionDraft(
        code=form.get("code", ""), topic=form.get("topic", ""), kind=form.get("kind", ""),
        text=form.get("text", ""), options=[form.get(f"option-{i}", "") for i in range(MAX_OPTIONS)],
        answer=[a for a in form.getlist("answer") if a in LETTERS[:MAX_OPTIONS]],
        weights=[form.get(f"weight-{i}", "") for i in range(MAX_OPTIONS)], points=form.get("points", ""),
        explanation=form.get("explanation", ""), difficulty=form.get("difficulty", ""),
        source=form.get("source", ""))


def _preview_question(check: DraftCheck) -> dict | None:
    """The checked question in the shape the attempt page's question partial reads."""
    q = check.question
    if q is None:
        return None
    return {"position": 1, "seq": 0, "selected": None, "kind": q.kind, "text": q.text, "options": list(q.options)}


def _render_form(bank: Bank, draft: QuestionDraft, question: Question | None, check: DraftCheck | None,
                 status: int = 200, seen: str | None = None):
    topics = sorted(db.session.scalars(select(Topic.name)).all(), key=sort_key)
    return render_template("admin/banks/question_form.html", bank=bank, draft=draft, question=question,
                           check=check, preview=_preview_question(check) if check else None, topics=topics,
                           kinds=QUESTION_KINDS, difficulties=DIFFICULTY_LABELS, letters=LETTERS[:MAX_OPTIONS],
                           field_labels=FIELD_LABELS, form=ActionForm(),
                           seen=seen or (question.content_hash if question is not None else "")), status


@bp.route("/banks/new", methods=["GET", "POST"])
def bank_new():
    """Create a new, empty bank to write questions into."""
    form = BankCreateForm()
    status = 200
    if form.validate_on_submit():
        try:
            bank = create_bank(form.title.data, form.description.data, new_bank_owner(current_user))
        except EditorError as exc:
            form.title.errors.append(str(exc))
        else:
            flash(f"Đã tạo ngân hàng “{bank.title}”. Hãy thêm câu hỏi đầu tiên.", "success")
            return redirect(url_for("admin.bank_questions", name=bank.name))
    if form.errors:
        status = 422
    return render_template("admin/banks/new.html", form=form), status


@bp.route("/banks/<name>/questions")
def bank_questions(name: str):
    """A bank's questions, in use and retired, with the actions on each (a city bank, to a ward: read-only)."""
    bank = _bank_or_404(name, change=False)
    questions = db.session.scalars(select(Question).where(Question.bank_id == bank.id)
                                   .order_by(Question.status, Question.id)).all()
    return render_template("admin/banks/questions.html", bank=bank, questions=questions, kind_labels=KIND_LABELS,
                           difficulties=DIFFICULTY_LABELS, form=ActionForm(),
                           editable=changeable_bank(name, current_user) is not None,
                           active=sum(1 for q in questions if q.status == "active"))


@bp.route("/banks/<name>/questions/new", methods=["GET", "POST"])
def question_new(name: str):
    """Write a new question; "Kiểm tra và xem trước" shows the messages and the preview without saving."""
    bank = _bank_or_404(name)
    if request.method == "GET":
        return _render_form(bank, QuestionDraft(), None, None)
    return _post_question(bank, None)


@bp.route("/banks/<name>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def question_edit(name: str, question_id: int):
    """Edit a question in place: its code stays, attempts already started keep what they showed."""
    bank = _bank_or_404(name)
    question = _question_or_404(bank, question_id)
    if request.method == "GET":
        draft = QuestionDraft.from_question(question)
        return _render_form(bank, draft, question, check_question(bank, draft, question))
    return _post_question(bank, question)


def _post_question(bank: Bank, question: Question | None):
    draft = _draft_from_form()
    # The version the organiser opened (edits only): kept through re-displays of the form.
    seen = request.form.get("seen", "")[:64] or None if question is not None else None
    if question is not None:
        draft.code = question.code
    if not ActionForm().validate_on_submit():
        flash("Phiên làm việc đã hết hạn. Vui lòng tải lại trang rồi thử lại.", "error")
        return _render_form(bank, draft, question, None, 400, seen)
    if request.form.get("action") == "check":
        check = check_question(bank, draft, question)
        return _render_form(bank, draft, question, check, 200 if check.ok else 422, seen)
    try:
        if question is None:
            saved = add_question(bank, draft)
            flash(f"Đã thêm câu “{saved.code}”.", "success")
        elif edit_question(question, draft, seen=seen):
            flash(f"Đã lưu câu “{question.code}”. Bài thi đã bắt đầu trước đó vẫn giữ nội dung cũ.", "success")
        else:
            flash(f"Câu “{question.code}” không có gì thay đổi.", "info")
    except QuestionInvalid as exc:
        db.session.rollback()
        return _render_form(bank, draft, question, exc.check, 422, seen)
    except StaleEdit as exc:
        # Shown with the organiser's text; the form now carries the newer version, so saving again overwrites.
        flash(str(exc), "error")
        return _render_form(bank, draft, question, check_question(bank, draft, question), 409)
    except EditorError as exc:
        flash(str(exc), "error")
        return _render_form(bank, draft, question, None, 503, seen)
    if request.form.get("action") == "save-new":
        return redirect(url_for("admin.question_new", name=bank.name))
    return redirect(url_for("admin.bank_questions", name=bank.name))


@bp.route("/banks/<name>/questions/check", methods=["POST"])
def question_check(name: str):
    """The rules' messages, the lint's advice and the taker's preview of a question being typed (JSON, for
    bank_editor.js; nothing is saved)."""
    bank = _bank_or_404(name)
    question = None
    question_id = request.form.get("question_id", "")
    if question_id.isascii() and question_id.isdigit() and len(question_id) < 12:
        question = db.session.get(Question, int(question_id))
        if question is not None and question.bank_id != bank.id:
            question = None
    draft = _draft_from_form()
    check = check_question(bank, draft, question)
    preview = _preview_question(check)
    html = render_template("admin/banks/_preview.html", q=preview) if preview else ""
    return jsonify({**check.as_dict(), "preview_html": html})


@bp.route("/banks/<name>/questions/<int:question_id>/retire", methods=["POST"])
def question_retire(name: str, question_id: int):
    """Stop drawing a question for new attempts (it stays in the bank and in past attempts)."""
    return _change_status(name, question_id, retire_question,
                          "Đã ngừng dùng câu “{}”: đề mới không rút câu này nữa; bài đã làm không đổi.")


@bp.route("/banks/<name>/questions/<int:question_id>/restore", methods=["POST"])
def question_restore(name: str, question_id: int):
    """Draw a retired question again."""
    return _change_status(name, question_id, restore_question, "Đã dùng lại câu “{}”.")


def _change_status(name: str, question_id: int, change, message: str):
    bank = _bank_or_404(name)
    question = _question_or_404(bank, question_id)
    if ActionForm().validate_on_submit():
        change(question)
        flash(message.format(question.code), "success")
    else:
        flash("Phiên làm việc đã hết hạn. Vui lòng tải lại trang rồi thử lại.", "error")
    return redirect(url_for("admin.bank_questions", name=bank.name))
