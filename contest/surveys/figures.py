"""The survey's report figures: correct-answer rates per unit and topic, score bands, training needs
(pure: no Flask, no database; plain tuples in, plain data out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Score bands as the Tây Mỗ survey reports them, best first.
BANDS = {
    "full": "100%",
    "high": "Từ 75% đến dưới 100%",
    "middle": "Từ 25% đến dưới 75%",
    "low": "Dưới 25%",
}
# A topic whose correct-answer rate is under this is a training need.
NEED_THRESHOLD = 0.75
NEEDS_PER_UNIT = 3
ALL = None  # the key of the whole (ward-wide, or all the units one may see) row


@dataclass
class Rate:
    """Marks obtained over marks possible, and how many answers they come from."""

    obtained: float = 0.0
    possible: float = 0.0
    answers: int = 0

    @property
    def value(self) -> float | None:
        """The correct-answer rate in 0..1, None when there is nothing to measure."""
        return self.obtained / self.possible if self.possible > 0 else None

    def add(self, obtained: float, possible: float) -> None:
        self.obtained += obtained
        self.possible += possible
        self.answers += 1


def topic_rates(answers: Iterable[tuple[int | None, int | None, float, float]]
                ) -> dict[int | None, dict[int | None, Rate]]:
    """Correct-answer rates per unit and topic from (unit, topic, marks obtained, marks possible) rows.

    The unit key ALL (None) holds every row: the ward-wide line of the heat map. Answers of people without a
    unit count there only.
    """
    table: dict[int | None, dict[int | None, Rate]] = {ALL: {}}
    for unit_id, topic_id, obtained, possible in answers:
        table[ALL].setdefault(topic_id, Rate()).add(obtained, possible)
        if unit_id is not None:
            table.setdefault(unit_id, {}).setdefault(topic_id, Rate()).add(obtained, possible)
    return table


def score_band(score: float, max_score: float) -> str:
    """The band of a result: 100%, at least 75%, at least 25%, or under 25% of the maximum."""
    if max_score <= 0:
        return "low"
    share = score / max_score
    if share >= 1 - 1e-9:
        return "full"
    if share >= 0.75 - 1e-9:
        return "high"
    if share >= 0.25 - 1e-9:
        return "middle"
    return "low"


def band_counts(results: Iterable[tuple[int | None, float, float]]) -> dict[int | None, dict[str, int]]:
    """How many results of each unit fall in each band, from (unit, score, maximum); ALL holds them all."""
    counts: dict[int | None, dict[str, int]] = {ALL: dict.fromkeys(BANDS, 0)}
    for unit_id, score, max_score in results:
        band = score_band(score, max_score)
        counts[ALL][band] += 1
        if unit_id is not None:
            counts.setdefault(unit_id, dict.fromkeys(BANDS, 0))[band] += 1
    return counts


@dataclass(frozen=True)
class Need:
    """A topic a unit should be trained in: its rate there and across all units."""

    topic_id: int | None
    rate: float
    overall: float | None


def training_needs(unit_rates: Mapping[int | None, Rate], overall: Mapping[int | None, Rate],
                   threshold: float = NEED_THRESHOLD, limit: int = NEEDS_PER_UNIT) -> list[Need]:
    """The unit's weakest topics under ``threshold``, weakest first (ties: the larger gap to the overall rate),
    at most ``limit`` of them."""
    needs = []
    for topic_id, rate in unit_rates.items():
        value = rate.value
        if value is None or value >= threshold:
            continue
        whole = overall.get(topic_id)
        needs.append(Need(topic_id, value, whole.value if whole else None))
    needs.sort(key=lambda n: (n.rate, n.rate - (n.overall if n.overall is not None else n.rate)))
    return needs[:limit]


def heat_colour(rate: float | None) -> str:
    """A background colour from red (0%) through yellow to green (100%), light enough for black text."""
    if rate is None:
        return "#f1f1f1"
    hue = round(max(0.0, min(1.0, rate)) * 120)
    return f"hsl({hue}, 70%, 82%)"
