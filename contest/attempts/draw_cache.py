"""A round's draw data, cached per process: its drawable questions with the snapshot each attempt freezes,
and the round's terms a start checks, read afresh with the version the cache is keyed on.
:func:`draw_data` is the only place that reads or drops the cache's entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, text

from contest.attempts.drawing import Candidate, Line
from contest.banks.models import Question
from contest.contests.models import Round, round_banks
from contest.extensions import db


@dataclass(frozen=True)
class RoundTerms:
    """What a start checks of the round's contest and blueprint, read afresh by every start (one statement)."""

    is_published: bool
    kind: str
    groups: tuple[str, ...]
    requires_cccd: bool
    contest_id: int
    lines: dict[str, list[Line]]  # the blueprint's lines per group


@dataclass(frozen=True)
class DrawData:
    """A round's drawable questions (active, in its banks) with the snapshot each attempt freezes."""

    candidates: tuple[Candidate, ...]
    snapshots: dict[int, tuple]  # id -> (topic_id, kind, text, options, correct, weights, points, explanation,
    #                                     source)


# The draw data's version and the round's terms in one statement, written once per dialect (a start in the
# stampede should not rebuild a query): the contest's terms, the blueprint as text, and a fingerprint of the
# questions in the round's banks. The fingerprint comes from the database, so that every app server sees an
# import, an edit or a retirement made by any other: a changed question gets a new ``updated_at``, an added or
# removed one changes the count and the sum of ids, a retired one the active count.
_DRAW_VERSION_SQL = (
    "SELECT c.is_published, c.kind, c.audience, c.requires_cccd,"
    " (SELECT {concat}(b.\"group\" || ':' || b.topic_id || ':' || coalesce(b.difficulty, '') || ':' || b.count,"
    " ';') FROM blueprint_items b WHERE b.round_id = :round_id) AS bp, q.n, q.ids, q.changed, q.active"
    " FROM contests c, (SELECT count(*) AS n, sum(id) AS ids, max(updated_at) AS changed,"
    " sum(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS active FROM questions"
    " WHERE bank_id IN (SELECT bank_id FROM round_banks WHERE round_id = :round_id)) q"
    " WHERE c.id = :contest_id"
)
_DRAW_VERSION = {"sqlite": text(_DRAW_VERSION_SQL.format(concat="group_concat")),
                 "postgresql": text(_DRAW_VERSION_SQL.format(concat="string_agg"))}


def draw_data(round_: Round) -> tuple[RoundTerms, DrawData]:
    """The round's terms (read afresh) and its draw data, cached per process under the database's version."""
    row = db.session.execute(_DRAW_VERSION[db.engine.dialect.name],
                             {"round_id": round_.id, "contest_id": round_.contest_id}).one()
    lines: dict[str, list[Line]] = {}
    for part in sorted((row.bp or "").split(";")):
        if part:
            group, topic_id, difficulty, count = part.split(":")
            lines.setdefault(group, []).append(Line(int(topic_id), difficulty or None, int(count)))
    groups = ("residents", "officials") if row.audience == "both" else (row.audience,)
    terms = RoundTerms(bool(row.is_published), row.kind, groups, bool(row.requires_cccd), round_.contest_id, lines)
    version = (row.n, row.ids, row.changed, row.active)
    cache: dict = current_app.extensions.setdefault("hoithi_draw_data", {})
    hit = cache.get(round_.id)
    if hit is not None and hit[0] == version:
        return terms, hit[1]
    in_banks = Question.bank_id.in_(select(round_banks.c.bank_id).where(round_banks.c.round_id == round_.id))
    rows = db.session.execute(
        select(Question.id, Question.topic_id, Question.difficulty, Question.kind, Question.text, Question.options,
               Question.correct, Question.weights, Question.points, Question.explanation, Question.source)
        .where(Question.status == "active", in_banks)).all()
    draw = DrawData(tuple(Candidate(r.id, r.topic_id, r.difficulty) for r in rows),
                     {r.id: (r.topic_id, r.kind, r.text, r.options, r.correct, r.weights, r.points, r.explanation,
                             r.source) for r in rows})
    if len(cache) >= 256:
        cache.clear()
    cache[round_.id] = (version, draw)
    return terms, draw
