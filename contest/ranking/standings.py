"""Standings of a round and of a whole contest (pure: no Flask, no database)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

# The steps of the tie-break chain, with the words the public pages use for them.
TIE_BREAK_STEPS = {
    "score": "điểm cao hơn",
    "prediction": "dự đoán gần đúng hơn",
    "duration": "thời gian làm bài ngắn hơn",
    "finished": "nộp bài sớm hơn",
}
DEFAULT_TIE_BREAK = ("score", "prediction", "duration", "finished")


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


def tie_break_order(text: str | None) -> tuple[str, ...]:
    """The contest's tie-break steps from their stored form ("score,prediction,duration,finished").

    Every step appears once; a missing or unknown list gives the default chain of DESIGN.md.
    """
    steps = tuple(s.strip() for s in (text or "").split(",") if s.strip())
    if sorted(steps) != sorted(TIE_BREAK_STEPS):
        return DEFAULT_TIE_BREAK
    return steps


def prediction_gap(prediction: int | None, actual: int | None) -> int | None:
    """|prediction − actual|, or None when either is missing."""
    if actual is None or prediction is None:
        return None
    return abs(prediction - actual)


def rank_participants(entries: Iterable[Entry], actual: int | None,
                      order: Sequence[str] = DEFAULT_TIE_BREAK) -> list[Ranked]:
    """Rank participants of one round and one audience group by their counting attempt.

    The documented tie-break chain (DESIGN.md; as in the published rules of Quảng Nam 2022, Hải Dương 2024,
    Huế 2025):

    1. higher score;
    2. smaller |prediction − actual| (no prediction, or no actual value yet, ranks after every prediction);
    3. shorter duration (finish − start);
    4. earlier finish time;
    5. lower attempt id.

    A contest may put steps 1–4 in another ``order``; step 5 always comes last and makes the order total,
    so every participant has a distinct place and the result is reproducible.
    """

    ordered = sorted(entries, key=lambda entry: chain_key(entry, actual, order))
    return [Ranked(rank=i, entry=e, prediction_gap=prediction_gap(e.prediction, actual))
            for i, e in enumerate(ordered, start=1)]


def chain_key(entry: Entry, actual: int | None, order: Sequence[str] = DEFAULT_TIE_BREAK) -> tuple:
    """The sort key of ``entry`` under the tie-break chain (see :func:`rank_participants`): the smaller
    key ranks first."""
    parts: list = []
    for step in order:
        if step == "score":
            parts.append(-entry.score)
        elif step == "prediction":
            g = prediction_gap(entry.prediction, actual)
            parts.extend((g is None, g if g is not None else 0))
        elif step == "duration":
            parts.append(entry.duration_seconds)
        elif step == "finished":
            parts.append(entry.finished_at)
    parts.append(entry.attempt_id)
    return tuple(parts)


def is_full_score(score: float, max_score: float) -> bool:
    """Whether ``score`` is the attempt's maximum (scores are rounded to 6 places when graded)."""
    return max_score > 0 and score >= max_score - 1e-9


# Score bands of the weekly announcement and the survey report, best first: 100 %, ≥ 75 %, 25–75 %, < 25 %.
# The one definition: surveys.figures bands a whole table at once with the same labels and shares.
SCORE_BANDS = {"full": "100%", "high": "Từ 75% đến dưới 100%", "middle": "Từ 25% đến dưới 75%",
               "low": "Dưới 25%"}
HIGH_SHARE, MIDDLE_SHARE = 0.75, 0.25


def score_band(score: float, max_score: float) -> str:
    """The band of a score as a share of the maximum (75 % belongs to "high", 25 % to "middle")."""
    if is_full_score(score, max_score):
        return "full"
    share = score / max_score if max_score > 0 else 0.0
    if share >= HIGH_SHARE - 1e-9:
        return "high"
    if share >= MIDDLE_SHARE - 1e-9:
        return "middle"
    return "low"


def score_bands(results: Iterable[tuple[float, float, int]]) -> dict[str, int]:
    """How many results fall in each band, from (score, maximum, how many) triples; every band present."""
    counts = dict.fromkeys(SCORE_BANDS, 0)
    for score, max_score, n in results:
        counts[score_band(score, max_score)] += n
    return counts


@dataclass(frozen=True)
class RoundScore:
    """A person's counted result in one round (for the whole-contest standings)."""

    user_id: int
    round_id: int
    score: float
    duration_seconds: float
    finished_at: datetime


@dataclass(frozen=True)
class OverallRanked:
    """A person's place in the whole contest."""

    rank: int
    user_id: int
    score: float
    duration_seconds: float
    rounds: int


def rank_overall(results: Iterable[RoundScore], rule: str) -> list[OverallRanked]:
    """Rank people over the rounds of a contest.

    ``sum``: total score of the rounds, then the shorter total duration, then the earlier last finish.
    ``best``: the best single round (higher score, then shorter, then earlier), compared the same way.
    Then the lower person id, so the order is total.
    """
    by_user: dict[int, list[RoundScore]] = {}
    for r in results:
        by_user.setdefault(r.user_id, []).append(r)
    lines = []
    for user_id, rounds in by_user.items():
        if rule == "best":
            best = min(rounds, key=lambda r: (-r.score, r.duration_seconds, r.finished_at, r.round_id))
            score, duration, last = best.score, best.duration_seconds, best.finished_at
        else:
            score = round(sum(r.score for r in rounds), 6)
            duration = sum(r.duration_seconds for r in rounds)
            last = max(r.finished_at for r in rounds)
        lines.append((-score, duration, last, user_id, len(rounds)))
    lines.sort()
    return [OverallRanked(i, user_id, -neg, duration, n)
            for i, (neg, duration, _last, user_id, n) in enumerate(lines, start=1)]


def public_name(full_name: str, consented: bool) -> str:
    """The name shown on public pages: in full with consent, otherwise initials only ("Nguyễn Văn An" →
    "N. V. A.")."""
    if consented:
        return full_name
    return " ".join(part[0].upper() + "." for part in full_name.split() if part) or "—"
