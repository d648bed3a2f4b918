"""What a start reads: the round's terms, read afresh in one statement with what the start needs to know about the
person (their account too, so that a start never loads it through the ORM), and the round's draw data (its
drawable questions with the snapshot each attempt freezes, and their pools per topic and difficulty), cached per
process under the version that statement reads. :func:`draw_data` is the only place that reads or drops the
cache's entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import column, select, text

from contest.accounts.sessions import session_holds
from contest.attempts.drawing import Candidate, Line, Pools, pools_of
from contest.banks.models import Question
from contest.contests.models import round_banks
from contest.database import UTCDateTime
from contest.extensions import db


@dataclass(frozen=True)
class Starter:
    """The account of the person starting, as the start's statement reads it: what the start route checks of
    their session (as contest.accounts.sessions.load_user does) and what a start needs of them."""

    id: int
    role: str
    unit_id: int | None
    managed_unit_id: int | None
    session_version: int | None
    is_locked: bool
    anonymised: bool
    must_change_password: bool
    is_authenticated = True  # for contest.contests.public.sees_every_ward

    def holds(self, version: int) -> bool:
        """Whether a session of ``version`` is still this account's (contest.accounts.sessions.session_holds)."""
        return session_holds(version, self.session_version, ended=self.is_locked or self.anonymised)


@dataclass(frozen=True)
class RoundTerms:
    """What a start checks of the round, its contest and blueprint, and of the person starting, read afresh by
    every start (one statement, :func:`round_terms`)."""

    id: int  # the round's
    contest_id: int
    slug: str
    is_published: bool
    kind: str
    groups: tuple[str, ...]
    requires_cccd: bool
    owner_unit_id: int | None
    opens_at: datetime
    closes_at: datetime
    time_limit_minutes: int
    attempts_allowed: int
    lines: dict[str, list[Line]]  # the blueprint's lines per group
    version: tuple  # of the draw data: see _TERMS_SQL
    # The person's:
    mine: tuple[tuple[int, str], ...]  # the number and state of each attempt they started in the round
    has_cccd: bool  # a CCCD given for the contest
    open_to_home: bool  # the contest is open to their home unit (a ward's contest: a unit within the ward)
    person: Starter | None  # their account (None: no such account)

    def state(self, moment: datetime) -> str:
        """``upcoming``, ``open`` or ``closed`` at ``moment`` (as :meth:`Round.state`)."""
        if moment < self.opens_at:
            return "upcoming"
        return "open" if moment < self.closes_at else "closed"


@dataclass(frozen=True)
class DrawData:
    """A round's drawable questions (active, in its banks) with the snapshot each attempt freezes."""

    candidates: tuple[Candidate, ...]
    pools: Pools  # the candidates' ids per topic and difficulty (drawing.pools_of), built once per version
    snapshots: dict[int, tuple]  # id -> (topic_id, kind, text, options, correct, weights, points, explanation,
    #                                     source, each option as JSON text)


# The round, its contest's terms, the blueprint as text, a fingerprint of the questions in the round's banks, and
# the person's attempts, CCCD and ward, in one statement written once per dialect (a start in the stampede
# should neither rebuild a query nor wait on several round trips).
# - The fingerprint is the draw data's version. It comes from the database, so that every app server sees an
#   import, an edit or a retirement made by any other: a changed question gets a new ``updated_at``, an added or
#   removed one changes the count and the sum of ids, a retired one the active count.
# - open_to_home is contest.units.scope.open_to_unit in SQL: a contest of nobody or of the top unit is open to
#   all; a ward's, to the units below it (the home unit's ancestors, itself included, contain the owner). The home
#   unit is contest.contests.public.home_unit_id in SQL: an organiser's managed unit, a unit manager's own unit
#   or else the managed one, anybody else's own unit.
# - The person's account (p) is read here too, for the start route's session check: loading it through the ORM
#   cost a start more than this whole statement.
_TERMS_SQL = (
    "SELECT r.contest_id, r.opens_at, r.closes_at, r.time_limit_minutes, r.attempts_allowed,"
    " c.slug, c.is_published, c.kind, c.audience, c.requires_cccd, c.owner_unit_id,"
    " (SELECT {concat}(b.\"group\" || ':' || b.topic_id || ':' || coalesce(b.difficulty, '') || ':' || b.count,"
    " ';') FROM blueprint_items b WHERE b.round_id = r.id) AS bp, q.n, q.ids, q.changed, q.active,"
    " (SELECT {concat}(a.number || ':' || a.state, ';') FROM attempts a"
    " WHERE a.round_id = r.id AND a.user_id = :user_id) AS mine,"
    " (SELECT count(*) FROM contest_identities i WHERE i.contest_id = c.id AND i.user_id = :user_id) AS cccd,"
    " CASE WHEN c.owner_unit_id IS NULL THEN 1"
    " WHEN (SELECT o.parent_id FROM units o WHERE o.id = c.owner_unit_id) IS NULL THEN 1"
    " WHEN c.owner_unit_id IN (WITH RECURSIVE up(id, parent_id) AS"
    " (SELECT id, parent_id FROM units WHERE id = (SELECT CASE h.role WHEN 'organiser' THEN h.managed_unit_id"
    " WHEN 'unit_manager' THEN coalesce(h.unit_id, h.managed_unit_id) ELSE h.unit_id END"
    " FROM users h WHERE h.id = :user_id)"
    " UNION SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) SELECT id FROM up) THEN 1"
    " ELSE 0 END AS open_to_home,"
    " p.id AS p_id, p.role AS p_role, p.unit_id AS p_unit_id, p.managed_unit_id AS p_managed_unit_id,"
    " p.session_version AS p_version, p.is_locked AS p_locked, p.anonymised_at IS NOT NULL AS p_anonymised,"
    " p.must_change_password AS p_must_change"
    " FROM rounds r JOIN contests c ON c.id = r.contest_id,"
    " (SELECT count(*) AS n, sum(id) AS ids, max(updated_at) AS changed,"
    " sum(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS active FROM questions"
    " WHERE bank_id IN (SELECT bank_id FROM round_banks WHERE round_id = :round_id)) q"
    " LEFT JOIN users p ON p.id = :user_id"
    " WHERE r.id = :round_id"
)
# Every column named in order, so that SQLAlchemy matches them by position and keeps the result's description
# with the compiled statement (named by type only, it built it anew for every start: a twentieth of a start).
_TERMS_COLUMNS = [column(name, UTCDateTime() if name in ("opens_at", "closes_at") else None) for name in (
    "contest_id", "opens_at", "closes_at", "time_limit_minutes", "attempts_allowed", "slug", "is_published", "kind",
    "audience", "requires_cccd", "owner_unit_id", "bp", "n", "ids", "changed", "active", "mine", "cccd",
    "open_to_home", "p_id", "p_role", "p_unit_id", "p_managed_unit_id", "p_version", "p_locked", "p_anonymised",
    "p_must_change")]
_TERMS = {dialect: text(_TERMS_SQL.format(concat=concat)).columns(*_TERMS_COLUMNS)
          for dialect, concat in (("sqlite", "group_concat"), ("postgresql", "string_agg"))}


def round_terms(round_id: int, user_id: int) -> RoundTerms | None:
    """The round's terms and what a start needs of person ``user_id`` (their account, attempts, CCCD and the
    ward check) in one statement; None when there is no such round."""
    row = db.session.execute(_TERMS[db.engine.dialect.name], {"round_id": round_id, "user_id": user_id}).one_or_none()
    if row is None:
        return None
    lines: dict[str, list[Line]] = {}
    for part in sorted((row.bp or "").split(";")):
        if part:
            group, topic_id, difficulty, count = part.split(":")
            lines.setdefault(group, []).append(Line(int(topic_id), difficulty or None, int(count)))
    mine = tuple((int(number), state) for number, state in
                 (part.split(":") for part in (row.mine or "").split(";") if part))
    return RoundTerms(
        id=round_id, contest_id=row.contest_id, slug=row.slug, is_published=bool(row.is_published), kind=row.kind,
        groups=("residents", "officials") if row.audience == "both" else (row.audience,),
        requires_cccd=bool(row.requires_cccd), owner_unit_id=row.owner_unit_id, opens_at=row.opens_at,
        closes_at=row.closes_at, time_limit_minutes=row.time_limit_minutes, attempts_allowed=row.attempts_allowed,
        lines=lines, version=(row.n, row.ids, row.changed, row.active), mine=mine, has_cccd=bool(row.cccd),
        open_to_home=bool(row.open_to_home), person=None if row.p_id is None else Starter(
            id=row.p_id, role=row.p_role, unit_id=row.p_unit_id, managed_unit_id=row.p_managed_unit_id,
            session_version=row.p_version, is_locked=bool(row.p_locked), anonymised=bool(row.p_anonymised),
            must_change_password=bool(row.p_must_change)))


def draw_data(terms: RoundTerms) -> DrawData:
    """The round's draw data, cached per process under the version ``terms`` read from the database."""
    cache: dict = current_app.extensions.setdefault("hoithi_draw_data", {})
    hit = cache.get(terms.id)
    if hit is not None and hit[0] == terms.version:
        return hit[1]
    in_banks = Question.bank_id.in_(select(round_banks.c.bank_id).where(round_banks.c.round_id == terms.id))
    rows = db.session.execute(
        select(Question.id, Question.topic_id, Question.difficulty, Question.kind, Question.text, Question.options,
               Question.correct, Question.weights, Question.points, Question.explanation, Question.source)
        .where(Question.status == "active", in_banks)).all()
    candidates = tuple(Candidate(r.id, r.topic_id, r.difficulty) for r in rows)
    draw = DrawData(candidates, pools_of(candidates),
                    {r.id: (r.topic_id, r.kind, r.text, r.options, r.correct, r.weights, r.points, r.explanation,
                            r.source, tuple(json.dumps(option) for option in r.options)) for r in rows})
    if len(cache) >= 256:
        cache.clear()
    cache[terms.id] = (terms.version, draw)
    return draw
