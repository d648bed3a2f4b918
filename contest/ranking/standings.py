"""Standings of a round (pure: no Flask, no database)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    """A participant's counting attempt."""

    attempt_id: int
    user_id: int
    score: float
    prediction: int | None
    duration_seconds: float
    finished_at: datetime


@dataclass(frozen=True)
class Ranked:
    """An entry with its place (1 = first) and its distance from the actual value of the prediction."""

    rank: int
    entry: Entry
    prediction_gap: int | None


def rank_participants(entries: Iterable[Entry], actual: int | None) -> list[Ranked]:
    """Rank participants of one round and one audience group by their counting attempt.

    The documented tie-break chain (DESIGN.md; as in the published rules of Quảng Nam 2022, Hải Dương 2024,
    Huế 2025):

    1. higher score;
    2. smaller |prediction − actual| (no prediction, or no actual value yet, ranks after every prediction);
    3. shorter duration (finish − start);
    4. earlier finish time;
    5. lower attempt id.

    Step 5 makes the order total, so every participant has a distinct place and the result is reproducible.
    """

    def gap(entry: Entry) -> int | None:
        if actual is None or entry.prediction is None:
            return None
        return abs(entry.prediction - actual)

    def key(entry: Entry):
        g = gap(entry)
        return (-entry.score, g is None, g if g is not None else 0, entry.duration_seconds, entry.finished_at,
                entry.attempt_id)

    ordered = sorted(entries, key=key)
    return [Ranked(rank=i, entry=e, prediction_gap=gap(e)) for i, e in enumerate(ordered, start=1)]


def prediction_actual(kind: str, scores: Sequence[float], max_score: float) -> int | None:
    """The value predictions are measured against: participants with a full score, or participants."""
    if kind == "full_score_count":
        return sum(1 for s in scores if max_score > 0 and s >= max_score - 1e-9)
    if kind == "participant_count":
        return len(scores)
    return None


@dataclass(frozen=True)
class UnitRow:
    """A unit's line in the per-unit table."""

    unit_id: int | None
    participants: int
    mean_score: float


def unit_table(entries: Iterable[tuple[int | None, float]]) -> list[UnitRow]:
    """Participants and mean counting score per unit, from (unit id, counting score) per participant;
    most participants first."""
    totals: dict[int | None, list[float]] = {}
    for unit_id, score in entries:
        totals.setdefault(unit_id, []).append(score)
    rows = [UnitRow(unit_id, len(scores), sum(scores) / len(scores)) for unit_id, scores in totals.items()]
    return sorted(rows, key=lambda r: (-r.participants, -r.mean_score, r.unit_id or 0))


def public_name(full_name: str, consented: bool) -> str:
    """The name shown on public pages: in full with consent, otherwise initials only ("Nguyễn Văn An" →
    "N. V. A.")."""
    if consented:
        return full_name
    return " ".join(part[0].upper() + "." for part in full_name.split() if part) or "—"
