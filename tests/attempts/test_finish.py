"""Finishing: manual submit, double submit, automatic finish at the deadline, the sweep."""

from datetime import timedelta

from contest.attempts.expiry import finish_overdue
from tests.attempts.conftest import OPEN, questions_of, refresh


def answer_all_correctly(attempt, save):
    for q in questions_of(attempt):
        save(attempt, position=q.position, selected=q.correct, seq=1)


def test_submit_grades_the_saved_answers(taker, make_round, start, save, client, frozen_clock):
    _, attempt = start(make_round())
    answer_all_correctly(attempt, save)
    frozen_clock(OPEN + timedelta(minutes=7, seconds=30))
    response = client.post(f"/attempts/{attempt.id}/submit", data={})
    assert response.headers["Location"] == f"/attempts/{attempt.id}/result"
    finished = refresh(attempt)
    assert (finished.state, finished.score, finished.max_score) == ("finished", 4, 4)
    assert finished.duration_seconds == 450 and finished.auto_finished is False
    assert "4 / 4" in client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True).replace("</strong>", "")


def test_submit_page_shows_the_unanswered_count(taker, make_round, start, save, client):
    _, attempt = start(make_round())
    save(attempt, position=1, selected=[0], seq=1)
    page = client.get(f"/attempts/{attempt.id}/submit").get_data(as_text=True)
    assert "<strong>3</strong> câu chưa trả lời" in page


def test_submitting_twice_is_harmless(taker, make_round, start, save, client, frozen_clock):
    _, attempt = start(make_round())
    answer_all_correctly(attempt, save)
    frozen_clock(OPEN + timedelta(minutes=5))
    client.post(f"/attempts/{attempt.id}/submit", data={})
    first = refresh(attempt)
    frozen_clock(OPEN + timedelta(minutes=9))
    second = client.post(f"/attempts/{attempt.id}/submit", data={})
    assert second.status_code == 302
    again = refresh(attempt)
    assert (again.finished_at, again.score) == (first.finished_at, first.score)


def test_submit_stores_the_prediction(taker, make_round, start, client):
    _, attempt = start(make_round(prediction_kind="participant_count"))
    client.post(f"/attempts/{attempt.id}/submit", data={"prediction": "120"})
    assert refresh(attempt).prediction == 120


def test_overdue_attempt_is_finished_on_access_at_its_deadline(taker, make_round, start, save, client, frozen_clock):
    _, attempt = start(make_round())
    save(attempt, position=1, selected=questions_of(attempt)[0].correct, seq=1)
    frozen_clock(attempt.deadline + timedelta(hours=3))
    response = client.get(f"/attempts/{attempt.id}")
    assert response.headers["Location"] == f"/attempts/{attempt.id}/result"
    finished = refresh(attempt)
    assert finished.state == "finished" and finished.auto_finished
    assert finished.finished_at == attempt.deadline and finished.duration_seconds == 20 * 60
    assert finished.score == 1


def test_overdue_attempts_are_finished_by_the_command(taker, make_round, start, runner, frozen_clock):
    _, attempt = start(make_round())
    frozen_clock(attempt.deadline + timedelta(minutes=1))
    result = runner.invoke(args=["attempts", "finish-overdue"])
    assert result.exit_code == 0 and "1 bài" in result.output
    finished = refresh(attempt)
    assert finished.state == "finished" and finished.finished_at == attempt.deadline


def test_sweep_leaves_attempts_within_their_time_alone(taker, make_round, start, frozen_clock):
    _, attempt = start(make_round())
    frozen_clock(attempt.deadline - timedelta(seconds=1))
    assert finish_overdue() == 0
    assert refresh(attempt).state == "in_progress"


def test_late_manual_submit_records_the_deadline(taker, make_round, start, client, frozen_clock):
    _, attempt = start(make_round())
    frozen_clock(attempt.deadline + timedelta(seconds=3))  # the page's own finish at zero, a little late
    client.post(f"/attempts/{attempt.id}/submit", data={"auto": "1"})
    finished = refresh(attempt)
    assert finished.finished_at == attempt.deadline and finished.auto_finished


def test_all_required_round_refuses_a_submit_with_gaps(taker, make_round, start, save, client):
    _, attempt = start(make_round(all_required=True))
    save(attempt, position=1, selected=[0], seq=1)
    response = client.post(f"/attempts/{attempt.id}/submit", data={})
    assert response.headers["Location"] == f"/attempts/{attempt.id}"
    assert "còn 3 câu chưa trả lời" in client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert refresh(attempt).state == "in_progress"


def test_all_required_round_still_finishes_at_the_deadline(taker, make_round, start, client, frozen_clock):
    _, attempt = start(make_round(all_required=True))
    frozen_clock(attempt.deadline + timedelta(seconds=10))
    client.get(f"/attempts/{attempt.id}")
    assert refresh(attempt).state == "finished"


def test_another_persons_result_is_not_shown(taker, make_round, start, client, make_user, login):
    _, attempt = start(make_round())
    client.post(f"/attempts/{attempt.id}/submit", data={})
    client.post("/logout")
    login(make_user().phone)
    assert client.get(f"/attempts/{attempt.id}/result").status_code == 404
    assert client.get(f"/attempts/{attempt.id}").status_code == 404


def test_an_early_automatic_submit_cannot_skip_all_required(taker, make_round, start, client):
    _, attempt = start(make_round(all_required=True))
    client.post(f"/attempts/{attempt.id}/submit", data={"auto": "1"})
    assert refresh(attempt).state == "in_progress"


def test_a_refused_submit_stores_nothing_of_it(taker, make_round, start, save, client):
    """One use case, one transaction: the submit's prediction and its finish are kept together or not at all."""
    _, attempt = start(make_round(all_required=True, prediction_kind="participant_count"))
    save(attempt, position=1, selected=[0], seq=1)
    client.post(f"/attempts/{attempt.id}/submit", data={"prediction": "77"})
    kept = refresh(attempt)
    assert (kept.state, kept.prediction) == ("in_progress", None)


def test_a_submit_past_the_grace_is_finished_without_its_late_prediction(taker, make_round, start, client,
                                                                          frozen_clock):
    _, attempt = start(make_round(prediction_kind="participant_count"))
    frozen_clock(attempt.deadline + timedelta(hours=1))
    response = client.post(f"/attempts/{attempt.id}/submit", data={"prediction": "77"})
    assert response.headers["Location"] == f"/attempts/{attempt.id}/result"
    finished = refresh(attempt)
    assert (finished.state, finished.prediction, finished.finished_at) == ("finished", None, attempt.deadline)
