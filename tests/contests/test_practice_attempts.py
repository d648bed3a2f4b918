"""An organiser's "Làm thử": taken and graded as a taker's attempt, but in no standing, figure, report or
export (``Attempt.is_practice``). Each exclusion is proved against a real attempt of a resident beside it."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from contest.attempts.finishing import finish_attempt
from contest.attempts.models import Attempt
from contest.attempts.saving import save_answer
from contest.attempts.starting import start_attempt, start_practice
from contest.attempts.terms import AttemptError
from contest.exports.builders import attempts_with_answers
from contest.exports.registry import ExportParams
from contest.extensions import db
from contest.ranking.lookups import participant_count, top_results
from contest.ranking.refresh import fresh_results, live_actual
from contest.ranking.unit_figures import unit_lines
from contest.reports.service import attempts_per_day, group_counts, score_distribution
from contest.surveys.service import participation, read_round, taker_results


def _answer_all(attempt: Attempt, user_id: int, right: bool = True) -> Attempt:
    for question in attempt.questions:
        choice = question.correct if right else [next(i for i in range(question.option_count)
                                                      if i not in question.correct)]
        save_answer(attempt.id, user_id, question.position, choice, 1)
    return finish_attempt(db.session.get(Attempt, attempt.id))


@pytest.fixture
def setting(make_round, make_user, make_unit):
    """A round with a resident's real attempt (all wrong) and the organiser's practice (all right), both
    finished; the organiser belongs to a unit of their own, so that unit figures could show them."""
    round_ = make_round(prediction_kind="full_score_count")
    resident = make_user()
    organiser = make_user(role="organiser", login="btc", unit=make_unit(code="BTC"))
    _answer_all(start_attempt(resident, round_), resident.id, right=False)
    practice = _answer_all(start_practice(organiser, round_, "residents"), organiser.id)
    return round_, resident, organiser, practice


def test_practice_attempt_is_graded_but_never_counts(setting):
    _, _, _, practice = setting
    assert practice.is_practice and practice.state == "finished"
    assert practice.score == practice.max_score > 0 and practice.counts is False


def test_practice_attempt_is_not_in_the_round_standings(setting):
    round_, resident, _, _ = setting
    fresh_results(round_)
    assert [line.user_id for line in top_results(round_, "residents")] == [resident.id]
    assert participant_count(round_, "residents") == 1


def test_practice_full_score_does_not_change_the_prediction_actual(setting):
    round_, _, _, _ = setting
    assert live_actual(round_) == 0


def test_practice_attempt_is_not_in_the_unit_figures(setting):
    round_, _, organiser, _ = setting
    line = next(line for line in unit_lines([round_]) if line.unit_id == organiser.unit_id)
    assert (line.participants, line.attempts) == (0, 0)


def test_practice_attempt_is_not_in_the_dashboard_counts(setting):
    round_, _, _, _ = setting
    assert group_counts(round_ids=[round_.id]).by_group == {"residents": (1, 1)}


def test_practice_attempt_is_not_in_the_attempts_per_day(setting):
    round_, _, _, _ = setting
    assert sum(n for _, n in attempts_per_day(round_ids=[round_.id])) == 1


def test_practice_attempt_is_not_in_the_score_distribution(setting):
    round_, _, _, _ = setting
    assert sum(score_distribution(round_ids=[round_.id])) == 1


def test_practice_attempt_is_not_in_the_attempts_export(setting):
    round_, resident, _, _ = setting
    [table] = attempts_with_answers(ExportParams(round=round_))
    rows = list(table.rows)
    assert len(rows) == 1 and rows[0][4] == resident.full_name


def test_practice_attempt_does_not_use_up_or_block_the_round(setting):
    round_, _, organiser, practice = setting
    again = start_practice(organiser, round_, "residents")
    assert again.id != practice.id and again.number == practice.number + 1


def test_an_open_practice_attempt_is_resumed(make_round, make_user):
    round_ = make_round()
    organiser = make_user(role="organiser", login="btc")
    first = start_practice(organiser, round_, "residents")
    assert start_practice(organiser, round_, "residents").id == first.id


def test_practice_can_start_before_the_round_opens(make_round, make_user):
    round_ = make_round(opens_at=datetime(2026, 12, 1, tzinfo=UTC))
    organiser = make_user(role="organiser", login="btc")
    attempt = start_practice(organiser, round_, "residents")
    assert attempt.deadline - attempt.started_at == timedelta(minutes=round_.time_limit_minutes)


def test_practice_in_a_group_the_contest_lacks_is_refused(make_round, make_user):
    round_ = make_round(audience="residents")
    with pytest.raises(AttemptError):
        start_practice(make_user(role="organiser", login="btc"), round_, "officials")


def test_practice_attempt_is_not_in_survey_figures(make_round, make_user, make_unit):
    round_ = make_round(audience="officials", kind="survey")
    unit = make_unit(code="VP")
    official = make_user(role="official", unit=unit)
    organiser = make_user(role="organiser", login="btc", unit=unit)
    _answer_all(start_attempt(official, round_), official.id)
    _answer_all(start_practice(organiser, round_, "officials"), organiser.id)
    assert [(invited, done) for u, invited, done, _ in participation(round_, None) if u == unit.id] == [(1, 1)]
    assert [r.user.id for r in taker_results(round_, None, {})] == [official.id]
    assert len(read_round(round_, None).attempts) == 1


def test_the_practice_page_starts_an_attempt_the_organiser_takes(client, make_round, make_user, login):
    round_ = make_round()
    make_user(role="organiser", login="btc")
    login("btc")
    response = client.post(f"/admin/rounds/{round_.id}/practice", data={"group": "residents"})
    attempt = db.session.scalar(select(Attempt))
    assert attempt.is_practice and response.location.endswith(f"/attempts/{attempt.id}")
    assert client.get(response.location).status_code == 200


def test_a_resident_cannot_practice(client, make_round, make_user, login):
    round_ = make_round()
    user = make_user()
    login(user.login)
    assert client.post(f"/admin/rounds/{round_.id}/practice", data={"group": "residents"}).status_code in (403, 404)
    assert db.session.scalar(select(Attempt)) is None
