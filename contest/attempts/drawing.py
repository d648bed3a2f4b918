"""Drawing an attempt's questions from a blueprint, and shuffling them (pure: no Flask, no database)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


class DrawError(Exception):
    """The bank cannot fill the blueprint (it changed since the blueprint was saved)."""


@dataclass(frozen=True)
class Candidate:
    """An active question that may be drawn."""

    question_id: int
    topic_id: int
    difficulty: str


@dataclass(frozen=True)
class Line:
    """Draw ``count`` questions of ``topic_id`` (of ``difficulty``, or any when None)."""

    topic_id: int
    difficulty: str | None
    count: int


def draw_questions(lines: Sequence[Line], candidates: Sequence[Candidate], rng: random.Random) -> list[int]:
    """Pick question ids at random per line, without repeats, then shuffle their order.

    Lines that name a difficulty draw first, so that an "any difficulty" line of the same topic takes from
    what they left.
    """
    taken: set[int] = set()
    drawn: list[int] = []
    for line in sorted(lines, key=lambda ln: ln.difficulty is None):
        pool = [c.question_id for c in candidates
                if c.topic_id == line.topic_id and (line.difficulty is None or c.difficulty == line.difficulty)
                and c.question_id not in taken]
        if len(pool) < line.count:
            raise DrawError(f"topic {line.topic_id}/{line.difficulty}: {len(pool)} < {line.count}")
        pool.sort()
        picked = rng.sample(pool, line.count)
        taken.update(picked)
        drawn.extend(picked)
    rng.shuffle(drawn)
    return drawn


def can_draw(lines: Sequence[Line], candidate: Candidate) -> bool:
    """Whether a blueprint's lines may ever draw ``candidate`` (taken from one of the round's banks): a line of
    its topic names its difficulty or none."""
    return any(line.topic_id == candidate.topic_id and line.difficulty in (None, candidate.difficulty)
               for line in lines)


def shuffle_options(options: Sequence[str], correct: Sequence[int], weights: Sequence[float] | None,
                    kind: str, rng: random.Random) -> tuple[list[str], list[int], list[float] | None]:
    """Shuffle a question's options, carrying the key and weights along; true/false keeps Đúng before Sai."""
    order = list(range(len(options)))
    if kind != "true_false":
        rng.shuffle(order)
    new_options = [options[i] for i in order]
    new_correct = sorted(order.index(i) for i in correct)
    new_weights = [weights[i] for i in order] if weights else None
    return new_options, new_correct, new_weights
