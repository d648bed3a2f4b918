"""Simulated participants for demos and benchmarks: ``flask demo simulate --round ID --participants N``.

Creates clearly marked simulated residents (``User.is_simulated``, login ``mo-phong-…``, a name ending in
"(mô phỏng)", no phone, no usable password) and finished attempts with a realistic spread: abilities drawn
from a skewed distribution so that most people score well and a few reach a full score, times spread over the
time limit, finish times spread over the round so far, most people predicting near the true value. Rows are
inserted in bulk so that a million attempts take minutes, not hours. A round with real participants, or one
whose results are already frozen, is refused.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, func, insert, select

from contest import clock
from contest.accounts.models import User
from contest.attempts.grading import FinishedAttempt, counting_attempt
from contest.attempts.models import Attempt
from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.service import refresh_results
from contest.units.models import Unit

BATCH = 20_000
LOGIN_PREFIX = "mo-phong-"


class SimulationError(Exception):
    """The round cannot be simulated; the message is for the organiser, in Vietnamese."""


@dataclass
class SimulationReport:
    """What the simulation created."""

    participants: int
    attempts: int
    full_scores: int


def simulate_round(round_: Round, participants: int, seed: int | None = None,
                   refresh: bool = True) -> SimulationReport:
    """Add ``participants`` simulated people with finished attempts to ``round_`` (see the module docstring)."""
    if participants < 1:
        raise SimulationError("Số người mô phỏng phải từ 1 trở lên.")
    if round_.closed_at is not None:
        raise SimulationError("Đợt thi đã chốt kết quả; không thể thêm người mô phỏng.")
    now = clock.now()
    if now <= round_.opens_at:
        raise SimulationError("Đợt thi chưa mở; chưa thể có bài thi mô phỏng.")
    real = db.session.scalar(select(exists().where(Attempt.round_id == round_.id, Attempt.user_id == User.id,
                                                   User.is_simulated.is_(False))))
    if real:
        raise SimulationError("Đợt thi đã có người dự thi thật; không mô phỏng trên đợt thi này.")
    rng = random.Random(seed)
    contest = round_.contest
    group = "residents" if "residents" in contest.groups else "officials"
    role = "resident" if group == "residents" else "official"
    max_score = float(round_.question_count(group) or 20)
    units = _unit_weights(rng, group)
    window_end = min(now, round_.closes_at)
    window = (window_end - round_.opens_at).total_seconds()
    limit = round_.time_limit_minutes * 60
    full_share = _full_share(rng, int(max_score))
    expected = participants * full_share if round_.prediction_kind == "full_score_count" else participants
    first = (db.session.scalar(select(func.count()).select_from(User).where(User.login.like(LOGIN_PREFIX + "%")))
             or 0) + 1

    users_table, attempts_table = User.__table__, Attempt.__table__
    created_at = clock.now()
    total_attempts = full = 0
    with db.engine.begin() as conn:
        for start in range(0, participants, BATCH):
            size = min(BATCH, participants - start)
            people = []
            for i in range(first + start, first + start + size):
                unit_id = rng.choices(units[0], weights=units[1])[0] if units[0] else None
                people.append({"login": f"{LOGIN_PREFIX}{i:07d}", "password_hash": "!", "role": role,
                               "full_name": f"Người dự thi {i} (mô phỏng)", "unit_id": unit_id,
                               "is_simulated": True, "publish_name": rng.random() < 0.6, "is_locked": False,
                               "must_change_password": False, "created_at": created_at})
            ids = conn.execute(insert(users_table).returning(users_table.c.id, sort_by_parameter_order=True),
                               people).scalars().all()
            rows = []
            for user_id, person in zip(ids, people, strict=True):
                ability = rng.betavariate(6.0, 1.6)
                tries = min(round_.attempts_allowed, rng.choices((1, 2, 3), weights=(70, 20, 10))[0])
                mine = []
                for number in range(1, tries + 1):
                    score = float(sum(1 for _ in range(int(max_score)) if rng.random() < ability))
                    duration = float(int(min(limit, max(45.0, rng.lognormvariate(6.2, 0.5)))))
                    finished = round_.opens_at + timedelta(seconds=rng.uniform(duration, max(duration, window)))
                    finished = min(finished, window_end)
                    started = finished - timedelta(seconds=duration)
                    prediction = None
                    if round_.prediction_kind != "none" and rng.random() < 0.85:
                        prediction = max(0, int(rng.gauss(expected, max(3.0, expected * 0.4))))
                    mine.append({"round_id": round_.id, "user_id": user_id, "unit_id": person["unit_id"],
                                 "group": group, "number": number, "state": "finished", "started_at": started,
                                 "deadline": started + timedelta(seconds=limit), "finished_at": finished,
                                 "auto_finished": False, "score": score, "max_score": max_score,
                                 "duration_seconds": duration, "prediction": prediction, "counts": False})
                # Later attempts come later: attempt numbers follow the finish times.
                mine.sort(key=lambda a: a["finished_at"])
                for number, attempt in enumerate(mine, start=1):
                    attempt["number"] = number
                chosen = counting_attempt([FinishedAttempt(n, a["number"], a["score"], a["duration_seconds"],
                                                           a["finished_at"]) for n, a in enumerate(mine)],
                                          round_.counting)
                mine[chosen.attempt_id]["counts"] = True
                full += mine[chosen.attempt_id]["score"] >= max_score
                rows.extend(mine)
            conn.execute(insert(attempts_table), rows)
            total_attempts += len(rows)
    db.session.expire_all()
    if refresh:
        refresh_results(round_)
        db.session.commit()
    return SimulationReport(participants, total_attempts, int(full))


def _unit_weights(rng: random.Random, group: str) -> tuple[list[int], list[float]]:
    """Units people come from, each with a participation weight (some units take part far more)."""
    kinds = ["residential"] if group == "residents" else None
    query = select(Unit.id, Unit.headcount)
    if kinds:
        query = query.where(Unit.kind.in_(kinds))
    rows = db.session.execute(query).all() or db.session.execute(select(Unit.id, Unit.headcount)).all()
    ids = [r.id for r in rows]
    weights = [(r.headcount or 100) * rng.uniform(0.2, 1.5) for r in rows]
    return ids, weights


def _full_share(rng: random.Random, questions: int) -> float:
    """The share of full scores the ability distribution gives (for realistic predictions)."""
    samples = 2000
    sim = random.Random(rng.random())
    return sum(sim.betavariate(6.0, 1.6) ** questions for _ in range(samples)) / samples
