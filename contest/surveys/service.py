"""The knowledge survey from the database: who may see a result, one official's result by topic, and the
organiser's reports (participation, unit × topic rates, score bands, training needs, item analysis).

Every report takes the units the viewer may see (``None``: all, for organisers; a unit manager's subtree
otherwise) and counts only those units' people and attempts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from contest.accounts.models import User
from contest.attempts.models import Attempt, AttemptQuestion
from contest.audit.service import record
from contest.banks.models import Question, Topic
from contest.collation import name_sort_key, sort_key
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.surveys.figures import ALL, band_counts, topic_rates, training_needs
from contest.surveys.item_analysis import ItemStats, Response, analyse_items
from contest.units.models import Unit

OFFICIAL_ROLES = ("official", "unit_manager")


# --- who may see what ------------------------------------------------------------------------------------

def visible_units(viewer) -> set[int] | None:
    """The units whose survey results ``viewer`` may see: None for all (organisers), else a set (maybe empty)."""
    from contest.admin.access import visible_unit_ids

    return visible_unit_ids(viewer)


def can_view_result(viewer, attempt: Attempt) -> bool:
    """A survey result is for the official who took it, the organisers, and the managers of the unit."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if attempt.user_id == viewer.id or viewer.role == "organiser":
        return True
    if viewer.role == "unit_manager":
        units = visible_units(viewer)
        return units is not None and attempt.unit_id in units
    return False


def survey_contests() -> list[Contest]:
    """Every survey, newest first."""
    return db.session.scalars(select(Contest).where(Contest.kind == "survey")
                              .order_by(Contest.created_at.desc(), Contest.id.desc())).all()


# --- one result ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TopicLine:
    """One topic of one attempt: marks obtained and possible, questions right and asked."""

    name: str
    obtained: float
    possible: float
    right: int
    asked: int

    @property
    def rate(self) -> float | None:
        return self.obtained / self.possible if self.possible else None


def topic_breakdown(attempt: Attempt) -> list[TopicLine]:
    """The attempt's marks per topic, weakest first."""
    names = dict(db.session.execute(select(Topic.id, Topic.name)).all())
    lines: dict[int | None, list[float]] = {}
    for q in attempt.questions:
        acc = lines.setdefault(q.topic_id, [0.0, 0.0, 0, 0])
        acc[0] += q.awarded or 0.0
        acc[1] += q.points
        acc[2] += 1 if (q.awarded or 0) >= q.points else 0
        acc[3] += 1
    result = [TopicLine(names.get(t, "Chưa phân loại"), a[0], a[1], int(a[2]), int(a[3])) for t, a in lines.items()]
    return sorted(result, key=lambda line: (line.rate if line.rate is not None else 1.0, sort_key(line.name)))


# --- the reports -----------------------------------------------------------------------------------------

@dataclass
class UnitParticipation:
    """Invited, taken and not yet taken in one unit, with the people not yet taken."""

    unit: Unit
    invited: int
    taken: int
    pending: list[User] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.taken / self.invited if self.invited else None


@dataclass
class TakerResult:
    """One person's finished survey attempt, for the staff's list."""

    user: User
    unit: Unit | None
    attempt: Attempt


@dataclass
class SurveyReport:
    """Everything the report pages and the Excel export show for one round, for one viewer."""

    round: Round
    scoped: bool  # True when limited to a unit manager's units
    units: list[Unit]  # units with people or results, by code
    topics: list[Topic]
    participation: list[UnitParticipation]
    rates: dict  # unit id (ALL for the whole row) -> topic id -> Rate
    bands: dict  # unit id (ALL) -> band -> count
    needs: dict  # unit id (ALL) -> [Need]
    results: list[TakerResult]

    @property
    def total_invited(self) -> int:
        return sum(p.invited for p in self.participation)

    @property
    def total_taken(self) -> int:
        return sum(p.taken for p in self.participation)

    @property
    def whole_label(self) -> str:
        return "Các đơn vị bạn phụ trách" if self.scoped else "Toàn phường"


def _finished_attempts(round_: Round, unit_ids: set[int] | None) -> list[Attempt]:
    """Each person's first finished attempt in the round (a survey allows one), within ``unit_ids``."""
    query = select(Attempt).where(Attempt.round_id == round_.id, Attempt.state == "finished")
    if unit_ids is not None:
        query = query.where(Attempt.unit_id.in_(unit_ids))
    first: dict[int, Attempt] = {}
    for attempt in db.session.scalars(query.order_by(Attempt.number)):
        first.setdefault(attempt.user_id, attempt)
    return list(first.values())


def _answers(attempt_ids: list[int]):
    if not attempt_ids:
        return []
    return db.session.execute(
        select(AttemptQuestion.attempt_id, AttemptQuestion.question_id, AttemptQuestion.topic_id,
               AttemptQuestion.awarded, AttemptQuestion.points, AttemptQuestion.options, AttemptQuestion.selected,
               AttemptQuestion.correct)
        .where(AttemptQuestion.attempt_id.in_(attempt_ids))).all()


def build_report(round_: Round, unit_ids: set[int] | None) -> SurveyReport:
    """The round's reports, counting only ``unit_ids`` (None: every unit)."""
    invited_query = select(User).where(User.role.in_(OFFICIAL_ROLES), User.unit_id.is_not(None),
                                       User.is_locked.is_(False))
    if unit_ids is not None:
        invited_query = invited_query.where(User.unit_id.in_(unit_ids))
    invited = sorted(db.session.scalars(invited_query).all(), key=lambda u: (name_sort_key(u.full_name), u.id))
    attempts = _finished_attempts(round_, unit_ids)
    taken_users = {a.user_id for a in attempts}

    unit_ids_used = {u.unit_id for u in invited} | {a.unit_id for a in attempts if a.unit_id is not None}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids_used)))} \
        if unit_ids_used else {}
    ordered_units = sorted(units.values(), key=lambda u: (sort_key(u.name), u.id))

    by_unit: dict[int, UnitParticipation] = {}
    for person in invited:
        line = by_unit.setdefault(person.unit_id, UnitParticipation(units[person.unit_id], 0, 0))
        line.invited += 1
        if person.id in taken_users:
            line.taken += 1
        else:
            line.pending.append(person)
    participation = [by_unit[u.id] for u in ordered_units if u.id in by_unit]

    unit_of_attempt = {a.id: a.unit_id for a in attempts}
    answers = _answers(list(unit_of_attempt))
    rates = topic_rates((unit_of_attempt[row.attempt_id], row.topic_id, row.awarded or 0.0, row.points)
                        for row in answers)
    topic_ids = {t for unit_rates in rates.values() for t in unit_rates if t is not None}
    topics = sorted(db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids))).all(),
                    key=lambda t: sort_key(t.name)) if topic_ids else []
    bands = band_counts((a.unit_id, a.score or 0.0, a.max_score) for a in attempts)
    needs = {unit_id: training_needs(unit_rates, rates[ALL]) for unit_id, unit_rates in rates.items()}

    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(taken_users)))} \
        if taken_users else {}
    results = sorted((TakerResult(people[a.user_id], units.get(a.unit_id), a) for a in attempts),
                     key=lambda r: (r.unit is None, sort_key(r.unit.name if r.unit else ""),
                                    name_sort_key(r.user.full_name), r.user.id))
    return SurveyReport(round_, unit_ids is not None, ordered_units, list(topics), participation, rates, bands,
                        needs, results)


@dataclass
class ItemRow:
    """One question's statistics with what the organiser needs to recognise and fix it."""

    question_id: int
    code: str
    topic: str
    text: str
    options: list[str]
    correct: set[str]
    stats: ItemStats


def item_report(round_: Round, unit_ids: set[int] | None) -> list[ItemRow]:
    """Item analysis of the round's questions over the finished attempts of ``unit_ids``; flagged items first.

    Options are shuffled per attempt, so each answer is mapped back to its option by text, and options are
    reported in the bank's order.
    """
    attempts = _finished_attempts(round_, unit_ids)
    answers = [row for row in _answers([a.id for a in attempts]) if row.question_id is not None]
    question_ids = {row.question_id for row in answers}
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(question_ids)))} \
        if question_ids else {}
    topics = dict(db.session.execute(select(Topic.id, Topic.name)).all())

    options: dict[int, list[str]] = {qid: list(q.options) for qid, q in questions.items()}
    correct: dict[int, set[str]] = {}
    responses = []
    for row in answers:
        chosen = tuple(row.options[i] for i in (row.selected or []) if 0 <= i < len(row.options))
        correct.setdefault(row.question_id, {row.options[i] for i in row.correct if 0 <= i < len(row.options)})
        responses.append(Response(row.attempt_id, row.question_id, row.awarded or 0.0, row.points, chosen))
    rows = []
    for stats in analyse_items(responses, options):
        q = questions.get(stats.item)
        rows.append(ItemRow(stats.item, q.code if q else str(stats.item), topics.get(q.topic_id, "") if q else "",
                            q.text if q else "", list(stats.option_shares), correct.get(stats.item, set()), stats))
    rows.sort(key=lambda r: (not r.stats.flags, r.topic, r.code))
    return rows


def record_report_export(round_: Round, unit_ids: set[int] | None) -> None:
    """Log that the round's report (with officials' names and results) left the system."""
    record("export", target=round_, summary=f"Xuất báo cáo khảo sát “{round_.contest.title}” – {round_.title}"
                                            + ("" if unit_ids is None else " (các đơn vị được phụ trách)"),
           changes={"units": None if unit_ids is None else sorted(unit_ids)})
    db.session.commit()
