"""The knowledge survey from the database: who may see a result, one official's result by topic, and the
organiser's reports (participation, unit × topic rates, score bands, training needs, item analysis).

Every report takes the units the viewer may see (``None``: all, for organisers; a unit manager's subtree
otherwise) and counts only those units' people and attempts.

The figures come from ONE set-based read of the round's answers (Core rows, streamed in partitions, the JSON
of options and choices kept as codes) handed to the pure pandas functions of ``figures`` and
``item_analysis``; the report's figures need only the marks, so until the item analysis is asked for the read
leaves out the JSON columns (half its cost). They are stored in ``survey_figures`` for every unit at once,
with the *version* of the round's finished attempts they come from (:func:`figures_version`): a page or export
reads the stored figures while that version holds, and the first one after a change recomputes them —
:func:`round_figures` is the only place that reads, recomputes or replaces them. A unit manager's figures are the stored ones of their units,
added up again.

Why this module is long: the survey's reports read the round's answers once and store the figures for every
unit (:func:`round_figures`); the pages' readers stay beside that one read and its cache version.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import LargeBinary, Text, and_, case, cast, exists, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from contest import clock
from contest.accounts.models import User
from contest.attempts.models import Attempt, AttemptQuestion
from contest.banks.models import Question, Topic
from contest.collation import name_sort_key, sort_key
from contest.contests.models import Contest, Round
from contest.extensions import db
from contest.surveys.figures import (
    ALL,
    bands_by_unit,
    needs_mapping,
    needs_table,
    rates_by_unit,
    roll_up_bands,
    roll_up_topics,
    whole_topics,
)
from contest.surveys.frames import (
    Figures,
    RoundRows,
    compute_figures,
    from_payload,
    report_figures,
    round_rows,
    to_payload,
    with_items,
)
from contest.surveys.item_analysis import ItemStats, item_stats
from contest.surveys.models import SurveyFigures
from contest.units.models import Unit
from contest.units.scope import is_scoped, may_manage, may_read, ward_map
from contest.units.service import visible_unit_ids

OFFICIAL_ROLES = ("official", "unit_manager")


# --- who may see what ------------------------------------------------------------------------------------

def visible_units(viewer) -> set[int] | None:
    """The units whose survey results ``viewer`` may see: None for all (organisers), else a set (maybe empty)."""
    return visible_unit_ids(viewer)


def can_view_result(viewer, attempt: Attempt) -> bool:
    """A survey result is for the official who took it, the organisers (a ward's: of their ward only), and the
    managers of the unit."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if attempt.user_id == viewer.id:
        return True
    if viewer.role == "organiser" and not is_scoped(viewer):
        return True
    if viewer.role in ("organiser", "unit_manager"):
        units = visible_units(viewer)
        return units is not None and attempt.unit_id in units
    return False


def may_view_survey(viewer, contest: Contest) -> bool:
    """Whether ``viewer`` may open a survey's reports: a ward organiser their ward's surveys and, as a slice
    of their ward, the city's (owned by a unit above the ward, or by nobody); everyone else as today (what they
    see is narrowed to their units)."""
    return not is_scoped(viewer) or may_read(viewer, contest.owner_unit_id)


def may_change_survey(viewer, contest: Contest) -> bool:
    """Whether ``viewer`` may change a survey's settings (a ward organiser: not the city's)."""
    return may_manage(viewer, contest.owner_unit_id)


def survey_contests(viewer=None) -> list[Contest]:
    """Every survey ``viewer`` may open (every one when None), newest first."""
    contests = db.session.scalars(select(Contest).where(Contest.kind == "survey")
                                  .order_by(Contest.created_at.desc(), Contest.id.desc())).all()
    return contests if viewer is None else [c for c in contests if may_view_survey(viewer, c)]


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


# --- one read of the round ---------------------------------------------------------------------------------

log = logging.getLogger(__name__)
RESULTS_PER_PAGE = 100
FORMAT = "4"  # of the stored payload: a change of the code that computes it invalidates what is stored
_PARTITION = 2_000  # rows per part of the answers' read: small parts keep the peak memory low


def _finished(query, round_: Round, unit_ids: set[int] | None):
    query = query.where(Attempt.round_id == round_.id, Attempt.state == "finished", Attempt.is_practice.is_(False))
    return query if unit_ids is None else query.where(Attempt.unit_id.in_(unit_ids))


def answers_statement(round_: Round, unit_ids: set[int] | None, json_as=Text, choices: bool = True):
    """The Core select of the answers of the round's finished attempts (ANSWER_COLUMNS of ``frames``), the
    JSON columns cast to ``json_as`` (text, or SQLite's BLOB: see :func:`_read_round`); without them (the
    marks alone) unless ``choices``."""
    columns = [AttemptQuestion.attempt_id, AttemptQuestion.question_id, AttemptQuestion.topic_id,
               AttemptQuestion.awarded, AttemptQuestion.points]
    if choices:
        columns += [cast(AttemptQuestion.options, json_as), cast(AttemptQuestion.selected, json_as),
                    cast(AttemptQuestion.correct, json_as)]
    return _finished(select(*columns).join(Attempt, Attempt.id == AttemptQuestion.attempt_id), round_, unit_ids)


def driver_rows(statement, size: int = _PARTITION) -> Iterator[list[tuple]]:
    """The rows of a Core ``statement`` in parts of ``size``, as plain tuples straight from the database
    driver, in the session's transaction: at 240,000 rows SQLAlchemy's row objects cost more than the read
    itself. A server-side cursor on PostgreSQL, so that the rows are never all in memory at once. The
    statement's values (ids, fixed words) are written into its text."""
    connection = db.session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    raw = connection.connection.dbapi_connection
    cursor = raw.cursor(name="hoithi_survey_rows") if connection.dialect.name == "postgresql" else raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()


def read_round(round_: Round, unit_ids: set[int] | None, choices: bool = True) -> RoundRows:
    """The round's finished attempts (first per person) and their answers, within ``unit_ids`` (None: all):
    the attempts in one read, the answers in one set-based read streamed in parts — with what each person
    chose (for the item analysis) unless ``choices`` is False (the marks alone: half the read).

    Python's cyclic garbage collector is paused meanwhile: the rows make hundreds of thousands of tuples and
    no cycle, and its passes over the whole heap cost more than the read (it runs again at the end).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_round(round_, unit_ids, choices)
    finally:
        if enabled:
            gc.enable()


def _read_round(round_: Round, unit_ids: set[int] | None, choices: bool) -> RoundRows:
    attempts = db.session.execute(_finished(select(Attempt.id, Attempt.user_id, Attempt.unit_id, Attempt.number,
                                                   Attempt.score, Attempt.max_score), round_, unit_ids)).all()
    # On SQLite the JSON texts come as bytes: a few thousand distinct ones among 240,000 rows are decoded once
    # (frames.decode_choice) instead of every row's being decoded to a str by the driver (a third of the read).
    json_as = LargeBinary if db.session.get_bind().dialect.name == "sqlite" else Text
    return round_rows(attempts, driver_rows(answers_statement(round_, unit_ids, json_as, choices)))


# --- the figures, stored once per change -------------------------------------------------------------------

def figures_version(round_: Round) -> str:
    """What the round's figures depend on, in one short aggregate read: the finished attempts (how many,
    which, their units and scores, the last finish) and the bank (its last edit, for the options' order)."""
    count, ids, units, scores, last = db.session.execute(_finished(select(
        func.count(), func.coalesce(func.sum(Attempt.id), 0), func.coalesce(func.sum(func.coalesce(
            Attempt.unit_id, 0) * (Attempt.id % 9973 + 1)), 0), func.coalesce(func.sum(Attempt.score), 0.0),
        func.max(Attempt.finished_at)), round_, None)).one()
    bank = db.session.scalar(select(func.max(Question.updated_at)))
    return ":".join([FORMAT, str(count), str(ids), str(units), f"{float(scores):.6f}",
                     _stamp(last), _stamp(bank)])


def _stamp(moment) -> str:
    if moment is None:
        return "-"
    return moment.isoformat() if isinstance(moment, datetime) else str(moment)


def _bank_options(question_ids) -> dict[int, list[str]]:
    ids = [int(q) for q in question_ids]
    if not ids:
        return {}
    return {qid: list(options) for qid, options in db.session.execute(
        select(Question.id, Question.options).where(Question.id.in_(ids)))}


def round_figures(round_: Round, items: bool = True) -> Figures:
    """The round's figures for every unit: the stored ones while the round's version holds, else computed
    from one read and stored (in a transaction of their own: derived data, not part of any use case).

    The item analysis (``items``) needs what each person chose, which the report's figures do not: it is
    computed, and stored beside them, the first time it is asked for; the report's pages and workbook read
    the marks alone."""
    version = figures_version(round_)
    stored = db.session.execute(select(SurveyFigures.version, SurveyFigures.payload)
                                .where(SurveyFigures.round_id == round_.id)).first()
    figures = from_payload(stored.payload) if stored is not None and stored.version == version else None
    if figures is not None and (figures.has_items or not items):
        return figures
    rows = read_round(round_, None, choices=items)
    if figures is None:
        figures = report_figures(rows)
    if items:
        figures = with_items(figures, rows, _bank_options(rows.answers["question_id"].dropna().unique()))
    _store(round_.id, version, to_payload(figures))
    return figures


def _store(round_id: int, version: str, payload: str) -> None:
    table = SurveyFigures.__table__
    values = {"round_id": round_id, "version": version, "computed_at": clock.now(), "payload": payload}
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=[table.c.round_id], set_={
        "version": statement.excluded.version, "computed_at": statement.excluded.computed_at,
        "payload": statement.excluded.payload})
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError:
        # Another writer holds the database: the figures are still right, only computed again next time.
        log.warning("survey figures of round %s not stored", round_id, exc_info=True)


def scoped_figures(round_: Round, unit_ids: set[int] | None) -> Figures:
    """The report figures of ``unit_ids`` (None: every unit): the stored ones, restricted to those units (the
    item analysis, when stored, stays the whole round's: :func:`item_report` computes a scope's own)."""
    figures = round_figures(round_, items=False)
    if unit_ids is None:
        return figures
    keep = list(unit_ids)
    # The needs of a scope compare with its own whole row: computed again (None), not read.
    return Figures(figures.topics[figures.topics["unit_id"].isin(keep)].reset_index(drop=True),
                   figures.bands[figures.bands["unit_id"].isin(keep)].reset_index(drop=True),
                   figures.item_stats, figures.shares, figures.correct, None)


# --- the reports -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    """An official as the reports name them."""

    id: int
    full_name: str
    position: str | None = None


@dataclass(frozen=True)
class Taken:
    """A finished survey attempt as the reports show it."""

    id: int
    score: float | None
    max_score: float
    finished_at: datetime | None


@dataclass
class UnitParticipation:
    """Invited, taken and not yet taken in one unit, with the people not yet taken."""

    unit: Unit
    invited: int
    taken: int
    pending: list[Person] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.taken / self.invited if self.invited else None


@dataclass
class TakerResult:
    """One person's finished survey attempt, for the staff's list."""

    user: Person
    unit: Unit | None
    attempt: Taken


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
    taken: int = 0  # finished attempts counted (also when ``people`` were not asked for)
    page: int = 1  # of the results, when they are shown a page at a time
    # The ward level (issue 19): each unit's ward, the wards with people or results (by name), and the same
    # figures added up per ward; a report shows it when its units span several wards (:attr:`by_ward`).
    ward_of: dict = field(default_factory=dict)  # unit id -> ward id
    wards: list[Unit] = field(default_factory=list)
    ward_participation: list[UnitParticipation] = field(default_factory=list)
    ward_rates: dict = field(default_factory=dict)  # ward id (ALL) -> topic id -> Rate
    ward_bands: dict = field(default_factory=dict)  # ward id (ALL) -> band -> count
    ward_needs: dict = field(default_factory=dict)  # ward id (ALL) -> [Need]
    means: dict = field(default_factory=dict)  # unit id (ALL) -> mean score of the first finished attempts
    ward_means: dict = field(default_factory=dict)  # ward id -> mean score
    label: str | None = None  # the whole row's name when the scope is one ward

    @property
    def by_ward(self) -> bool:
        """Whether the report's units span several wards (a city survey seen by the city)."""
        return len(self.wards) > 1

    @property
    def unit_groups(self) -> list[tuple[Unit | None, list[Unit]]]:
        """The units grouped by ward (wards by name, units outside every ward last) when :attr:`by_ward`; else
        one group of every unit."""
        if not self.by_ward:
            return [(None, self.units)]
        groups = [(ward, [u for u in self.units if self.ward_of.get(u.id) == ward.id]) for ward in self.wards]
        rest = [u for u in self.units if u.id not in self.ward_of]
        return groups + ([(None, rest)] if rest else [])

    @property
    def pages(self) -> int:
        """How many pages of RESULTS_PER_PAGE the results take (at least one)."""
        return max(1, -(-self.taken // RESULTS_PER_PAGE))

    @property
    def total_invited(self) -> int:
        return sum(p.invited for p in self.participation)

    @property
    def total_taken(self) -> int:
        return sum(p.taken for p in self.participation)

    @property
    def whole_label(self) -> str:
        if self.label:
            return self.label
        if self.scoped:
            return "Các đơn vị bạn phụ trách"
        return "Toàn thành phố" if self.by_ward else "Toàn phường"


def _first_finished(round_: Round, unit_ids: set[int] | None):
    """The condition on ``Attempt`` of each person's first finished attempt in the round, within ``unit_ids``."""
    earlier = aliased(Attempt)
    condition = and_(Attempt.round_id == round_.id, Attempt.state == "finished", Attempt.is_practice.is_(False),
                     ~exists().where(earlier.round_id == Attempt.round_id, earlier.user_id == Attempt.user_id,
                                     earlier.state == "finished", earlier.is_practice.is_(False),
                                     earlier.number < Attempt.number))
    return condition if unit_ids is None else and_(condition, Attempt.unit_id.in_(unit_ids))


def _invited(unit_ids: set[int] | None):
    condition = and_(User.role.in_(OFFICIAL_ROLES), User.unit_id.is_not(None), User.is_locked.is_(False))
    return condition if unit_ids is None else and_(condition, User.unit_id.in_(unit_ids))


def participation(round_: Round, unit_ids: set[int] | None) -> list[tuple[int, int, int, list[Person]]]:
    """Per unit (id): invited, taken, and the people not yet taken (by name) — counted by the database."""
    taken = exists().where(Attempt.round_id == round_.id, Attempt.user_id == User.id, Attempt.state == "finished",
                           Attempt.is_practice.is_(False),
                           *(() if unit_ids is None else (Attempt.unit_id.in_(unit_ids),)))
    # Counted here from one scan of the invited, straight from the driver: SQLite would rather walk the unit
    # index for a GROUP BY and look every person up, which costs twice as much at a city's 12,000 officials.
    counts: dict[int, list[int]] = {}
    pending: dict[int, list[Person]] = {}
    for part in driver_rows(select(User.unit_id, case((taken, 1), else_=0), User.id, User.full_name,
                                   User.position).where(_invited(unit_ids))):
        for unit, done, person, name, position in part:
            line = counts.get(unit)
            if line is None:
                line = counts[unit] = [0, 0]
            line[0] += 1
            if done:
                line[1] += 1
            else:
                pending.setdefault(unit, []).append(Person(person, name, position))
    for people in pending.values():
        people.sort(key=lambda person: (_name_key(person.full_name), person.id))
    return [(unit, invited, done, pending.get(unit, [])) for unit, (invited, done) in counts.items()]


# The sort keys of people's names, kept across requests: the report pages sort the same people not yet taken
# each time, and a Vietnamese sort key costs tens of microseconds (bounded: a city's officials and more).
_name_key = lru_cache(maxsize=50_000)(name_sort_key)


def taker_results(round_: Round, unit_ids: set[int] | None, units: dict[int, Unit], offset: int = 0,
                  limit: int | None = None) -> list[TakerResult]:
    """Each person's finished attempt, by unit code, name and person (``limit`` of them from ``offset``)."""
    query = (select(Attempt.id, Attempt.score, Attempt.max_score, Attempt.finished_at, Attempt.unit_id, User.id,
                    User.full_name, User.position)
             .join(User, User.id == Attempt.user_id).outerjoin(Unit, Unit.id == Attempt.unit_id)
             .where(_first_finished(round_, unit_ids))
             .order_by(func.coalesce(Unit.code, "~"), User.full_name, User.id))
    if limit is not None:
        query = query.offset(offset).limit(limit)
    # Straight from the driver (a city's 12,000 results, each with a moment to convert, for the workbook).
    return [TakerResult(Person(user_id, name, position), units.get(unit_id),
                        Taken(attempt_id, score, max_score, _utc(finished_at)))
            for part in driver_rows(query)
            for attempt_id, score, max_score, finished_at, unit_id, user_id, name, position in part]


def _utc(value) -> datetime | None:
    """A moment as the driver gives it (SQLite: naive UTC text; PostgreSQL: aware) as an aware UTC datetime,
    as ``UTCDateTime`` returns it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def build_report(round_: Round, unit_ids: set[int] | None, people: bool = True, results_page: int | None = None
                 ) -> SurveyReport:
    """The round's reports, counting only ``unit_ids`` (None: every unit). ``people=False`` leaves out the
    participation and each person's result (the heat map and the needs pages show neither); ``results_page``
    (from 1) keeps RESULTS_PER_PAGE of the people's results (every one when None)."""
    figures = scoped_figures(round_, unit_ids)
    whole = whole_topics(figures.topics)
    rates = rates_by_unit(figures.topics, whole)
    bands = bands_by_unit(figures.bands)
    needs_frame = figures.needs if figures.needs is not None else needs_table(figures.topics, whole)
    needs = needs_mapping(needs_frame, figures.topics["unit_id"].dropna().unique())
    topic_ids = [int(t) for t in figures.topics["topic_id"].dropna().unique()]
    topics = sorted(db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids))).all(),
                    key=lambda t: sort_key(t.name)) if topic_ids else []
    taken = int(sum(bands[ALL].values()))
    lines = participation(round_, unit_ids) if people else []
    unit_ids_used = {u for u in rates if u is not None} | {u for u in bands if u is not None} | {
        line[0] for line in lines}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids_used)))} \
        if unit_ids_used else {}
    ordered_units = sorted(units.values(), key=lambda u: (sort_key(u.name), u.id))
    by_unit = {unit: UnitParticipation(units[unit], invited, done, pending) for unit, invited, done, pending in lines}
    report = SurveyReport(round_, unit_ids is not None, ordered_units, list(topics),
                          [by_unit[u.id] for u in ordered_units if u.id in by_unit], rates, bands, needs, [], taken)
    _add_wards(report, figures, whole, unit_ids, mean_scores(round_, unit_ids))
    if people:
        if results_page is None:
            report.results = taker_results(round_, unit_ids, units)
        else:
            report.page = max(1, min(results_page, report.pages))
            report.results = taker_results(round_, unit_ids, units, (report.page - 1) * RESULTS_PER_PAGE,
                                           RESULTS_PER_PAGE)
    return report


def mean_scores(round_: Round, unit_ids: set[int] | None) -> dict[int | None, tuple[int, float]]:
    """Per unit: how many first finished attempts and the sum of their scores (one grouped read)."""
    return {unit: (int(count), float(total or 0.0)) for unit, count, total in db.session.execute(
        select(Attempt.unit_id, func.count(), func.sum(Attempt.score)).where(_first_finished(round_, unit_ids))
        .group_by(Attempt.unit_id))}


def _mean(counts: list[tuple[int, float]]) -> float | None:
    taken = sum(n for n, _ in counts)
    return sum(total for _, total in counts) / taken if taken else None


def _add_wards(report: SurveyReport, figures: Figures, whole, unit_ids: set[int] | None,
               scores: dict[int | None, tuple[int, float]]) -> None:
    """The mean scores, and the ward level: every figure added up per ward from the units' own."""
    report.means = {unit: _mean([line]) for unit, line in scores.items() if unit is not None}
    report.means[ALL] = _mean(list(scores.values()))
    known = [u.id for u in report.units] + [u for u in scores if u is not None]
    report.ward_of = ward_map(known)
    ward_ids = set(report.ward_of.values())
    wards = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ward_ids)))} if ward_ids else {}
    report.wards = sorted(wards.values(), key=lambda u: (sort_key(u.name), u.id))
    if unit_ids is not None and len(wards) == 1 and next(iter(wards)) in unit_ids:
        report.label = next(iter(wards.values())).name  # a ward organiser's (or the ward manager's) whole ward
    ward_topics = roll_up_topics(figures.topics, report.ward_of)
    report.ward_rates = rates_by_unit(ward_topics, whole)
    report.ward_bands = bands_by_unit(roll_up_bands(figures.bands, report.ward_of))
    report.ward_needs = needs_mapping(needs_table(ward_topics, whole), ward_ids)
    per_ward: dict[int, list[tuple[int, float]]] = {}
    for unit, line in scores.items():
        if unit in report.ward_of:
            per_ward.setdefault(report.ward_of[unit], []).append(line)
    report.ward_means = {ward: _mean(lines) for ward, lines in per_ward.items()}
    counts: dict[int, list[int]] = {}
    for line in report.participation:
        ward = report.ward_of.get(line.unit.id)
        if ward is not None:
            acc = counts.setdefault(ward, [0, 0])
            acc[0] += line.invited
            acc[1] += line.taken
    report.ward_participation = [UnitParticipation(w, *counts[w.id]) for w in report.wards if w.id in counts]


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
    if unit_ids is None:
        figures = round_figures(round_)
    else:
        rows = read_round(round_, unit_ids)
        figures = compute_figures(rows, _bank_options(rows.answers["question_id"].dropna().unique()))
    stats = item_stats(figures.item_stats, figures.shares)
    question_ids = [s.item for s in stats]
    questions = {q.id: q for q in db.session.execute(select(Question.id, Question.code, Question.topic_id,
                                                            Question.text).where(Question.id.in_(question_ids)))} \
        if question_ids else {}
    topics = dict(db.session.execute(select(Topic.id, Topic.name)).all())
    rows = []
    for s in stats:
        q = questions.get(s.item)
        rows.append(ItemRow(s.item, q.code if q else str(s.item), topics.get(q.topic_id, "") if q else "",
                            q.text if q else "", list(s.option_shares), figures.correct.get(s.item, set()), s))
    rows.sort(key=lambda r: (not r.stats.flags, r.topic, r.code))
    return rows
