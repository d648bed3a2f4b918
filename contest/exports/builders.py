"""The tables of the export kinds in the registry that this package owns: raw attempts with their answers,
round standings, unit statistics, the periodic report and the audit log.

Rows are generators over streamed queries (``yield_per``: a server-side cursor on PostgreSQL), so an export of
100,000 attempts never holds them in memory. Every builder keeps only rows of ``params.unit_ids`` when given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from string import ascii_uppercase

from sqlalchemy import Text, cast, func, select

from contest.accounts.models import User
from contest.attempts.models import STATES, Attempt, AttemptQuestion
from contest.audit.models import AuditEntry
from contest.audit.service import ACTIONS, AuditFilter, audit_query
from contest.contests.models import GROUPS, Contest, Round
from contest.exports.audit_text import changes_text
from contest.exports.registry import ExportParams
from contest.exports.tables import Column, Table
from contest.extensions import db
from contest.ranking.exports import collective_table, round_standings_table, winners_table
from contest.ranking.leaderboard import UnitLine, roll_up
from contest.ranking.unit_figures import unit_figures
from contest.reports.periods import utc_bounds
from contest.reports.service import periodic_figures
from contest.surveys.exports import items_table, report_tables
from contest.surveys.service import build_report, item_report
from contest.units.models import UNIT_KINDS, Unit

STREAM = {"yield_per": 2000}
_CHUNK = 900  # ids per IN (...) list, under SQLite's parameter limit


def _bounds(params: ExportParams):
    return utc_bounds(params.period) if params.period is not None else (None, None)


def _scope_title(params: ExportParams) -> str:
    parts = []
    if params.round is not None:
        parts.append(f"{params.round.contest.title} – {params.round.title}")
    if params.period is not None:
        parts.append(params.period.text)
    return "; ".join(parts)


# Raw attempts -----------------------------------------------------------------------------------------------

def answer_text(selected: list[int] | None, awarded: float | None, points: float) -> str:
    """A saved answer as the taker saw it: "B (đúng)", "A, C (sai)"; empty when not answered."""
    if not selected:
        return ""
    letters = ", ".join(ascii_uppercase[i] if 0 <= i < 26 else str(i + 1) for i in sorted(selected))
    if awarded is None:
        verdict = "chưa chấm"
    elif awarded >= points - 1e-9:
        verdict = "đúng"
    elif awarded > 0:
        verdict = "đúng một phần"
    else:
        verdict = "sai"
    return f"{letters} ({verdict})"


def _answer_cells():
    """answer_text for the stored JSON text of ``selected``, memoised: an export has millions of answers but
    only a handful of distinct (choice, verdict) pairs, and decoding each one's JSON would dominate the time."""
    cache: dict[tuple, str] = {}

    def cell(raw: str | None, awarded: float | None, points: float) -> str:
        key = (raw, awarded, points)
        text = cache.get(key)
        if text is None:
            selected = json.loads(raw) if raw else None
            text = cache[key] = answer_text(selected if isinstance(selected, list) else None, awarded, points)
        return text

    return cell


def _attempt_filters(query, params: ExportParams):
    start, end = _bounds(params)
    query = query.where(Attempt.is_practice.is_(False))  # an organiser's "Làm thử" is in no export
    if params.round is not None:
        query = query.where(Attempt.round_id == params.round.id)
    if start is not None:
        query = query.where(Attempt.started_at >= start, Attempt.started_at < end)
    if params.unit_ids is not None:
        query = query.where(Attempt.unit_id.in_(sorted(params.unit_ids)))
    return query


def attempts_with_answers(params: ExportParams) -> list[Table]:
    """One row per attempt (every state), with the option chosen at each question position."""
    positions = db.session.scalar(_attempt_filters(
        select(func.max(AttemptQuestion.position)).join(Attempt, Attempt.id == AttemptQuestion.attempt_id),
        params)) or 0
    columns = [
        Column("Mã bài thi", "int"), Column("Cuộc thi", width=30), Column("Đợt thi", width=14),
        Column("Nhóm đối tượng", width=16), Column("Họ và tên", width=24),
        Column("Số điện thoại", personal=True, width=12), Column("Ngày sinh", "date", personal=True),
        Column("Mã đơn vị", width=10), Column("Đơn vị", width=24), Column("Lần thi", "int"),
        Column("Trạng thái", width=14), Column("Bắt đầu", "datetime"), Column("Nộp bài", "datetime"),
        Column("Tự động nộp"), Column("Thời gian làm bài (giây)", "number"), Column("Điểm", "number"),
        Column("Điểm tối đa", "number"), Column("Dự đoán", "int"),
    ] + [Column(f"Câu {n}", width=12) for n in range(1, positions + 1)]

    def rows() -> Iterator[list]:
        # Core execution on the session's connection: plain rows of columns need none of the ORM's loading work,
        # which cost a third of the reading time.
        connection = db.session.connection()
        attempts = connection.execute(_attempt_filters(
            select(Attempt.id, Contest.title.label("contest"), Round.title.label("round"), Attempt.group,
                   User.full_name, User.phone, User.birth_date, Unit.code, Unit.name.label("unit"), Attempt.number,
                   Attempt.state, Attempt.started_at, Attempt.finished_at, Attempt.auto_finished,
                   Attempt.duration_seconds, Attempt.score, Attempt.max_score, Attempt.prediction)
            .join(Round, Round.id == Attempt.round_id).join(Contest, Contest.id == Round.contest_id)
            .join(User, User.id == Attempt.user_id).outerjoin(Unit, Unit.id == Attempt.unit_id),
            params).order_by(Attempt.id).execution_options(**STREAM)).tuples()
        answers = iter(connection.execute(_attempt_filters(
            select(AttemptQuestion.attempt_id, AttemptQuestion.position,
                   cast(AttemptQuestion.selected, Text).label("selected"), AttemptQuestion.awarded,
                   AttemptQuestion.points)
            .join(Attempt, Attempt.id == AttemptQuestion.attempt_id), params)
            .order_by(AttemptQuestion.attempt_id, AttemptQuestion.position).execution_options(yield_per=10_000))
            .tuples())
        answer_cell = _answer_cells()
        pending = next(answers, None)  # (attempt id, position, selected JSON, awarded, points)
        for a in attempts:
            cells = [""] * positions
            attempt_id = a[0]
            while pending is not None and pending[0] < attempt_id:
                pending = next(answers, None)
            while pending is not None and pending[0] == attempt_id:
                cells[pending[1] - 1] = answer_cell(pending[2], pending[3], pending[4])
                pending = next(answers, None)
            (_, contest, round_title, group, full_name, phone, birth, code, unit, number, state, started, finished,
             auto, duration, score, max_score, prediction) = a
            yield [attempt_id, contest, round_title, GROUPS.get(group, group), full_name, phone, birth, code, unit,
                   number, STATES.get(state, state), started, finished, auto if state == "finished" else None,
                   duration, score, max_score, prediction, *cells]

    title = "Bài thi và câu trả lời" + (f" – {_scope_title(params)}" if _scope_title(params) else "")
    return [Table("Bài thi", columns, rows(), title)]


# Round standings --------------------------------------------------------------------------------------------

def _people(user_ids: list[int]) -> dict[int, tuple]:
    """Name, phone, birth date, unit code and unit name of each user, fetched in chunks."""
    found: dict[int, tuple] = {}
    for i in range(0, len(user_ids), _CHUNK):
        chunk = user_ids[i:i + _CHUNK]
        for row in db.session.execute(
                select(User.id, User.full_name, User.phone, User.birth_date)
                .where(User.id.in_(chunk))):
            found[row.id] = tuple(row[1:])
    return found


def round_standings(params: ExportParams) -> list[Table]:
    """The round's stored ranking per audience group (tie-break chain of contest.ranking.standings)."""
    return [round_standings_table(params.round, params.unit_ids)]


def winners(params: ExportParams) -> list[Table]:
    """The round's winners as published (or proposed, marked so)."""
    return [winners_table(params.round, params.unit_ids)]


def collective_ranking(params: ExportParams) -> list[Table]:
    """The collective ranking of the units of the round's contest (no personal data), restricted to
    ``params.unit_ids``."""
    return [collective_table(params.round.contest, params.unit_ids)]


def survey_report(params: ExportParams) -> list[Table]:
    """Every sheet of a survey round's report, restricted to ``params.unit_ids``. The item analysis sheet shows
    the keys: it is added only when asked (``filters["items"]``, the console's report for an organiser) and
    never for a unit manager, who may still have the survey to take."""
    with_items = bool(params.filters.get("items")) and params.personal and params.unit_ids is None
    items = item_report(params.round, params.unit_ids) if with_items else None
    return report_tables(build_report(params.round, params.unit_ids), items)


def item_analysis(params: ExportParams) -> list[Table]:
    """Item analysis of a survey round (shows the keys: organisers only)."""
    return [items_table(item_report(params.round, params.unit_ids), _survey_title(params.round))]


def _survey_title(round_) -> str:
    return f"{round_.contest.title} – {round_.title} – phân tích câu hỏi"


# Unit statistics and the periodic report ----------------------------------------------------------------------

UNIT_COLUMNS = [Column("Mã đơn vị", width=10), Column("Tên đơn vị", width=32), Column("Loại", width=16),
                Column("Số người", "int"), Column("Số người tham gia", "int"), Column("Số lượt thi", "int"),
                Column("Tỷ lệ tham gia", "percent"), Column("Điểm trung bình (% điểm tối đa)", "percent"),
                Column("Số bài đạt điểm tối đa", "int")]


def _unit_row(line: UnitLine) -> list:
    """A unit's line (its subtree added up) by the one definition of unit statistics (ranking.leaderboard)."""
    return [line.code, line.name, UNIT_KINDS.get(line.kind, line.kind), line.headcount, line.participants,
            line.attempts, line.rate, line.mean_percent, line.full_scores]


def unit_statistics(params: ExportParams) -> list[Table]:
    """Per unit: participants, attempts, participation rate against the headcount, mean score, full scores."""
    start, end = _bounds(params)
    figures = unit_figures([params.round] if params.round is not None else None, start=start, end=end,
                           unit_ids=params.unit_ids, unassigned=params.unit_ids is None)
    rows = [_unit_row(line) for line in roll_up(f for f in figures if f.unit_id is not None)]
    for f in figures:
        if f.unit_id is None:  # attempts of people without a unit
            rows.append(["", f.name, "", None, f.participants, f.attempts, None,
                         f.ratio_sum / f.results if f.results else None, f.full_scores])
    title = "Thống kê theo đơn vị" + (f" – {_scope_title(params)}" if _scope_title(params) else " – toàn bộ")
    return [Table("Thống kê đơn vị", UNIT_COLUMNS, rows, title)]


def periodic_report(params: ExportParams) -> list[Table]:
    """Participation and results by unit, then by round, for the period — laid out for the CCHC report."""
    period = params.period
    start, end = utc_bounds(period)
    figures = periodic_figures(start, end, params.unit_ids)  # one read of the period's attempts, two pivots
    lines = figures.units
    rows: list[list] = [[n, *_unit_row(line)[1:]] for n, line in enumerate(lines, start=1)]
    tops = [line for line in lines if line.depth == 0]  # each with its subtree: the total adds these up
    headcount = sum(line.headcount or 0 for line in tops)
    participants = sum(line.participants for line in tops)
    results = sum(line.results for line in tops)
    rows.append(["", "Tổng cộng", "", headcount or None, participants, sum(line.attempts for line in tops),
                 participants / headcount if headcount else None,
                 sum(line.ratio_sum for line in tops) / results if results else None,
                 sum(line.full_scores for line in tops)])
    by_unit = Table("Theo đơn vị", [Column("STT", "int", width=5), *UNIT_COLUMNS[1:]], rows,
                    "BÁO CÁO KẾT QUẢ CUỘC THI TÌM HIỂU VỀ CẢI CÁCH HÀNH CHÍNH " + period.text.upper())
    round_rows = [[r.contest, r.round, GROUPS.get(r.group, r.group), r.participants, r.attempts, r.mean_percent,
                   r.full_scores] for r in figures.rounds]
    by_round = Table("Theo đợt thi", [
        Column("Cuộc thi / khảo sát", width=36), Column("Đợt thi", width=16), Column("Nhóm đối tượng", width=18),
        Column("Số người tham gia", "int"), Column("Số lượt thi", "int"),
        Column("Điểm trung bình (% điểm tối đa)", "percent"), Column("Số bài đạt điểm tối đa", "int"),
    ], round_rows, "KẾT QUẢ THEO ĐỢT THI " + period.text.upper())
    return [by_unit, by_round]


# Audit log ------------------------------------------------------------------------------------------------------

def audit_log(params: ExportParams) -> list[Table]:
    """The audit entries matching the page's filters, newest first."""
    start, end = _bounds(params)
    flt = AuditFilter.from_mapping(params.filters, start, end)
    columns = [Column("Thời điểm", "datetime"), Column("Người thực hiện", width=18), Column("Thao tác", width=26),
               Column("Mã thao tác", width=16), Column("Đối tượng", width=14), Column("Mã đối tượng", width=10),
               Column("Tóm tắt", width=40), Column("Chi tiết thay đổi", width=50), Column("Địa chỉ IP", width=14)]

    def rows():
        query = audit_query(flt).with_only_columns(
            AuditEntry.at, AuditEntry.actor_login, AuditEntry.action, AuditEntry.target_type, AuditEntry.target_id,
            AuditEntry.summary, AuditEntry.changes, AuditEntry.ip)
        for e in db.session.execute(query.execution_options(**STREAM)):
            yield [e.at, e.actor_login, ACTIONS.get(e.action, e.action), e.action, e.target_type, e.target_id,
                   e.summary, changes_text(e.changes), e.ip]

    return [Table("Nhật ký thao tác", columns, rows(), "Nhật ký thao tác" + (
        f" {params.period.text}" if params.period is not None else ""))]
