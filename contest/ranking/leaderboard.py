"""Unit leaderboards and the collective ranking (pure: no Flask, no database).

The one definition of unit statistics, used by every page, report and export that shows them (the figures
are added up in the database by ``ranking.unit_figures.unit_figures``), over the attempts in scope (rounds, a
period of finish times, an audience group, units):

- participants: the people with a counting attempt (one per person, round and group; a disqualified attempt
  never counts), each counted once per group over several rounds;
- attempts: the finished attempts that are not disqualified;
- participation rate: participants ÷ headcount;
- mean counting score: the mean of the counted results (one per person and round), in points and as a
  fraction of the maximum;
- full scores: the counted results with a full score.

A parent unit's line adds up its whole subtree; its headcount is its own when set, else the sum of its
children's. The collective ranking orders units by a formula with two presets from published rules (Hải
Dương 2024, Quảng Nam 2022) whose parameters a contest may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from contest.collation import sort_key
from contest.ranking.prizes import TIER_ORDER


@dataclass(frozen=True)
class UnitFigures:
    """What the database knows of one unit, its own people only (not its subtree)."""

    unit_id: int
    name: str
    parent_id: int | None
    headcount: int | None
    participants: int = 0
    attempts: int = 0
    score_sum: float = 0.0
    full_scores: int = 0
    results: int = 0  # counted (person, round) results: the participants of one round
    ratio_sum: float = 0.0  # Σ score ÷ maximum over the counted results
    code: str = ""
    kind: str = ""


@dataclass(frozen=True)
class UnitLine:
    """A unit's line in the leaderboard, with its subtree added up."""

    unit_id: int
    name: str
    parent_id: int | None
    depth: int
    children: int
    headcount: int | None
    participants: int
    attempts: int
    score_sum: float
    full_scores: int
    results: int
    ratio_sum: float = 0.0
    code: str = ""
    kind: str = ""

    @property
    def rate(self) -> float | None:
        """Participants ÷ headcount (None without a headcount); may exceed 1 when the headcount is stale."""
        return self.participants / self.headcount if self.headcount else None

    @property
    def mean_score(self) -> float:
        """Mean counting score over the unit's counted results."""
        return self.score_sum / self.results if self.results else 0.0

    @property
    def mean_percent(self) -> float | None:
        """Mean counting score as a fraction of the maximum (None without a counted result)."""
        return self.ratio_sum / self.results if self.results else None


def roll_up(units: Iterable[UnitFigures]) -> list[UnitLine]:
    """Every unit with its subtree's totals, in tree order (parents first, siblings by name)."""
    units = {u.unit_id: u for u in units}
    children: dict[int | None, list[int]] = {}
    for u in units.values():
        parent = u.parent_id if u.parent_id is not None and u.parent_id in units else None
        children.setdefault(parent, []).append(u.unit_id)
    for ids in children.values():
        ids.sort(key=lambda i: (sort_key(units[i].name), i))

    lines: list[UnitLine] = []

    def visit(unit_id: int, depth: int, seen: frozenset) -> UnitLine:
        u = units[unit_id]
        position = len(lines)
        lines.append(None)  # type: ignore[arg-type]  # the parent goes before its children
        kids = [visit(c, depth + 1, seen | {unit_id}) for c in children.get(unit_id, ()) if c not in seen]
        headcount = u.headcount if u.headcount else (sum(k.headcount or 0 for k in kids) or None)
        line = UnitLine(unit_id, u.name, u.parent_id if u.parent_id in units else None, depth, len(kids), headcount,
                        u.participants + sum(k.participants for k in kids),
                        u.attempts + sum(k.attempts for k in kids),
                        u.score_sum + sum(k.score_sum for k in kids),
                        u.full_scores + sum(k.full_scores for k in kids),
                        u.results + sum(k.results for k in kids),
                        u.ratio_sum + sum(k.ratio_sum for k in kids), u.code, u.kind)
        lines[position] = line
        return line

    for root in children.get(None, ()):
        visit(root, 0, frozenset())
    return lines


SORT_KEYS = {
    "rate": "Tỷ lệ tham gia",
    "participants": "Số người dự thi",
    "attempts": "Số lượt thi",
    "mean": "Điểm trung bình",
    "full": "Số bài đạt điểm tuyệt đối",
    "name": "Tên đơn vị",
}


def sort_lines(lines: Sequence[UnitLine], key: str, descending: bool = True) -> list[UnitLine]:
    """The lines ordered by one column (units without a rate last when sorting by rate); ties by name.

    Names go in Vietnamese alphabetical order (numbers by value): A→Z unless ``descending``."""
    if key == "name":
        return sorted(lines, key=lambda ln: (sort_key(ln.name), ln.unit_id), reverse=descending)
    value = {
        "participants": lambda ln: ln.participants,
        "attempts": lambda ln: ln.attempts,
        "mean": lambda ln: ln.mean_score,
        "full": lambda ln: ln.full_scores,
    }.get(key, lambda ln: ln.rate if ln.rate is not None else -1.0)
    sign = -1 if descending else 1
    return sorted(lines, key=lambda ln: (sign * value(ln), sort_key(ln.name), ln.unit_id))


def for_audience(lines: Sequence[UnitLine], kinds: Mapping[int, str], audience: str) -> list[UnitLine]:
    """The lines of the units a contest's audience belongs to: residents live in residential groups (tổ dân
    phố), officials work in the other units; units with units under them stay, as their totals hold both."""
    if audience not in ("residents", "officials"):
        return list(lines)
    residential = audience == "residents"
    return [ln for ln in lines if ln.children or (kinds.get(ln.unit_id) == "residential") == residential]


def lowest_participation(lines: Sequence[UnitLine], how_many: int = 3) -> list[UnitLine]:
    """The units with a headcount and the lowest participation rates (for the weekly announcement)."""
    with_rate = [ln for ln in lines if ln.rate is not None and ln.children == 0]
    return sorted(with_rate, key=lambda ln: (ln.rate, sort_key(ln.name), ln.unit_id))[:how_many]


# The collective formulas, each with its default parameters.
PRESETS: dict[str, dict] = {
    # Hải Dương 2024: rank by participation rate, then mean score; units under the threshold are excluded.
    "hai_duong_2024": {"threshold": 0.5},
    # Quảng Nam 2022: participation points (per percent of headcount taking part, capped at 100 %) plus
    # points for every individual prize won by the unit's people.
    "quang_nam_2022": {"threshold": 0.0, "points_per_percent": 1.0,
                       "prize_points": {"first": 10.0, "second": 7.0, "third": 5.0, "consolation": 3.0}},
}


def collective_parameters(formula: str, stored: Mapping | None) -> dict:
    """The preset's parameters with the contest's own values over them (unknown keys ignored)."""
    params = {k: (dict(v) if isinstance(v, dict) else v) for k, v in PRESETS.get(formula, PRESETS["hai_duong_2024"])
              .items()}
    for key, value in (stored or {}).items():
        if key not in params:
            continue
        if isinstance(params[key], dict) and isinstance(value, Mapping):
            params[key].update({t: float(v) for t, v in value.items() if t in params[key]})
        elif not isinstance(params[key], dict):
            params[key] = float(value)
    return params


@dataclass(frozen=True)
class CollectiveRow:
    """A unit in the collective ranking: its place (None when excluded), its points and why it is out."""

    rank: int | None
    line: UnitLine
    points: float | None
    prize_points: float
    excluded: str | None = None


def collective_ranking(lines: Iterable[UnitLine], formula: str, params: Mapping,
                       prizes: Mapping[int, Mapping[str, int]] | None = None) -> list[CollectiveRow]:
    """Rank units collectively; excluded units follow the ranked ones with the reason.

    ``hai_duong_2024``: participation rate ≥ threshold, then higher rate, higher mean score, more
    participants. ``quang_nam_2022``: points = min(rate, 100 %) × 100 × points_per_percent + Σ prizes × their
    points; then higher rate, higher mean score. Ties end on the unit id so the order is total.
    """
    prizes = prizes or {}
    threshold = float(params.get("threshold", 0.0))
    ranked: list[tuple[tuple, CollectiveRow]] = []
    out: list[CollectiveRow] = []
    for line in lines:
        rate = line.rate
        prize_points = 0.0
        if formula == "quang_nam_2022":
            table = params.get("prize_points", {})
            prize_points = sum(float(table.get(t, 0.0)) * n for t, n in prizes.get(line.unit_id, {}).items()
                               if t in TIER_ORDER)
        if rate is None and (formula != "quang_nam_2022" or threshold > 0):
            out.append(CollectiveRow(None, line, None, prize_points, "Chưa có số người của đơn vị để tính tỷ lệ"))
            continue
        if rate is not None and rate < threshold:
            out.append(CollectiveRow(None, line, None, prize_points,
                                     f"Tỷ lệ tham gia dưới {threshold * 100:.0f}%".replace(".", ",")))
            continue
        if formula == "quang_nam_2022":
            participation = min(rate or 0.0, 1.0) * 100 * float(params.get("points_per_percent", 1.0))
            points = round(participation + prize_points, 2)
            key = (-points, -(rate or 0.0), -line.mean_score, line.unit_id)
        else:
            points = None
            key = (-(rate or 0.0), -line.mean_score, -line.participants, line.unit_id)
        ranked.append((key, CollectiveRow(None, line, points, prize_points)))
    ranked.sort(key=lambda pair: pair[0])
    rows = [replace(row, rank=i) for i, (_, row) in enumerate(ranked, start=1)]
    return rows + sorted(out, key=lambda r: (sort_key(r.line.name), r.line.unit_id))
