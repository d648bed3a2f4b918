"""Simulated participants for demos and benchmarks: ``flask demo simulate --round ID --participants N``.

Creates clearly marked simulated people (``User.is_simulated``, login ``mo-phong-…``, a name ending in
"(mô phỏng)", no phone, no usable password; residents, or officials for an officials' contest or survey) and
finished attempts with a realistic spread: abilities drawn from a skewed distribution so that most people score
well and a few reach a full score, times spread over the time limit, finish times spread over the round so far,
most people predicting near the true value. Rows are inserted in bulk so that a million attempts take minutes,
not hours. A round with real participants, or one whose results are already frozen, is refused.

Each attempt also gets its questions and answers (``answers=True``, the default), as a real attempt would: the
questions drawn by the round's blueprint, options shuffled, and each answer drawn from a two-parameter
logistic model — P(right) = 1 / (1 + e^(−a(θ − b))) with the person's ability θ, and each question's
difficulty b (around its bank difficulty) and discrimination a — a wrong answer picking the question's
distractors with unequal pull, and a few questions left blank. The score is the graded sum of the answers, so
the item analysis and the survey reports show real figures.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, func, insert, select

from contest import clock
from contest.accounts.models import User
from contest.attempts.drawing import Candidate, DrawError, Line, draw_questions, shuffle_options
from contest.attempts.grading import FinishedAttempt, GradedItem, counting_attempt, score_question
from contest.attempts.models import Attempt, AttemptQuestion
from contest.banks.models import Question
from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.refresh import refresh_results
from contest.units.models import Unit
from contest.units.scope import subtree_ids

BATCH = 20_000
LOGIN_PREFIX = "mo-phong-"
# Where the bank's difficulty labels put a question on the ability scale (logits), before its own spread.
DIFFICULTY_LOGITS = {"easy": -1.0, "medium": 0.0, "hard": 1.0}
BLANK_SHARE = 0.02  # answers left blank


class SimulationError(Exception):
    """The round cannot be simulated; the message is for the organiser, in Vietnamese."""


@dataclass
class SimulationReport:
    """What the simulation created."""

    participants: int
    attempts: int
    full_scores: int


def simulate_round(round_: Round, participants: int, seed: int | None = None,
                   refresh: bool = True, answers: bool = True) -> SimulationReport:
    """Add ``participants`` simulated people with finished attempts to ``round_`` (see the module docstring);
    ``answers=False`` leaves out the questions and answers (a score alone, for rankings at a million attempts)."""
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
    paper = _Paper.of(round_, group, rng) if answers else None
    max_score = float(round_.question_count(group) or 20)
    units = _unit_weights(rng, group, contest.owner_unit_id)
    window_end = min(now, round_.closes_at)
    window = (window_end - round_.opens_at).total_seconds()
    limit = round_.time_limit_minutes * 60
    full_share = _full_share(rng, int(max_score))
    expected = participants * full_share if round_.prediction_kind == "full_score_count" else participants
    first = (db.session.scalar(select(func.count()).select_from(User).where(User.login.like(LOGIN_PREFIX + "%")))
             or 0) + 1

    users_table, attempts_table, questions_table = User.__table__, Attempt.__table__, AttemptQuestion.__table__
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
            rows, papers = [], []
            for user_id, person in zip(ids, people, strict=True):
                ability = rng.betavariate(6.0, 1.6)
                tries = min(round_.attempts_allowed, rng.choices((1, 2, 3), weights=(70, 20, 10))[0])
                mine = []
                for number in range(1, tries + 1):
                    if paper is not None:
                        answered = paper.answer(ability, rng)
                        papers.append(answered)
                        score = round(sum(a["awarded"] for a in answered), 6)
                        max_score = round(sum(a["points"] for a in answered), 6)
                    else:
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
                                 "duration_seconds": duration, "prediction": prediction, "counts": False,
                                 "_paper": len(papers) - 1 if paper is not None else None})
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
            order = [a.pop("_paper") for a in rows]
            attempt_ids = conn.execute(insert(attempts_table).returning(attempts_table.c.id,
                                                                        sort_by_parameter_order=True),
                                       rows).scalars().all()
            if paper is not None:
                conn.execute(insert(questions_table), [
                    {**answer, "attempt_id": attempt_id}
                    for attempt_id, k in zip(attempt_ids, order, strict=True) for answer in papers[k]])
            total_attempts += len(rows)
    db.session.expire_all()
    if refresh:
        refresh_results(round_)
        db.session.commit()
    return SimulationReport(participants, total_attempts, int(full))


@dataclass
class _Item:
    """A question as the simulation sees it: its frozen columns and its (hidden) difficulty and discrimination."""

    row: dict
    difficulty: float
    discrimination: float
    pull: list[float]  # how strongly each option draws a wrong answer (0 for the keys)


@dataclass
class _Paper:
    """The round's questions for one group and the means to draw, shuffle and answer an attempt's paper."""

    lines: list[Line]
    candidates: list[Candidate]
    items: dict[int, _Item]

    @classmethod
    def of(cls, round_: Round, group: str, rng: random.Random) -> _Paper | None:
        """The paper of ``group`` in ``round_``, or None when its blueprint draws nothing."""
        lines = [Line(i.topic_id, i.difficulty, i.count) for i in round_.blueprint if i.group == group]
        if not lines:
            return None
        questions = db.session.scalars(select(Question).where(
            Question.status == "active", Question.topic_id.in_({ln.topic_id for ln in lines}))
            .order_by(Question.id)).all()
        items = {}
        for q in questions:
            pull = [0.0 if i in q.correct else rng.uniform(0.2, 1.0) ** 2 for i in range(len(q.options))]
            items[q.id] = _Item(
                {"question_id": q.id, "topic_id": q.topic_id, "kind": q.kind, "text": q.text,
                 "option_count": len(q.options), "points": q.points, "explanation": q.explanation,
                 "source": q.source, "seq": 1, "options": q.options, "correct": q.correct, "weights": q.weights},
                DIFFICULTY_LOGITS.get(q.difficulty, 0.0) + rng.gauss(0.0, 0.8), rng.uniform(0.6, 1.8), pull)
        paper = cls(lines, [Candidate(q.id, q.topic_id, q.difficulty) for q in questions], items)
        try:
            draw_questions(lines, paper.candidates, random.Random(0))
        except DrawError:
            return None  # the bank cannot fill the blueprint: scores alone, as without answers
        return paper

    def answer(self, ability: float, rng: random.Random) -> list[dict]:
        """One attempt's questions with the answers of a person of ``ability`` (a share of right answers)."""
        theta = math.log(ability / (1 - ability)) if 0 < ability < 1 else (4.0 if ability >= 1 else -4.0)
        rows = []
        for position, question_id in enumerate(draw_questions(self.lines, self.candidates, rng), start=1):
            item = self.items[question_id]
            base = item.row
            right = rng.random() < 1 / (1 + math.exp(-item.discrimination * (theta - item.difficulty)))
            if rng.random() < BLANK_SHARE:
                chosen: list[int] = []
            elif right or not any(item.pull):
                chosen = list(base["correct"])
            else:
                wrong = rng.choices(range(len(item.pull)), weights=item.pull)[0]
                chosen = sorted(set(base["correct"][:-1]) | {wrong}) if base["kind"] == "multiple" else [wrong]
            options, correct, weights = shuffle_options(base["options"], base["correct"], base["weights"],
                                                        base["kind"], rng)
            # shuffle_options moved each option: carry the chosen ones to their new places.
            moved = [options.index(text) for text in base["options"]]
            selected = sorted(moved[i] for i in chosen)
            awarded = score_question(GradedItem(base["kind"], correct, weights, base["points"], selected))
            rows.append({**base, "position": position, "options": options, "correct": correct, "weights": weights,
                         "selected": selected, "awarded": awarded})
        return rows


def _unit_weights(rng: random.Random, group: str, owner_unit_id: int | None = None) -> tuple[list[int], list[float]]:
    """Units people come from, each with a participation weight (some units take part far more): a ward's
    contest draws its people from that ward's units; the city and the wards themselves are nobody's unit."""
    kinds = ["residential"] if group == "residents" else None
    query = select(Unit.id, Unit.headcount).where(Unit.kind.not_in(("city", "ward")))
    if kinds:
        query = query.where(Unit.kind.in_(kinds))
    if owner_unit_id is not None:
        query = query.where(Unit.id.in_(subtree_ids(owner_unit_id)))
    rows = db.session.execute(query).all() or db.session.execute(select(Unit.id, Unit.headcount)).all()
    ids = [r.id for r in rows]
    weights = [(r.headcount or 100) * rng.uniform(0.2, 1.5) for r in rows]
    return ids, weights


def _full_share(rng: random.Random, questions: int) -> float:
    """The share of full scores the ability distribution gives (for realistic predictions)."""
    samples = 2000
    sim = random.Random(rng.random())
    return sum(sim.betavariate(6.0, 1.6) ** questions for _ in range(samples)) / samples
