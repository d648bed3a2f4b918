"""The bulk figures give what the implementation before them gave on the demo survey (recorded in
tests/surveys/data/demo-survey-before.json: the rows it read and every figure it reported)."""

import json
from pathlib import Path

import pandas as pd
import pytest

from contest.surveys.figures import ALL, bands_by_unit, needs_by_unit, rates_by_unit, whole_topics
from contest.surveys.frames import compute_figures, from_payload, report_figures, round_rows, to_payload
from contest.surveys.item_analysis import item_stats

RECORDED = json.loads((Path(__file__).resolve().parents[1] / "surveys" / "data" / "demo-survey-before.json")
                      .read_text(encoding="utf-8"))
BANK = {int(q): options for q, options in RECORDED["bank_options"].items()}


def figures_for(units: set[int] | None):
    attempts = [(a, u, unit, n, s, m) for a, u, unit, n, s, m in RECORDED["attempts"]
                if units is None or unit in units]
    kept = {a[0] for a in attempts}
    answers = [(a, q, t, aw, p, json.dumps([BANK[q][i] for i in perm], ensure_ascii=False), json.dumps(sel),
                json.dumps(cor)) for a, q, t, aw, p, perm, sel, cor in RECORDED["answers"] if a in kept]
    # In two parts, as the database hands them over.
    return compute_figures(round_rows(attempts, [answers[:1000], answers[1000:]]), BANK)


def recorded_rows(marks_only: bool = False, as_bytes: bool = False):
    attempts = [tuple(a) for a in RECORDED["attempts"]]
    answers = []
    for a, q, t, aw, p, perm, sel, cor in RECORDED["answers"]:
        texts = [json.dumps([BANK[q][i] for i in perm], ensure_ascii=False), json.dumps(sel), json.dumps(cor)]
        if as_bytes:
            texts = [text.encode() for text in texts]
        answers.append((a, q, t, aw, p) if marks_only else (a, q, t, aw, p, *texts))
    return round_rows(attempts, [answers[:1000], answers[1000:]])


def key(unit):
    return "null" if unit is None else str(unit)


@pytest.fixture(params=["every unit", "half of the units"])
def case(request):
    if request.param == "every unit":
        return figures_for(None), RECORDED["expected"]
    return figures_for(set(RECORDED["scope"])), RECORDED["expected_scoped"]


def test_rates_per_unit_and_topic_are_as_before(case):
    figures, expected = case
    rates = rates_by_unit(figures.topics, whole_topics(figures.topics))
    got = sorted([[u, t, r.obtained, r.possible, r.answers] for u, d in rates.items() for t, r in d.items()], key=str)
    assert len(got) == len(expected["rates"])
    for mine, before in zip(got, expected["rates"], strict=True):
        assert mine[:2] == before[:2] and mine[4] == before[4]
        assert mine[2:4] == pytest.approx(before[2:4], abs=1e-9)


def test_score_bands_are_as_before(case):
    figures, expected = case
    bands = bands_by_unit(figures.bands)
    got = sorted([[u, c["full"], c["high"], c["middle"], c["low"]] for u, c in bands.items()], key=str)
    assert got == expected["bands"]


def test_training_needs_are_as_before(case):
    figures, expected = case
    needs = needs_by_unit(figures.topics, whole_topics(figures.topics))
    before = {key(u): ns for u, ns in expected["needs"]}
    assert set(before) == {key(u) for u in needs}
    for unit, mine in needs.items():
        # The same topics in the same order; a topic tied with the third is now named as well.
        named = before[key(unit)]
        assert [n.topic_id for n in mine[:len(named)]] == [t for t, _, _ in named]
        assert [n.rate for n in mine[:len(named)]] == pytest.approx([r for _, r, _ in named], abs=1e-12)
        assert [n.overall for n in mine[:len(named)]] == pytest.approx([o for _, _, o in named], abs=1e-12)
        assert all(n.rate == mine[2].rate for n in mine[3:])
    assert needs[ALL] is not None


def test_item_analysis_is_as_before(case):
    figures, expected = case
    mine = {s.item: s for s in item_stats(figures.item_stats, figures.shares)}
    assert len(mine) == len(expected["items"])
    for item, respondents, answered, facility, discrimination, shares, unanswered, flags, correct in expected["items"]:
        s = mine[item]
        assert (s.respondents, s.answered, s.flags) == (respondents, answered, tuple(flags))
        assert s.facility == pytest.approx(facility, abs=1e-9)
        assert (s.discrimination is None) == (discrimination is None)
        if discrimination is not None:
            assert s.discrimination == pytest.approx(discrimination, abs=1e-9)
        assert list(s.option_shares.items()) == [(o, pytest.approx(v, abs=1e-12)) for o, v in shares]
        assert s.unanswered_share == pytest.approx(unanswered)
        assert sorted(figures.correct[item]) == correct


def test_the_recorded_survey_has_real_spread():
    """The recording is worth comparing against: flagged and unflagged items, every band but one at least."""
    flags = [flags for *_, flags, _ in RECORDED["expected"]["items"]]
    assert any(flags) and not all(flags)
    assert len(pd.DataFrame(RECORDED["answers"])[1].unique()) >= 20


def test_the_report_figures_from_the_marks_alone_are_the_full_reads():
    full = compute_figures(recorded_rows(), BANK)
    marks = report_figures(recorded_rows(marks_only=True))
    assert marks.item_stats is None
    for name in ("topics", "bands", "needs"):
        pd.testing.assert_frame_equal(getattr(marks, name), getattr(full, name))


def test_json_columns_read_as_bytes_give_the_same_figures():
    text = compute_figures(recorded_rows(), BANK)
    raw = compute_figures(recorded_rows(as_bytes=True), BANK)
    for name in ("topics", "bands", "needs", "item_stats", "shares"):
        pd.testing.assert_frame_equal(getattr(raw, name), getattr(text, name))
    assert raw.correct == text.correct


def test_stored_report_figures_without_items_read_back_the_same():
    marks = report_figures(recorded_rows(marks_only=True))
    back = from_payload(to_payload(marks))
    assert back.item_stats is None and back.correct is None
    for name in ("topics", "bands", "needs"):
        # (check_names: the name of the bands' columns index, "band", is not stored)
        pd.testing.assert_frame_equal(getattr(back, name), getattr(marks, name), check_names=False)
