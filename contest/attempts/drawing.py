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


Pools = dict[tuple[int, str | None], tuple[int, ...]]


def pools_of(candidates: Sequence[Candidate]) -> Pools:
    """The ids a line may draw, in order: per (topic, difficulty), and per (topic, None) for any difficulty.
    A round's pools are built once with its draw data (draw_cache), not by every start."""
    pools: dict[tuple[int, str | None], list[int]] = {}
    for c in candidates:
        pools.setdefault((c.topic_id, None), []).append(c.question_id)
        if c.difficulty is not None:
            pools.setdefault((c.topic_id, c.difficulty), []).append(c.question_id)
    return {key: tuple(sorted(ids)) for key, ids in pools.items()}


def draw_questions(lines: Sequence[Line], candidates: Sequence[Candidate] | Pools, rng: random.Random) -> list[int]:
    """Pick question ids at random per line, without repeats, then shuffle their order. ``candidates`` are the
    drawable questions, or their :func:`pools_of`.

    Lines that name a difficulty draw first, so that an "any difficulty" line of the same topic takes from
    what they left.
    """
    pools = candidates if isinstance(candidates, dict) else pools_of(candidates)
    taken: set[int] = set()
    drawn: list[int] = []
    for line in sorted(lines, key=lambda ln: ln.difficulty is None):
        pool: Sequence[int] = pools.get((line.topic_id, line.difficulty), ())
        if taken:
            pool = [question_id for question_id in pool if question_id not in taken]
        if len(pool) < line.count:
            raise DrawError(f"topic {line.topic_id}/{line.difficulty}: {len(pool)} < {line.count}")
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


def option_order(count: int, kind: str, rng: random.Random) -> list[int]:
    """The order a question's ``count`` options are shown in: shuffled, but true/false keeps Đúng before Sai."""
    order = list(range(count))
    if kind != "true_false":
        rng.shuffle(order)
    return order


def shuffle_options(options: Sequence[str], correct: Sequence[int], weights: Sequence[float] | None,
                    kind: str, rng: random.Random) -> tuple[list[str], list[int], list[float] | None]:
    """Shuffle a question's options, carrying the key and weights along; true/false keeps Đúng before Sai."""
    order = option_order(len(options), kind, rng)
    new_options = [options[i] for i in order]
    new_correct = sorted(order.index(i) for i in correct)
    new_weights = [weights[i] for i in order] if weights else None
    return new_options, new_correct, new_weights
