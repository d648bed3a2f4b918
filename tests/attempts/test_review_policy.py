"""Correct answers reach the browser only when the review policy allows."""

from datetime import timedelta

import pytest

from tests.attempts.conftest import questions_of

KEY_MARK = "đáp án đúng"


def explanation_marker(attempt):
    return "Giải thích ngắn."  # the small bank's explanation: it gives the key away, so it is a key too


def test_attempt_page_carries_no_key_and_no_explanation(taker, make_round, start, client):
    _, attempt = start(make_round(review_policy="after_submit"))
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert KEY_MARK not in page and explanation_marker(attempt) not in page
    assert "correct" not in page.lower().replace("incorrect", "")


def test_save_acknowledgement_carries_no_key(taker, make_round, start, client):
    _, attempt = start(make_round(review_policy="after_submit"))
    body = client.post(f"/api/attempts/{attempt.id}/answers", json={"position": 1, "selected": [0], "seq": 1})
    assert set(body.get_json()) == {"ok", "position", "selected", "seq", "applied", "saved_at", "server_time"}


def finished(client, start, round_):
    _, attempt = start(round_)
    client.post(f"/attempts/{attempt.id}/submit", data={})
    return attempt


def test_after_submit_policy_shows_keys_once_finished(taker, make_round, start, client):
    attempt = finished(client, start, make_round(review_policy="after_submit"))
    assert KEY_MARK in client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)


def test_after_close_policy_hides_keys_until_the_round_closes(taker, make_round, start, client, frozen_clock):
    round_ = make_round(review_policy="after_close")
    attempt = finished(client, start, round_)
    assert KEY_MARK not in client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    frozen_clock(round_.closes_at + timedelta(seconds=1))
    assert KEY_MARK in client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)


@pytest.mark.parametrize("later", [timedelta(0), timedelta(days=30)])
def test_never_policy_never_shows_keys(taker, make_round, start, client, frozen_clock, later):
    round_ = make_round(review_policy="never")
    attempt = finished(client, start, round_)
    frozen_clock(round_.closes_at + later)
    page = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert KEY_MARK not in page
    assert all(q.text not in page for q in questions_of(attempt))
