"""The standings against a deliberately simple re-implementation, over random attempts (hypothesis).

The reference below compares two participants step by step, with plain ifs, and places each participant at
1 + the number of participants who beat them; it shares no code with rank_participants or counting_attempt.
"""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from contest.attempts.grading import FinishedAttempt, counting_attempt
from contest.ranking.standings import Entry, rank_participants

T = datetime(2026, 11, 21, tzinfo=UTC)
STEP_ORDERS = [("score", "prediction", "duration", "finished"), ("score", "duration", "prediction", "finished"),
               ("prediction", "score", "finished", "duration")]


def simple_counting(attempts, rule):
    """The counting attempt, the long way round: keep the first attempt no other one improves on."""

    def better(a, b):
        if rule == "first":
            return a["number"] < b["number"]
        if rule == "last":
            return a["number"] > b["number"]
        for field, higher in (("score", True), ("duration", False), ("finished", False), ("number", False)):
            if a[field] != b[field]:
                return a[field] > b[field] if higher else a[field] < b[field]
        return False

    chosen = attempts[0]
    for a in attempts[1:]:
        if better(a, chosen):
            chosen = a
    return chosen


def beats(a, b, actual, order):
    """Whether attempt a ranks before attempt b."""
    for step in order:
        if step == "score" and a["score"] != b["score"]:
            return a["score"] > b["score"]
        if step == "prediction" and actual is not None:
            ga = None if a["prediction"] is None else abs(a["prediction"] - actual)
            gb = None if b["prediction"] is None else abs(b["prediction"] - actual)
            if ga is not None and gb is None:
                return True
            if ga is None and gb is not None:
                return False
            if ga is not None and ga != gb:
                return ga < gb
        if step == "duration" and a["duration"] != b["duration"]:
            return a["duration"] < b["duration"]
        if step == "finished" and a["finished"] != b["finished"]:
            return a["finished"] < b["finished"]
    return a["id"] < b["id"]


def simple_standings(attempts, rule, actual, order):
    by_person = {}
    for a in attempts:
        by_person.setdefault(a["user"], []).append(a)
    counted = [simple_counting(mine, rule) for mine in by_person.values()]
    places = {a["id"]: 1 + sum(1 for b in counted if b is not a and beats(b, a, actual, order)) for a in counted}
    return sorted((place, attempt_id) for attempt_id, place in places.items())


attempt_lists = st.lists(
    st.fixed_dictionaries({
        "user": st.integers(1, 8),
        "score": st.sampled_from([0.0, 1.0, 2.5, 3.0, 4.0]),
        "prediction": st.one_of(st.none(), st.integers(0, 12)),
        "duration": st.sampled_from([60.0, 90.0, 120.0]),
        "finished": st.integers(0, 4),
    }), min_size=0, max_size=30)


@settings(max_examples=200, deadline=None)
@given(attempt_lists, st.sampled_from(["best", "first", "last"]), st.one_of(st.none(), st.integers(0, 12)),
       st.sampled_from(STEP_ORDERS))
def test_standings_match_a_simple_reimplementation(raw, rule, actual, order):
    attempts = []
    numbers = {}
    for i, a in enumerate(raw, start=1):
        numbers[a["user"]] = numbers.get(a["user"], 0) + 1
        attempts.append({**a, "id": i, "number": numbers[a["user"]],
                         "finished": T + timedelta(minutes=a["finished"])})
    by_person = {}
    for a in attempts:
        by_person.setdefault(a["user"], []).append(a)
    entries = []
    for mine in by_person.values():
        chosen = counting_attempt([FinishedAttempt(a["id"], a["number"], a["score"], a["duration"], a["finished"])
                                   for a in mine], rule)
        a = next(x for x in mine if x["id"] == chosen.attempt_id)
        entries.append(Entry(a["id"], a["user"], a["score"], a["prediction"], a["duration"], a["finished"]))
    ranked = [(r.rank, r.entry.attempt_id) for r in rank_participants(entries, actual, order)]
    assert ranked == simple_standings(attempts, rule, actual, order)
