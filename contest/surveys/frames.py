"""A round's rows as pandas frames, and every survey figure from them at once (pure: no Flask, no database).

``contest.surveys.service`` reads the rows (one set-based read) and stores what :func:`compute_figures` gives;
this module only turns rows into figures, so that it is tested on hand-made and recorded rows without the app.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from contest.surveys.figures import (
    BAND_COLUMNS,
    NEED_COLUMNS,
    TOPIC_COLUMNS,
    band_table,
    first_attempts,
    needs_table,
    topic_table,
    whole_topics,
)
from contest.surveys.item_analysis import item_statistics, option_shares


@dataclass
class RoundRows:
    """What the figures are computed from: each person's first finished attempt, and its answers.

    ``answers``: attempt_id, unit_id, question_id, topic_id, awarded, points, choice — one row per question of
    each attempt, where ``choice`` codes the options shown, the options chosen and the key (``codes``: choice →
    (option texts chosen, option texts that are right)).
    """

    attempts: pd.DataFrame
    answers: pd.DataFrame
    codes: list[tuple[tuple[str, ...], frozenset[str]]]


ATTEMPT_COLUMNS = ["attempt_id", "user_id", "unit_id", "number", "score", "max_score"]
ANSWER_COLUMNS = ["attempt_id", "question_id", "topic_id", "awarded", "points", "options", "selected", "correct"]


def round_rows(attempts: Iterable[Sequence], answer_parts: Iterable[Sequence[Sequence]]) -> RoundRows:
    """The rows as frames: ``attempts`` (ATTEMPT_COLUMNS, every finished attempt: each person's first is
    kept) and the answers in parts (ANSWER_COLUMNS; options, selected and correct as JSON text, str or UTF-8
    bytes — or parts of the first five columns only, the marks, enough for :func:`report_figures`).

    A question shows at most a few dozen orders of its options, so each distinct (options, selected, correct)
    text is decoded once and the rows carry its code: the answers take a few numbers each, however many.
    """
    frame = first_attempts(pd.DataFrame(list(attempts), columns=ATTEMPT_COLUMNS)).reset_index(drop=True)
    frame = frame.astype({"unit_id": "Int64", "score": "float64", "max_score": "float64"})
    keys: defaultdict[tuple, int] = defaultdict()
    keys.default_factory = keys.__len__
    columns: dict[str, list] = {name: [] for name in ("attempt_id", "question_id", "topic_id", "awarded", "points",
                                                      "choice")}
    for part in answer_parts:
        if not part:
            continue
        attempt, question, topic, awarded, points, *choice = zip(*part, strict=True)
        columns["attempt_id"].append(np.array(attempt, dtype=np.int64))
        # Missing ids become NaN here and <NA> below.
        columns["question_id"].append(np.array(question, dtype=np.float64))
        columns["topic_id"].append(np.array(topic, dtype=np.float64))
        columns["awarded"].append(np.array(awarded, dtype=np.float64))
        columns["points"].append(np.array(points, dtype=np.float64))
        # Without the JSON columns (the marks alone, for the report figures) every row's code is -1.
        columns["choice"].append(_choice_codes(keys, *choice) if choice else np.full(len(part), -1, np.int64))
        del part, attempt, question, topic, awarded, points, choice
    arrays = {}
    for name in list(columns):
        parts = columns.pop(name)  # each column's parts are let go as soon as they are joined
        arrays[name] = np.concatenate(parts) if parts else np.array(
            [], dtype=np.int64 if name in ("attempt_id", "choice") else np.float64)
    keep = np.isin(arrays["attempt_id"], frame["attempt_id"].to_numpy())
    if not keep.all():  # a later attempt of the same person: not counted
        arrays = {name: values[keep] for name, values in arrays.items()}
    unit_of = pd.Series(frame["unit_id"].to_numpy(), index=frame["attempt_id"].to_numpy(), dtype="Int64")
    answers = pd.DataFrame({"attempt_id": arrays["attempt_id"],
                            "unit_id": unit_of.reindex(arrays["attempt_id"]).to_numpy(),
                            "question_id": _nullable_ids(arrays["question_id"]),
                            "topic_id": _nullable_ids(arrays["topic_id"]),
                            "awarded": arrays["awarded"], "points": arrays["points"], "choice": arrays["choice"]})
    answers["unit_id"] = answers["unit_id"].astype("Int64")
    return RoundRows(frame, answers, [decode_choice(*key) for key in keys])


def _choice_codes(keys: defaultdict, options: Sequence, selected: Sequence, correct: Sequence) -> np.ndarray:
    """The code of each row's (options, selected, correct) texts; ``keys`` numbers new ones as they come
    (its default is its length), so that the loop over the rows runs in C."""
    return np.fromiter(map(keys.__getitem__, zip(options, selected, correct, strict=True)), dtype=np.int64,
                       count=len(options))


def _nullable_ids(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Ids read as floats (None: NaN) as a nullable integer array."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def decode_choice(options: str | bytes | None, selected: str | bytes | None, correct: str | bytes | None):
    """What one row's JSON texts (str, or UTF-8 bytes) stand for: the option texts chosen (in order, once
    each) and those that are right."""
    shown = json.loads(options) if options else []
    picked = json.loads(selected) if selected else []
    key = json.loads(correct) if correct else []
    chosen = tuple(dict.fromkeys(shown[i] for i in picked or [] if 0 <= i < len(shown)))
    return chosen, frozenset(shown[i] for i in key if 0 <= i < len(shown))


@dataclass
class Figures:
    """A round's figures for every unit in the scope: topic marks and score bands per unit (TOPIC_COLUMNS,
    BAND_COLUMNS), and the item analysis (stats and option shares, with each question's key) — None when only
    the report figures were computed (:func:`report_figures`)."""

    topics: pd.DataFrame
    bands: pd.DataFrame
    item_stats: pd.DataFrame | None
    shares: pd.DataFrame | None
    correct: dict[int, set[str]] | None
    needs: pd.DataFrame | None = None  # NEED_COLUMNS of every unit and the whole row (None: to compute)

    @property
    def has_items(self) -> bool:
        return self.item_stats is not None


def compute_figures(rows: RoundRows, bank_options: dict[int, list[str]]) -> Figures:
    """Every figure from the rows of :func:`round_rows` (``bank_options``: each question's options in the
    bank's order, the order the shares are reported in)."""
    return with_items(report_figures(rows), rows, bank_options)


def report_figures(rows: RoundRows) -> Figures:
    """The report's figures (topic marks, score bands, training needs) without the item analysis: they need
    the marks of each answer only, not what was chosen."""
    answers = rows.answers
    topics = topic_table(pd.DataFrame({"unit_id": answers["unit_id"], "topic_id": answers["topic_id"],
                                       "obtained": answers["awarded"], "possible": answers["points"]}, copy=False))
    return Figures(topics, band_table(rows.attempts), None, None, None, needs_table(topics, whole_topics(topics)))


def with_items(figures: Figures, rows: RoundRows, bank_options: dict[int, list[str]]) -> Figures:
    """``figures`` with the item analysis of ``rows`` (read with the JSON columns)."""
    answers = rows.answers
    drawn = answers["question_id"].notna().to_numpy()
    responses = pd.DataFrame({"respondent": answers["attempt_id"].to_numpy()[drawn],
                              "item": answers["question_id"].to_numpy(dtype="float64", na_value=np.nan)[drawn]
                              .astype(np.int64),
                              "score": answers["awarded"].to_numpy()[drawn],
                              "max_score": answers["points"].to_numpy()[drawn],
                              "choice": answers["choice"].to_numpy()[drawn]})
    chosen = np.array([bool(code[0]) for code in rows.codes], dtype=bool)
    stats = item_statistics(responses, chosen[responses["choice"].to_numpy()] if len(responses) else None)
    choices = pd.DataFrame([(i, option) for i, (picked, _) in enumerate(rows.codes) for option in picked],
                           columns=["choice", "option"])
    items = list(stats["item"]) if len(stats) else []
    shares = option_shares(responses, choices, {q: bank_options.get(q, []) for q in items})
    first = responses.drop_duplicates("item")
    correct = {int(item): set(rows.codes[code][1]) for item, code in zip(first["item"], first["choice"],
                                                                          strict=True)}
    return Figures(figures.topics, figures.bands, stats, shares, correct, figures.needs)


def to_payload(figures: Figures) -> str:
    """The figures as JSON text (to be stored)."""
    def ids(value):
        return None if pd.isna(value) else int(value)

    return json.dumps({
        "topics": [[ids(u), ids(t), float(o), float(p), int(n)] for u, t, o, p, n in
                   figures.topics[TOPIC_COLUMNS].itertuples(index=False)],
        "bands": [[ids(row[0]), *map(int, row[1:])] for row in figures.bands[BAND_COLUMNS].itertuples(index=False)],
        "items": None if not figures.has_items else [[int(i), int(n), int(a), f, d, float(u), list(fl)] for
                                                     i, n, a, f, d, u, fl in figures.item_stats.itertuples(index=False)],
        "shares": None if not figures.has_items else [[int(i), o, float(s)] for i, o, s in
                                                      figures.shares.itertuples(index=False)],
        "correct": None if not figures.has_items else {str(q): sorted(keys) for q, keys in figures.correct.items()},
        "needs": None if figures.needs is None else [[ids(u), int(k), ids(t), float(r), None if pd.isna(o) else float(o)]
                                                     for u, k, t, r, o in figures.needs[NEED_COLUMNS]
                                                     .itertuples(index=False)],
    }, ensure_ascii=False, separators=(",", ":"))


def from_payload(text: str) -> Figures:
    """The figures stored by :func:`to_payload`."""
    data = json.loads(text)
    topics = pd.DataFrame(data["topics"], columns=TOPIC_COLUMNS).astype({"unit_id": "Int64", "topic_id": "Int64",
                                                                         "obtained": "float64",
                                                                         "possible": "float64", "answers": "int64"})
    bands = pd.DataFrame(data["bands"], columns=BAND_COLUMNS).astype({"unit_id": "Int64"})
    needs = None if data.get("needs") is None else pd.DataFrame(data["needs"], columns=NEED_COLUMNS).astype(
        {"unit_id": "Int64", "rank": "int64", "topic_id": "Int64", "rate": "float64", "overall": "float64"})
    if data.get("items") is None:
        return Figures(topics, bands, None, None, None, needs)
    stats = pd.DataFrame([[i, n, a, f, d, u, tuple(fl)] for i, n, a, f, d, u, fl in data["items"]],
                         columns=["item", "respondents", "answered", "facility", "discrimination", "unanswered_share",
                                  "flags"])
    shares = pd.DataFrame(data["shares"], columns=["item", "option", "share"])
    return Figures(topics, bands, stats, shares, {int(q): set(keys) for q, keys in data["correct"].items()}, needs)


