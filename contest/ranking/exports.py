"""Ranking exports as ``contest.exports.tables.Table``: round standings, winners, unit statistics and the
collective ranking. The console (export registry) writes them as Excel or CSV; phone numbers are marked
``personal`` so that ``without_personal`` drops them for anyone not allowed to see them.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from contest.accounts.service import people_by_id
from contest.contests.models import GROUPS, Contest, Round
from contest.exports.tables import Column, Table
from contest.extensions import db
from contest.ranking.lookups import top_results
from contest.ranking.prizes import TIERS, unfilled_text
from contest.ranking.publishing import (
    prize_rules,
    proposed_awards,
    publications,
    unfilled_of,
    unit_awards,
    winners_snapshot,
)
from contest.ranking.refresh import fresh_results
from contest.units.models import Unit

BATCH = 5_000


def _unit_names() -> dict[int, str]:
    return dict(db.session.execute(select(Unit.id, Unit.name)).all())


def round_standings_table(round_: Round, unit_ids: set[int] | None = None) -> Table:
    """Every ranked person of the round, group by group, in rank order (read in batches); only the people of
    ``unit_ids`` when given (a unit manager's units)."""
    fresh_results(round_)
    units = _unit_names()

    def rows() -> Iterator[list]:
        for group in round_.contest.groups:
            offset = 0
            while True:
                lines = top_results(round_, group, limit=BATCH, offset=offset)
                if not lines:
                    break
                people = people_by_id(ln.user_id for ln in lines)
                for ln in lines:
                    if unit_ids is not None and ln.unit_id not in unit_ids:
                        continue
                    person = people.get(ln.user_id)
                    yield [ln.rank, GROUPS.get(group, group), person.full_name if person else "",
                           units.get(ln.unit_id, ""), ln.score, ln.max_score, ln.prediction, ln.prediction_gap,
                           round(ln.duration_seconds), ln.finished_at, ln.attempt_id,
                           person.phone if person else None]
                offset += len(lines)

    columns = [Column("Hạng", "int"), Column("Đối tượng"), Column("Họ và tên", width=28), Column("Đơn vị", width=30),
               Column("Điểm", "number"), Column("Điểm tối đa", "number"), Column("Dự đoán", "int"),
               Column("Chênh lệch dự đoán", "int"), Column("Thời gian làm bài (giây)", "int"),
               Column("Nộp bài lúc", "datetime"), Column("Mã bài thi", "int"),
               Column("Số điện thoại", personal=True)]
    return Table(f"Xếp hạng {round_.title}", columns, rows(),
                 title=f"{round_.contest.title} – bảng xếp hạng {round_.title}")


def winners_table(round_: Round, unit_ids: set[int] | None = None) -> Table:
    """The round's winners as last published (or the current proposal, marked so, before publication); only
    those of ``unit_ids`` when given."""
    history = publications(round_.contest, round_)
    if history:
        winners, state = history[-1].winners, f"công bố {history[-1].published_at:%d/%m/%Y}"
        rules = history[-1].prize_rules
        if len(history) > 1:
            state += f", đính chính {len(history) - 1} lần"
    else:
        for r in round_.contest.rounds:  # the proposal depends on every round (highest prize only)
            fresh_results(r)
        winners, state = winners_snapshot(round_, proposed_awards(round_.contest)), "đề xuất, chưa công bố"
        rules = prize_rules(round_)
    unfilled = [] if unit_ids is not None else unfilled_of(round_, winners, rules)
    if unit_ids is not None:
        winners = [w for w in winners if w.get("unit_id") in unit_ids]
    people = people_by_id(w["user_id"] for w in winners)
    rows = [[TIERS.get(w["tier"], w["tier"]), GROUPS.get(w["group"], w["group"]), w["rank"],
             people[w["user_id"]].full_name if w["user_id"] in people else "", w["unit_name"], w["score"],
             round(w["duration_seconds"] or 0),
             people[w["user_id"]].phone if w["user_id"] in people else None] for w in winners]
    # A tier left short says so on its own line (the whole list only: a unit's extract has no say on it).
    rows += [[TIERS[u.tier], GROUPS.get(u.group, u.group), None, unfilled_text(u), "", None, None, None]
             for u in unfilled]
    columns = [Column("Giải"), Column("Đối tượng"), Column("Hạng", "int"), Column("Họ và tên", width=28),
               Column("Đơn vị", width=30), Column("Điểm", "number"), Column("Thời gian làm bài (giây)", "int"),
               Column("Số điện thoại", personal=True)]
    return Table(f"Đạt giải {round_.title}", columns, rows,
                 title=f"{round_.contest.title} – danh sách đạt giải {round_.title} ({state})")


def collective_table(contest: Contest, unit_ids: set[int] | None = None) -> Table:
    """The collective ranking of the contest's units with the units' prizes it gives; only the units of
    ``unit_ids`` when given (a unit manager's), each keeping its rank among all."""
    for round_ in contest.rounds:
        fresh_results(round_)
    rows_, awards = unit_awards(contest)
    if unit_ids is not None:
        rows_ = [r for r in rows_ if r.line.unit_id in unit_ids]
    prize_of = {a["unit_id"]: TIERS[a["tier"]] for a in awards}
    rows = [[r.rank, r.line.name, r.line.participants, r.line.rate, round(r.line.mean_score, 2), r.prize_points,
             r.points, prize_of.get(r.line.unit_id, ""), r.excluded or ""] for r in rows_]
    columns = [Column("Hạng", "int"), Column("Đơn vị", width=34), Column("Người dự thi", "int"),
               Column("Tỷ lệ tham gia", "percent"), Column("Điểm trung bình", "number"),
               Column("Điểm giải cá nhân", "number"), Column("Điểm xét", "number"), Column("Giải tập thể"),
               Column("Ghi chú", width=34)]
    return Table("Xếp hạng tập thể", columns, rows, title=f"{contest.title} – xếp hạng tập thể")
