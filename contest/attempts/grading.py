"""Grading and the choice of the counting attempt (pure: no Flask, no database).

Rules:
- single choice and true/false: the question's points when the one correct option is chosen, else 0;
- multiple answer with weights (percent per option, as in Moodle's GIFT ``~%50%``): the sum of the chosen
  options' weights, capped to 0..100 %, times the points — never below zero per question;
- multiple answer without weights: all or nothing (exactly the correct options).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class GradedItem:
    """What grading needs to know of one question."""

    kind: str
    correct: Sequence[int]
    weights: Sequence[float] | None
    points: float
    selected: Sequence[int] | None


def score_question(item: GradedItem) -> float:
    """Points earned on one question."""
    chosen = set(item.selected or ())
    if not chosen:
        return 0.0
    if item.kind == "multiple":
        if item.weights:
            fraction = sum(item.weights[i] for i in chosen if 0 <= i < len(item.weights)) / 100.0
            return round(item.points * min(1.0, max(0.0, fraction)), 6)
        return item.points if chosen == set(item.correct) else 0.0
    return item.points if len(chosen) == 1 and chosen == set(item.correct) else 0.0


def score_attempt(items: Iterable[GradedItem]) -> tuple[float, float, list[float]]:
    """Total score, maximum score and the points earned on each question."""
    items = list(items)
    awarded = [score_question(item) for item in items]
    return round(sum(awarded), 6), round(sum(item.points for item in items), 6), awarded


@dataclass(frozen=True)
class FinishedAttempt:
    """A finished attempt as the counting rule sees it."""

    attempt_id: int
    number: int
    score: float
    duration_seconds: float
    finished_at: datetime


def counting_attempt(attempts: Sequence[FinishedAttempt], rule: str) -> FinishedAttempt | None:
    """The attempt that counts for a person in a round: ``best`` (highest score; among equals the shorter,
    then the earlier), ``first`` or ``last`` (by attempt number)."""
    if not attempts:
        return None
    if rule == "first":
        return min(attempts, key=lambda a: a.number)
    if rule == "last":
        return max(attempts, key=lambda a: a.number)
    return min(attempts, key=lambda a: (-a.score, a.duration_seconds, a.finished_at, a.number))
