"""Item analysis of a survey's questions, as Moodle's quiz statistics define it (pure: no Flask, no database;
pandas DataFrames in, DataFrames out, every item at once).

For each question (item), over the finished attempts that drew it:

* **facility index** F = 100 × mean(item score ÷ item maximum): the share of the marks people got;
* **discrimination index** D = 100 × r(x, X), where x is the item score, X the score on the *rest* of the
  test (the attempt's total minus this item), and r = C(x, X) ÷ √(V(x) × V(X)) with the covariance and the
  variances all divided by n − 1 (so it is Pearson's correlation of x with X, in percent). It is undefined
  when fewer than two people drew the item or when either score does not vary;
* the share of those people choosing each option, and the share leaving it unanswered.

Flags: facility under 20% (too hard), over 95% (too easy), and a negative discrimination — the people who did
well on the rest of the test did worse on this item, which most often means a wrong key.

The responses come as one row per (respondent, item) with the score, its maximum and a ``choice``: a code
for what the person chose, which ``choices`` (choice, option) spells out as option texts. Options are shuffled
per attempt, so a code stands for the set of option *texts* chosen, and shares are reported per text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

TOO_HARD = 20.0
TOO_EASY = 95.0
FLAG_LABELS = {
    "too_hard": "Quá khó: chỉ số độ dễ dưới 20%",
    "too_easy": "Quá dễ: chỉ số độ dễ trên 95%",
    "negative_discrimination": "Độ phân biệt âm: nên kiểm tra lại đáp án",
}
_EPSILON = 1e-12
STATS_COLUMNS = ["item", "respondents", "answered", "facility", "discrimination", "unanswered_share", "flags"]
SHARE_COLUMNS = ["item", "option", "share"]


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


def item_statistics(responses: pd.DataFrame, answered: np.ndarray | None = None) -> pd.DataFrame:
    """Facility, discrimination, respondents and the unanswered share of every item, in order of the items'
    first appearance (STATS_COLUMNS; ``flags`` is a tuple of FLAG_LABELS keys).

    ``responses``: respondent, item, score, max_score, one row per item drawn in each attempt, holding every
    item of every attempt analysed (each attempt's total is their sum). ``answered``: per row, whether the
    person chose anything (default: all answered). Sums run per item over arrays (``np.bincount``), in two
    passes as the definition reads: the deviations from each item's means, then their sums.
    """
    if responses.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in STATS_COLUMNS})
    codes, items = pd.factorize(responses["item"].to_numpy(), sort=False)
    people, _ = pd.factorize(responses["respondent"].to_numpy(), sort=False)
    k = len(items)
    x = responses["score"].astype("float64").fillna(0.0).to_numpy()
    maximum = responses["max_score"].astype("float64").to_numpy()
    rest = np.bincount(people, weights=x)[people] - x

    n = np.bincount(codes, minlength=k).astype("float64")
    dx = x - (np.bincount(codes, weights=x, minlength=k) / n)[codes]
    dr = rest - (np.bincount(codes, weights=rest, minlength=k) / n)[codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        vx = np.bincount(codes, weights=dx * dx, minlength=k) / (n - 1)
        vr = np.bincount(codes, weights=dr * dr, minlength=k) / (n - 1)
        cov = np.bincount(codes, weights=dx * dr, minlength=k) / (n - 1)
        defined = (n >= 2) & (vx > _EPSILON) & (vr > _EPSILON)
        discrimination = np.where(defined, 100.0 * cov / np.sqrt(np.where(defined, vx * vr, 1.0)), np.nan)
        scored = maximum > 0
        marks = np.bincount(codes[scored], weights=x[scored] / maximum[scored], minlength=k)
        counted = np.bincount(codes[scored], minlength=k)
        facility = np.where(counted > 0, 100.0 * marks / np.where(counted > 0, counted, 1), np.nan)
    chose = np.ones(len(codes), dtype=bool) if answered is None else np.asarray(answered, dtype=bool)
    answers = np.bincount(codes, weights=chose, minlength=k)

    def figure(values: np.ndarray) -> list[float | None]:
        return [None if np.isnan(v) else float(v) for v in values]

    stats = pd.DataFrame({"item": items, "respondents": n.astype("int64"), "answered": answers.astype("int64"),
                          "facility": pd.Series(figure(facility), dtype="object"),
                          "discrimination": pd.Series(figure(discrimination), dtype="object"),
                          "unanswered_share": (n - answers) / n})
    stats["flags"] = [flags_for(f, d) for f, d in zip(stats["facility"], stats["discrimination"], strict=True)]
    return stats[STATS_COLUMNS]


def option_shares(responses: pd.DataFrame, choices: pd.DataFrame,
                  options: Mapping[int, Sequence[str]] | None = None) -> pd.DataFrame:
    """The share of each item's respondents choosing each option (SHARE_COLUMNS), per item in the order of
    ``options`` (the bank's), then the options seen only in responses in order of first appearance.

    ``responses``: item and choice per row (as for :func:`item_statistics`); ``choices``: choice, option —
    the option texts each choice code stands for, in the order chosen.
    """
    options = options or {}
    if responses.empty:
        counts = pd.DataFrame({"item": [], "option": [], "count": [], "first": []})
    else:
        frame = pd.DataFrame({"item": responses["item"].to_numpy(), "choice": responses["choice"].to_numpy(),
                              "row": np.arange(len(responses))})
        per_choice = frame.groupby(["item", "choice"], sort=False).agg(count=("row", "size"), first=("row", "min"))
        picked = choices.drop_duplicates(["choice", "option"]).assign(within=lambda f: f.groupby("choice").cumcount())
        counts = per_choice.reset_index().merge(picked, on="choice", how="inner")
        counts = counts.sort_values(["first", "within"], kind="stable")
        counts = counts.groupby(["item", "option"], sort=False).agg(count=("count", "sum"), first=("first", "min"))
        counts = counts.reset_index()
    respondents = responses.groupby("item", sort=False).size() if not responses.empty else pd.Series(dtype="int64")

    rows: list[tuple] = []
    seen = {item: list(group["option"]) for item, group in counts.groupby("item", sort=False)} if len(counts) else {}
    tally = {(i, o): c for i, o, c in zip(counts["item"], counts["option"], counts["count"], strict=True)}
    for item in list(respondents.index) + [i for i in options if i not in respondents.index]:
        keys = list(options.get(item, ()))
        keys += [o for o in seen.get(item, ()) if o not in keys]
        n = int(respondents.get(item, 0))
        rows.extend((item, option, tally.get((item, option), 0) / n if n else 0.0) for option in keys)
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def item_stats(stats: pd.DataFrame, shares: pd.DataFrame) -> list[ItemStats]:
    """The two frames as one ItemStats per item, in the order of ``stats``."""
    by_item: dict = {}
    for item, option, share in shares.itertuples(index=False):
        by_item.setdefault(item, {})[option] = float(share)
    return [ItemStats(row.item, int(row.respondents), int(row.answered), row.facility, row.discrimination,
                      by_item.get(row.item, {}), float(row.unanswered_share), row.flags)
            for row in stats.itertuples(index=False)]
