"""Checking a round's blueprint against what the bank holds (pure: no Flask, no database)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortfall:
    """A blueprint line asking for more active questions than the bank has."""

    group: str
    topic: str
    difficulty: str | None
    wanted: int
    available: int


def blueprint_shortfalls(wanted: dict[tuple[str, str, str | None], int],
                         available: dict[tuple[str, str | None], int]) -> list[Shortfall]:
    """Lines of ``wanted`` (group, topic, difficulty → count) that the bank's ``available`` (topic,
    difficulty → active questions; difficulty None counts every difficulty) cannot fill.

    A line without difficulty competes with the lines of the same topic that name one, so the check is
    made per topic as a whole as well as per line.
    """
    shortfalls: list[Shortfall] = []
    topics = {(group, topic) for group, topic, _ in wanted}
    for group, topic in sorted(topics):
        lines = {d: n for (g, t, d), n in wanted.items() if g == group and t == topic}
        for difficulty, count in sorted(lines.items(), key=lambda kv: kv[0] or ""):
            have = available.get((topic, difficulty), 0)
            if count > have:
                shortfalls.append(Shortfall(group, topic, difficulty, count, have))
        total_wanted = sum(lines.values())
        total_have = available.get((topic, None), 0)
        if len(lines) > 1 and total_wanted > total_have:
            shortfalls.append(Shortfall(group, topic, None, total_wanted, total_have))
    return shortfalls
