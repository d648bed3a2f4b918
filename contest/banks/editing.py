"""Use cases for editing a bank in the browser: create an empty bank, check a question as it is typed, add,
edit, retire and restore questions.

Every question goes through :func:`contest.banks.parsing.build_question`, the function every file format calls,
so the browser and the files share one set of rules and one set of Vietnamese messages. A question keeps its
row and its code through every edit (rounds draw by row, re-imports match by code); an attempt already started
holds its own frozen copy (``AttemptQuestion``), so an edit never reaches it. Each change is audited and
committed here, once per use case.

Why this module is long: each of its use cases (create a bank, check, add, edit, retire, restore) is short,
but they share the form-to-question mapping and the stale-edit and concurrent-code checks; split apart they
would each import the others' private helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from contest import clock
from contest.audit.service import diff, record
from contest.banks.exports import bank_questions
from contest.banks.importing import bank_name_problem, question_values, topics_by_name
from contest.banks.lint import LintFinding, lint_questions
from contest.banks.models import Bank, Question, Topic
from contest.banks.parsing import (
    LETTERS,
    MAX_OPTIONS,
    FieldProblem,
    ParsedQuestion,
    build_question,
    identity_hash,
)
from contest.banks.topics import near_topic_warnings
from contest.extensions import db
from contest.vntext import clean, code_from_title, fold

# Banks larger than this are linted one question alone while the organiser types: the whole-bank rules (leaks,
# near duplicates) compare every pair, about 0.3 s for the 241 questions of the default bank and 2 s for 3,000
# (`flask bank lint` checks a whole bank of any size).
LINT_BANK_MAX = 1000
_CODE_NUMBER = re.compile(r"CH-(\d+)")
ADD_RETRIES = 3


class EditorError(Exception):
    """A bank editing use case refused, with a Vietnamese message."""


@dataclass
class QuestionDraft:
    """A question as typed in the editor's form: raw text, checked only by :func:`check_question`."""

    topic: str = ""
    kind: str = "single"
    text: str = ""
    options: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    weights: list[str] = field(default_factory=list)
    points: str = ""
    explanation: str = ""
    difficulty: str = "medium"
    source: str = ""
    code: str = ""

    @classmethod
    def from_question(cls, question: Question) -> QuestionDraft:
        """The form's values for a stored question."""
        weights = [_number(w) for w in question.weights] if question.weights else []
        return cls(topic=question.topic.name, kind=question.kind, text=question.text,
                   options=list(question.options), answer=[LETTERS[i] for i in question.correct],
                   weights=weights, points=_number(question.points), explanation=question.explanation or "",
                   difficulty=question.difficulty, source=question.source or "", code=question.code)


@dataclass
class DraftCheck:
    """What the rules say about a draft: the question when it is valid, the errors by field, and advice that
    never blocks saving (duplicates, near topic names, the bank lint)."""

    question: ParsedQuestion | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    lint: list[LintFinding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.question is not None and not self.errors

    def as_dict(self) -> dict:
        return {"ok": self.ok, "errors": self.errors, "warnings": self.warnings,
                "lint": [{"severity": f.severity, "rule": f.rule, "message": f.message} for f in self.lint]}


class QuestionInvalid(EditorError):
    """A draft that breaks the rules; carries the check so the form can show every message by its field."""

    def __init__(self, check: DraftCheck):
        super().__init__("Câu hỏi còn lỗi; xem thông báo bên cạnh từng ô.")
        self.check = check


class StaleEdit(EditorError):
    """The question changed after the organiser opened it."""

    def __init__(self, question: Question):
        when = clock.to_vn(question.updated_at).strftime("%H:%M ngày %d/%m/%Y")
        super().__init__(f"Câu “{question.code}” vừa được lưu bản khác lúc {when}, sau khi bạn mở trang này; nội "
                         "dung của bạn bên dưới chưa được lưu. Bấm “Lưu câu hỏi” lần nữa để ghi đè, hoặc mở lại câu "
                         "hỏi để xem bản mới.")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _sentence(message: str) -> str:
    """A rule's message as a sentence of its own (the file formats put it after "Dòng 3: ")."""
    return message[:1].upper() + message[1:]


def _raw_weights(draft: QuestionDraft) -> list[str] | None:
    """The weights typed for the options in use (up to the last option written), or None when none is typed."""
    used = max((i + 1 for i, o in enumerate(draft.options) if clean(o)), default=0)
    if draft.kind == "true_false" and used == 0:
        used = 2
    weights = [clean(w) for w in (draft.weights + [""] * MAX_OPTIONS)[:used]]
    return weights if any(weights) else None


def check_question(bank: Bank, draft: QuestionDraft, question: Question | None = None) -> DraftCheck:
    """Check a draft by the rules of the file formats, against its bank: ``question`` is the stored question
    being edited (its code never changes), None for a new one."""
    code = question.code if question is not None else clean(draft.code)
    parsed, problems = build_question(code=code, topic=draft.topic, kind=draft.kind, text=draft.text,
                                      options=list(draft.options), answer=[a for a in draft.answer if clean(a)] or None,
                                      weights=_raw_weights(draft), points=draft.points,
                                      explanation=draft.explanation, difficulty=draft.difficulty,
                                      source=draft.source)
    check = DraftCheck(question=parsed)
    for problem in problems:
        name = problem.field if isinstance(problem, FieldProblem) else "text"
        check.errors.setdefault(name, []).append(_sentence(problem))
    if question is None and code:
        taken = db.session.scalar(select(Question.id).where(Question.bank_id == bank.id, Question.code == code))
        if taken is not None:
            check.errors.setdefault("code", []).append(
                f"Mã câu hỏi “{code}” đã có trong ngân hàng này (kể cả câu đã ngừng dùng); hãy chọn mã khác "
                "hoặc để trống để hệ thống tự đặt.")
    if parsed is None:
        check.question = None
        return check
    check.warnings.extend(_duplicate_warnings(bank, parsed, question))
    check.warnings.extend(_sentence(m) for m in near_topic_warnings(
        {parsed.topic}, db.session.scalars(select(Topic.name))))
    check.lint = _lint(bank, parsed, question)
    return check


def _duplicate_warnings(bank: Bank, parsed: ParsedQuestion, question: Question | None) -> list[str]:
    """A warning for each active question, in any bank, whose text and options are the draft's."""
    mine, my_text = identity_hash(parsed.text, parsed.options), fold(parsed.text)
    # The texts alone first: reading and folding every option of every question on each keystroke costs more.
    same_text = [qid for qid, text in db.session.execute(select(Question.id, Question.text)
                                                         .where(Question.status == "active"))
                 if fold(text) == my_text and (question is None or qid != question.id)]
    if not same_text:
        return []
    rows = db.session.execute(
        select(Question.code, Question.text, Question.options, Bank.name).join(Bank, Bank.id == Question.bank_id)
        .where(Question.id.in_(same_text)).order_by(Bank.name, Question.id))
    return [f"Câu hỏi trùng nội dung với câu “{code}” của "
            + ("ngân hàng này." if bank_name == bank.name else f"ngân hàng “{bank_name}”.")
            for code, text, options, bank_name in rows if identity_hash(text, options or []) == mine]


def _lint(bank: Bank, parsed: ParsedQuestion, question: Question | None) -> list[LintFinding]:
    """The bank lint's findings on the draft, read against the other active questions of its bank."""
    marker = "\x00ban-nhap"  # a code no stored question has: the draft's findings carry it
    draft = replace(parsed, code=marker, where=None, number=None)
    size = db.session.scalar(select(func.count(Question.id)).where(Question.bank_id == bank.id,
                                                                  Question.status == "active"))
    others = [q for q in bank_questions(bank) if question is None or q.code != question.code] \
        if size <= LINT_BANK_MAX else []
    pool = [*others, draft]
    findings = lint_questions(pool).findings
    return [replace(f, code=None) for f in findings if f.code == marker]


# --- use cases -------------------------------------------------------------------------------------------------

def create_bank(title: str, description: str | None = None, owner_unit_id: int | None = None) -> Bank:
    """Create an empty bank named after its title (the code is derived: lower case, no accents, hyphens), owned
    by ``owner_unit_id`` (None: the whole deployment)."""
    title_text = clean(title)
    if not title_text:
        raise EditorError("Nhập tên ngân hàng.")
    if len(title_text) > 255:
        raise EditorError("Tên ngân hàng dài quá 255 ký tự.")
    name = code_from_title(title_text)
    problem = bank_name_problem(name)
    if problem is not None:
        raise EditorError("Tên ngân hàng cần có ít nhất một chữ cái hoặc chữ số.")
    if db.session.scalar(select(Bank.id).where(Bank.name == name)) is not None:
        raise EditorError(f"Đã có ngân hàng mã “{name}”; hãy đặt tên khác.")
    bank = Bank(name=name, title=title_text, description=clean(description) or None, imported_at=clock.now(),
                owner_unit_id=owner_unit_id)
    db.session.add(bank)
    try:
        db.session.flush()
    except (IntegrityError, OperationalError):
        db.session.rollback()  # the same name created a moment ago by another organiser
        raise EditorError(f"Đã có ngân hàng mã “{name}”; hãy đặt tên khác.") from None
    record("bank.create", target=bank, summary=f"Tạo ngân hàng “{bank.title}” ({bank.name}) trên trình duyệt",
           changes={"name": bank.name, "title": bank.title})
    db.session.commit()
    return bank


def next_code(bank: Bank) -> str:
    """A code for a question typed without one: CH-0001, CH-0002… after the highest already in the bank."""
    codes = db.session.scalars(select(Question.code).where(Question.bank_id == bank.id))
    highest = max((int(m.group(1)) for c in codes if (m := _CODE_NUMBER.fullmatch(c or ""))), default=0)
    count = db.session.scalar(select(func.count(Question.id)).where(Question.bank_id == bank.id)) or 0
    return f"CH-{max(highest, count) + 1:04d}"


def add_question(bank: Bank, draft: QuestionDraft) -> Question:
    """Add a question to ``bank``; raises :class:`QuestionInvalid` when a rule is broken.

    Two organisers saving at once may both be given the same next code (or both create a new topic): the
    database's unique keys refuse the second, which looks again and takes the code after.
    """
    typed = clean(draft.code)
    for _ in range(ADD_RETRIES):
        check = check_question(bank, draft if typed else replace(draft, code=next_code(bank)))
        if not check.ok:
            raise QuestionInvalid(check)
        parsed = check.question
        now = clock.now()
        try:
            topic = topic_for(topics_by_name({parsed.topic}), parsed)
            question = Question(bank_id=bank.id, code=parsed.stable_code, created_at=now,
                                **question_values(parsed, topic.id, now))
            db.session.add(question)
            db.session.flush()
        except (IntegrityError, OperationalError):
            db.session.rollback()  # another save took the code or the topic first: look again
            continue
        record("question.create", target=question,
               summary=f"Thêm câu “{question.code}” vào ngân hàng “{bank.name}”",
               changes={"bank": bank.name, **_audited(parsed)})
        db.session.commit()
        return question
    raise EditorError("Hệ thống đang bận; vui lòng bấm lưu lại sau ít giây.")


def edit_question(question: Question, draft: QuestionDraft, *, seen: str | None = None) -> bool:
    """Save an edit of ``question`` in place (same row, same code, same status); False when nothing changed.

    ``seen`` is the content hash of the question as the organiser opened it: when someone saved another version
    since, :class:`StaleEdit` is raised rather than overwrite it unseen. Attempts already started keep their
    frozen copy, so the edit reaches only attempts started afterwards.
    """
    if seen is not None and seen != question.content_hash:
        raise StaleEdit(question)
    check = check_question(question.bank, draft, question)
    if not check.ok:
        raise QuestionInvalid(check)
    parsed = check.question
    before = _audited(_parsed_of(question))
    after = _audited(parsed)
    changes = diff(before, after)
    if not changes:
        return False
    now = clock.now()
    topic = topics_by_name({parsed.topic})
    values = question_values(parsed, topic_for(topic, parsed).id, now)
    values.pop("status")  # an edit neither retires nor restores
    for name, value in values.items():
        setattr(question, name, value)
    record("question.edit", target=question, summary=f"Sửa câu “{question.code}” của ngân hàng "
                                                     f"“{question.bank.name}”", changes=changes)
    db.session.commit()
    return True


def retire_question(question: Question) -> None:
    """Stop drawing ``question`` for new attempts; it stays in its bank and in every attempt that used it."""
    _set_status(question, "retired", "question.retire", "Ngừng dùng")


def restore_question(question: Question) -> None:
    """Draw a retired question again."""
    _set_status(question, "active", "question.restore", "Dùng lại")


def _set_status(question: Question, status: str, action: str, verb: str) -> None:
    if question.status == status:
        return
    before = question.status
    question.status = status
    question.updated_at = clock.now()
    record(action, target=question, summary=f"{verb} câu “{question.code}” của ngân hàng “{question.bank.name}”",
           changes={"status": [before, status]})
    db.session.commit()


def topic_for(topics: dict[str, Topic], parsed: ParsedQuestion) -> Topic:
    """The topic row a checked question names (matched loosely, as imports match it)."""
    return topics[fold(parsed.topic)]


def _parsed_of(question: Question) -> ParsedQuestion:
    return ParsedQuestion(code=question.code, topic=question.topic.name, kind=question.kind, text=question.text,
                          options=tuple(question.options), correct=tuple(question.correct),
                          weights=tuple(question.weights) if question.weights else None, points=question.points,
                          explanation=question.explanation, difficulty=question.difficulty, source=question.source)


def _audited(parsed: ParsedQuestion) -> dict:
    """The fields of a question the audit log compares, as readable values."""
    return {"topic": parsed.topic, "kind": parsed.kind, "text": parsed.text, "options": list(parsed.options),
            "correct": [LETTERS[i] for i in parsed.correct],
            "weights": list(parsed.weights) if parsed.weights else None, "points": parsed.points,
            "explanation": parsed.explanation, "difficulty": parsed.difficulty, "source": parsed.source}
