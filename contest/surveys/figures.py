"""The survey's report figures: correct-answer rates per unit and topic, score bands, training needs
(pure: no Flask, no database; pandas DataFrames of rows in, DataFrames out).

Every figure is computed for all units at once from one set of rows, in bulk: a city's 12,000 officials and
their 240,000 answers take a few group-bys, not a loop per answer. A unit or topic that is unknown (a person
without a unit, a question without a topic) is kept as a missing value (``pd.NA``) and counts in the whole
row only. ``ALL`` (None) is the key of the whole row (the ward, or all the units one may see) in the plain
mappings that the pages and the Excel export read (see :func:`rates_by_unit`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from contest.ranking.standings import HIGH_SHARE, MIDDLE_SHARE, SCORE_BANDS

# Score bands as the Tây Mỗ survey reports them, best first (defined once, with the weekly announcement's).
BANDS = SCORE_BANDS
# A topic whose correct-answer rate is under this is a training need.
NEED_THRESHOLD = 0.75
NEEDS_PER_UNIT = 3
ALL = None  # the key of the whole (ward-wide, or all the units one may see) row
_EPSILON = 1e-9
TOPIC_COLUMNS = ["unit_id", "topic_id", "obtained", "possible", "answers"]
BAND_COLUMNS = ["unit_id", *BANDS]
NEED_COLUMNS = ["unit_id", "rank", "topic_id", "rate", "overall"]  # unit_id <NA>: the whole row


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


@dataclass(frozen=True)
class Need:
    """A topic a unit should be trained in: its rate there and across all units."""

    topic_id: int | None
    rate: float
    overall: float | None


def _key(value) -> int | None:
    """A unit or topic id from a frame (missing: None)."""
    return None if pd.isna(value) else int(value)


def _ids(series: pd.Series) -> pd.Series:
    return series.astype("Int64")


def topic_table(answers: pd.DataFrame) -> pd.DataFrame:
    """Marks obtained and possible and answers counted per unit and topic, from one row per answer with
    columns unit_id, topic_id, obtained (None: 0), possible. Columns of the result: TOPIC_COLUMNS, by unit and
    topic (the missing ones last)."""
    if answers.empty:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c.endswith("_id") else "float64") for c in TOPIC_COLUMNS})
    # One code per (unit, topic) pair, then sums per code over arrays: no frame of the answers is copied.
    units, unit_ids = pd.factorize(_ids(answers["unit_id"]), sort=True, use_na_sentinel=False)
    topics, topic_ids = pd.factorize(_ids(answers["topic_id"]), sort=True, use_na_sentinel=False)
    codes, pairs = pd.factorize(units.astype("int64") * len(topic_ids) + topics, sort=True)
    k = len(pairs)
    table = pd.DataFrame({
        "unit_id": pd.array(unit_ids, dtype="Int64")[pairs // len(topic_ids)],
        "topic_id": pd.array(topic_ids, dtype="Int64")[pairs % len(topic_ids)],
        "obtained": np.bincount(codes, weights=answers["obtained"].astype("float64").fillna(0.0).to_numpy(),
                                minlength=k),
        "possible": np.bincount(codes, weights=answers["possible"].astype("float64").to_numpy(), minlength=k),
        "answers": np.bincount(codes, minlength=k).astype("int64")})
    return table[TOPIC_COLUMNS]


def whole_topics(table: pd.DataFrame) -> pd.DataFrame:
    """The whole row of a topic table: every unit's marks added up per topic (columns topic_id, obtained,
    possible, answers)."""
    whole = table.groupby("topic_id", dropna=False, sort=True)[["obtained", "possible", "answers"]].sum()
    return whole.reset_index()


def with_rates(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a ``rate`` column: obtained ÷ possible, missing where nothing was possible."""
    out = table.copy()
    possible = out["possible"].astype("float64")
    out["rate"] = (out["obtained"] / possible.where(possible > 0)).astype("float64")
    return out


def score_bands(results: pd.DataFrame) -> pd.Series:
    """The band of each result (rows with score and max_score): full (100%), high (at least 75%), middle (at
    least 25%) or low (under 25%, or no maximum)."""
    maximum = results["max_score"].astype("float64")
    share = (results["score"].astype("float64").fillna(0.0) / maximum.where(maximum > 0)).fillna(0.0)
    bands = np.select([maximum <= 0, share >= 1 - _EPSILON, share >= HIGH_SHARE - _EPSILON,
                       share >= MIDDLE_SHARE - _EPSILON],
                      ["low", "full", "high", "middle"], default="low")
    return pd.Series(bands, index=results.index, dtype="object")


def band_table(results: pd.DataFrame) -> pd.DataFrame:
    """How many results of each unit fall in each band, from rows with unit_id, score and max_score; one row
    per unit that has results (BAND_COLUMNS)."""
    if results.empty:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "unit_id" else "int64") for c in BAND_COLUMNS})
    frame = pd.DataFrame({"unit_id": _ids(results["unit_id"]), "band": score_bands(results)})
    counts = pd.crosstab(frame["unit_id"].fillna(-1), frame["band"]).reindex(columns=list(BANDS), fill_value=0)
    counts = counts.reset_index()
    counts["unit_id"] = counts["unit_id"].astype("Int64").replace(-1, pd.NA)
    return counts[BAND_COLUMNS].astype({b: "int64" for b in BANDS})


def weakest_topics(unit_rates: pd.DataFrame, overall: pd.DataFrame, threshold: float = NEED_THRESHOLD,
                   limit: int = NEEDS_PER_UNIT) -> pd.DataFrame:
    """Each unit's topics under ``threshold``, weakest first (between equal rates, the larger gap below the
    overall rate first), at most ``limit`` of them — and every topic with the same rate as the last one named,
    so that no topic as weak as a named one is left out.

    ``unit_rates``: unit_id, topic_id, rate; ``overall``: topic_id, rate (the whole row). Result: NEED_COLUMNS,
    rank counting from 1 within each unit.
    """
    rates = unit_rates[["unit_id", "topic_id", "rate"]]
    rates = rates[rates["rate"].notna() & (rates["rate"] < threshold)]
    if rates.empty:
        return pd.DataFrame({"unit_id": pd.Series(dtype="Int64"), "rank": pd.Series(dtype="int64"),
                             "topic_id": pd.Series(dtype="Int64"), "rate": pd.Series(dtype="float64"),
                             "overall": pd.Series(dtype="float64")})
    whole = overall[["topic_id", "rate"]].rename(columns={"rate": "overall"})
    needs = rates.merge(whole, on="topic_id", how="left")
    needs["gap"] = needs["rate"] - needs["overall"].fillna(needs["rate"])
    needs["order"] = np.arange(len(needs))
    needs = needs.sort_values(["unit_id", "rate", "gap", "order"], na_position="last", kind="stable")
    needs["rank"] = needs.groupby("unit_id", dropna=False, sort=False).cumcount() + 1
    # The rate of the last named topic of each unit: every topic of that rate is named too. (Equal fractions
    # of marks give equal floating-point rates: division is correctly rounded.)
    last = needs[needs["rank"] == limit][["unit_id", "rate"]]
    tied = needs.merge(last, on=["unit_id", "rate"], how="left", indicator=True)["_merge"].eq("both")
    needs = needs[(needs["rank"] <= limit) | tied.to_numpy()]
    return needs[NEED_COLUMNS].reset_index(drop=True)


def rates_by_unit(table: pd.DataFrame, whole: pd.DataFrame) -> dict[int | None, dict[int | None, Rate]]:
    """The topic table as {unit id: {topic id: Rate}}, the whole row under ALL (what the pages read)."""
    rates: dict[int | None, dict[int | None, Rate]] = {ALL: {}}
    for row in whole.itertuples(index=False):
        rates[ALL][_key(row.topic_id)] = Rate(float(row.obtained), float(row.possible), int(row.answers))
    for row in table.itertuples(index=False):
        unit = _key(row.unit_id)
        if unit is not None:
            rates.setdefault(unit, {})[_key(row.topic_id)] = Rate(float(row.obtained), float(row.possible),
                                                                  int(row.answers))
    return rates


def bands_by_unit(table: pd.DataFrame) -> dict[int | None, dict[str, int]]:
    """The band table as {unit id: {band: count}}, every result under ALL."""
    bands: dict[int | None, dict[str, int]] = {ALL: dict.fromkeys(BANDS, 0)}
    for row in table.itertuples(index=False):
        counts = {b: int(getattr(row, b)) for b in BANDS}
        for b, n in counts.items():
            bands[ALL][b] += n
        unit = _key(row.unit_id)
        if unit is not None:
            bands[unit] = counts
    return bands


def needs_table(table: pd.DataFrame, whole: pd.DataFrame, threshold: float = NEED_THRESHOLD,
                limit: int = NEEDS_PER_UNIT) -> pd.DataFrame:
    """The training needs (NEED_COLUMNS) of every unit of a topic table, and of its whole row as unit_id
    <NA>."""
    overall = with_rates(whole)
    unit_rates = with_rates(table)
    unit_rates = unit_rates[unit_rates["unit_id"].notna()]
    whole_rates = overall.assign(unit_id=pd.Series([-1] * len(overall), dtype="Int64", index=overall.index))
    frame = weakest_topics(pd.concat([unit_rates, whole_rates], ignore_index=True), overall, threshold, limit)
    frame["unit_id"] = frame["unit_id"].astype("Int64").replace(-1, pd.NA)
    return frame


def needs_mapping(needs: pd.DataFrame, unit_ids) -> dict[int | None, list[Need]]:
    """A needs table as {unit id: [Need]} for each of ``unit_ids`` (an empty list for a unit without needs),
    the whole row under ALL."""
    mapping: dict[int | None, list[Need]] = {ALL: []}
    for unit in unit_ids:
        mapping[int(unit)] = []
    for row in needs.itertuples(index=False):
        mapping.setdefault(_key(row.unit_id), []).append(
            Need(_key(row.topic_id), float(row.rate), None if pd.isna(row.overall) else float(row.overall)))
    return mapping


def needs_by_unit(table: pd.DataFrame, whole: pd.DataFrame, threshold: float = NEED_THRESHOLD,
                  limit: int = NEEDS_PER_UNIT) -> dict[int | None, list[Need]]:
    """The training needs of every unit with answers, and of the whole row under ALL: {unit id: [Need]}."""
    return needs_mapping(needs_table(table, whole, threshold, limit), table["unit_id"].dropna().unique())


def heat_colour(rate: float | None) -> str:
    """A background colour from red (0%) through yellow to green (100%), light enough for black text."""
    if rate is None:
        return "#f1f1f1"
    hue = round(max(0.0, min(1.0, rate)) * 120)
    return f"hsl({hue}, 70%, 82%)"


def first_attempts(attempts: pd.DataFrame) -> pd.DataFrame:
    """Each person's first finished attempt (a survey allows one), from rows with user_id and number; the
    rows keep their order otherwise."""
    ordered = attempts.sort_values("number", kind="stable")
    return ordered[~ordered["user_id"].duplicated()].sort_index()


def roll_up_topics(table: pd.DataFrame, ward_of: dict[int, int]) -> pd.DataFrame:
    """A topic table (TOPIC_COLUMNS) added up per ward: each unit's marks counted in the ward ``ward_of`` maps
    it to (units outside every ward, and the unknown unit, are left out). The ward ids stand in ``unit_id``."""
    wards = table["unit_id"].map(lambda unit: ward_of.get(_key(unit))).astype("Int64")
    rolled = table.assign(unit_id=wards)
    rolled = rolled[rolled["unit_id"].notna()]
    if rolled.empty:
        return table.iloc[0:0][TOPIC_COLUMNS].reset_index(drop=True)
    summed = rolled.groupby(["unit_id", "topic_id"], dropna=False, sort=True)[["obtained", "possible", "answers"]]
    return summed.sum().reset_index()[TOPIC_COLUMNS]


def roll_up_bands(table: pd.DataFrame, ward_of: dict[int, int]) -> pd.DataFrame:
    """A band table (BAND_COLUMNS) added up per ward, as :func:`roll_up_topics` does."""
    wards = table["unit_id"].map(lambda unit: ward_of.get(_key(unit))).astype("Int64")
    rolled = table.assign(unit_id=wards)
    rolled = rolled[rolled["unit_id"].notna()]
    if rolled.empty:
        return table.iloc[0:0][BAND_COLUMNS].reset_index(drop=True)
    return rolled.groupby("unit_id", sort=True)[list(BANDS)].sum().reset_index()[BAND_COLUMNS]
