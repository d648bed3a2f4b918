"""Item analysis of a survey's questions, as Moodle's quiz statistics define it (pure: no Flask, no database).

For each question (item), over the finished attempts that drew it:

* **facility index** F = 100 × mean(item score ÷ item maximum): the share of the marks people got;
* **discrimination index** D = 100 × r(x, X), where x is the item score, X the score on the *rest* of the
  test (the attempt's total minus this item), and r = C(x, X) ÷ √(V(x) × V(X)) with the covariance and the
  variances all divided by n − 1 (so it is Pearson's correlation of x with X, in percent). It is undefined
  when fewer than two people drew the item or when either score does not vary;
* the share of those people choosing each option, and the share leaving it unanswered.

Flags: facility under 20% (too hard), over 95% (too easy), and a negative discrimination — the people who did
well on the rest of the test did worse on this item, which most often means a wrong key.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

TOO_HARD = 20.0
TOO_EASY = 95.0
FLAG_LABELS = {
    "too_hard": "Quá khó: chỉ số độ dễ dưới 20%",
    "too_easy": "Quá dễ: chỉ số độ dễ trên 95%",
    "negative_discrimination": "Độ phân biệt âm: nên kiểm tra lại đáp án",
}
_EPSILON = 1e-12


@dataclass(frozen=True)
class Response:
    """One person's answer to one item: the score they got, its maximum, and the options they chose."""

    respondent: int
    item: int
    score: float
    max_score: float
    chosen: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemStats:
    """The statistics of one item; figures are None where they are undefined."""

    item: int
    respondents: int
    answered: int
    facility: float | None
    discrimination: float | None
    option_shares: dict[str, float] = field(default_factory=dict)
    unanswered_share: float | None = None
    flags: tuple[str, ...] = ()


def sample_variance(values: Sequence[float]) -> float | None:
    """Variance with n − 1 in the denominator; None for fewer than two values."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    return sum((v - mean) ** 2 for v in values) / (n - 1)


def sample_covariance(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Covariance with n − 1 in the denominator; None for fewer than two pairs."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)


def discrimination_index(item_scores: Sequence[float], rest_scores: Sequence[float]) -> float | None:
    """100 × C(x, X) ÷ √(V(x) × V(X)); None when undefined (fewer than two people, or no variation)."""
    vx, vr = sample_variance(item_scores), sample_variance(rest_scores)
    if vx is None or vr is None or vx <= _EPSILON or vr <= _EPSILON:
        return None
    return 100.0 * sample_covariance(item_scores, rest_scores) / math.sqrt(vx * vr)


def facility_index(scores: Sequence[float], maxima: Sequence[float]) -> float | None:
    """100 × the mean share of the item's marks obtained; None when nobody drew the item."""
    fractions = [s / m for s, m in zip(scores, maxima, strict=True) if m > 0]
    if not fractions:
        return None
    return 100.0 * sum(fractions) / len(fractions)


def flags_for(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    """The warnings an item's figures raise (keys of FLAG_LABELS)."""
    flags = []
    if facility is not None and facility < TOO_HARD:
        flags.append("too_hard")
    if facility is not None and facility > TOO_EASY:
        flags.append("too_easy")
    if discrimination is not None and discrimination < 0:
        flags.append("negative_discrimination")
    return tuple(flags)


def analyse_items(responses: Iterable[Response], options: Mapping[int, Sequence[str]] | None = None,
                  items: Iterable[int] = ()) -> list[ItemStats]:
    """Statistics of every item that was drawn, in order of first appearance, then of ``items`` nobody drew.

    ``responses`` must hold every item of every attempt analysed, since each attempt's total is their sum.
    ``options`` lists each item's options in the order to report them (options seen only in responses follow).
    """
    options = options or {}
    by_item: dict[int, list[Response]] = {}
    totals: dict[int, float] = {}
    for response in responses:
        by_item.setdefault(response.item, []).append(response)
        totals[response.respondent] = totals.get(response.respondent, 0.0) + response.score

    results = []
    for item, rows in by_item.items():
        scores = [r.score for r in rows]
        rest = [totals[r.respondent] - r.score for r in rows]
        facility = facility_index(scores, [r.max_score for r in rows])
        discrimination = discrimination_index(scores, rest)
        n = len(rows)
        answered = sum(1 for r in rows if r.chosen)
        keys = list(options.get(item, ()))
        for r in rows:
            keys.extend(k for k in r.chosen if k not in keys)
        shares = {k: sum(1 for r in rows if k in r.chosen) / n for k in keys}
        results.append(ItemStats(item, n, answered, facility, discrimination, shares, (n - answered) / n,
                                 flags_for(facility, discrimination)))
    for item in items:
        if item not in by_item:
            results.append(ItemStats(item, 0, 0, None, None, {k: 0.0 for k in options.get(item, ())}, None, ()))
    return results
