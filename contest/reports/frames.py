"""The periodic report's pivots (pure: no Flask, no database; rows of attempts in, pandas DataFrames out).

One row per attempt in the period (ATTEMPT_COLUMNS), read once by ``contest.reports.service``; from it the
report's two pivots — per unit and per round and audience group — by the one definition of unit statistics
(``contest.ranking.leaderboard``):

- participants: the people with a counting attempt (``counts``: one per person, round and group; never a
  disqualified one), each person counted once per key (over several rounds, once per unit and group);
- results: the counting attempts; score_sum: their scores; ratio_sum: Σ score ÷ maximum (0 where the maximum
  is 0; a missing score adds nothing); full_scores: those with a full score (within FULL_SCORE_EPSILON);
- attempts: the finished attempts that are not disqualified (``finished``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

ATTEMPT_COLUMNS = ["round_id", "group", "unit_id", "user_id", "score", "max_score", "counts", "finished"]
TOTAL_COLUMNS = ["participants", "results", "score_sum", "ratio_sum", "full_scores", "attempts"]
ROUND_COLUMNS = ["round_id", "contest_id", "number", "contest", "round"]
FULL_SCORE_EPSILON = 1e-9  # as ranking.store.FULL_SCORE and standings.is_full_score


def attempt_frame(rows: Iterable[Sequence]) -> pd.DataFrame:
    """The attempts as a frame (ATTEMPT_COLUMNS; unit_id nullable, counts and finished as booleans)."""
    columns = dict(zip(ATTEMPT_COLUMNS, zip(*rows, strict=True), strict=False))  # by column: no object per row
    if not columns:
        columns = {name: () for name in ATTEMPT_COLUMNS}
    units = np.array(columns["unit_id"], dtype=np.float64)  # a missing unit: NaN, then <NA>
    return pd.DataFrame({
        "round_id": np.array(columns["round_id"], dtype=np.int64),
        "group": np.array(columns["group"], dtype=object),
        "unit_id": pd.arrays.IntegerArray(np.nan_to_num(units).astype(np.int64), np.isnan(units)),
        "user_id": np.array(columns["user_id"], dtype=np.int64),
        "score": np.array(columns["score"], dtype=np.float64),
        "max_score": np.array(columns["max_score"], dtype=np.float64),
        "counts": np.array(columns["counts"], dtype=bool),
        "finished": np.array(columns["finished"], dtype=bool)})


def figure_totals(attempts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """TOTAL_COLUMNS per value of ``keys`` (columns of ``attempts``) that has a counting or a counted
    finished attempt, indexed by ``keys`` in their order (a missing unit is a key of its own)."""
    if attempts.empty:
        index = pd.MultiIndex.from_tuples([], names=keys) if len(keys) > 1 else pd.Index([], name=keys[0])
        return pd.DataFrame({c: pd.Series(dtype="float64" if c.endswith("_sum") else "int64") for c in TOTAL_COLUMNS},
                            index=index)
    counted = attempts[attempts["counts"]]
    score = counted["score"]
    maximum = counted["max_score"]
    ratio = (score / maximum.where(maximum > 0)).where(maximum > 0, 0.0)  # as SQL's CASE: 0 without a maximum
    full = (maximum > 0) & (score >= maximum - FULL_SCORE_EPSILON)
    frame = pd.DataFrame({**{k: counted[k] for k in keys}, "user_id": counted["user_id"], "score": score,
                          "ratio": ratio, "full": full.astype("int64")})
    grouped = frame.groupby(keys, dropna=False, sort=True)
    totals = pd.DataFrame({"participants": grouped["user_id"].nunique(), "results": grouped.size(),
                           "score_sum": grouped["score"].sum(), "ratio_sum": grouped["ratio"].sum(),
                           "full_scores": grouped["full"].sum()})
    finished = attempts[attempts["finished"]].groupby(keys, dropna=False, sort=True).size().rename("attempts")
    totals = totals.join(finished, how="outer")
    totals = totals.fillna({"participants": 0, "results": 0, "score_sum": 0.0, "ratio_sum": 0.0, "full_scores": 0,
                            "attempts": 0})
    return totals.astype({"participants": "int64", "results": "int64", "score_sum": "float64",
                          "ratio_sum": "float64", "full_scores": "int64", "attempts": "int64"})[TOTAL_COLUMNS]


def unit_totals(attempts: pd.DataFrame, round_ids: Iterable[int]) -> pd.DataFrame:
    """TOTAL_COLUMNS per unit (index unit_id, <NA> for attempts without a unit) over the attempts of
    ``round_ids``: each audience group's figures added up, as the unit leaderboards add them."""
    chosen = attempts[attempts["round_id"].isin(list(round_ids))]
    per_group = figure_totals(chosen, ["group", "unit_id"])
    if per_group.empty:
        return figure_totals(chosen, ["unit_id"])
    return per_group.groupby(level="unit_id", dropna=False, sort=True).sum()[TOTAL_COLUMNS]


def round_group_table(attempts: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """Per round and audience group with attempts: contest and round titles (``rounds``: ROUND_COLUMNS),
    group, participants, attempts, mean_percent (Σ score ÷ maximum over the results, a fraction; None without
    results) and full_scores, by contest, round number and group."""
    columns = ["contest", "round", "group", "participants", "attempts", "mean_percent", "full_scores"]
    totals = figure_totals(attempts, ["round_id", "group"]).reset_index()
    if totals.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    table = totals.merge(rounds[ROUND_COLUMNS], on="round_id", how="left", validate="many_to_one")
    table = table.sort_values(["contest_id", "number", "group"], kind="stable").reset_index(drop=True)
    results = table["results"].to_numpy()
    means = table["ratio_sum"].to_numpy() / np.where(results > 0, results, 1)
    table["mean_percent"] = pd.Series([float(m) if n else None for m, n in zip(means, results, strict=True)],
                                      dtype="object")
    return table[columns]
