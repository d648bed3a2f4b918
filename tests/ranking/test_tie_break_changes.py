"""A changed tie-break order applies to rounds not yet published; a published round keeps the order it was
published with until the organiser publishes a correction that applies the new one."""

import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.ranking.lookups import top_results
from contest.ranking.models import ResultPublication
from contest.ranking.publishing import correct_order, disqualify_attempt, order_pending, publish_round
from contest.ranking.refresh import RankingError, fresh_results, refresh_results
from contest.ranking.settings import save_ranking_settings
from tests.ranking.conftest import AFTER_CLOSE

# Same score: A is quicker, B finished earlier.
FINISHED_FIRST = ["score", "prediction", "finished", "duration"]
SETTINGS = {"overall_rule": "sum", "prize_highest_only": False, "collective_formula": "hai_duong_2024",
            "collective_params": {}, "unit_prizes": {}}
FORM = {"step1": "score", "step2": "prediction", "step3": "finished", "step4": "duration", "overall_rule": "sum",
        "collective_formula": "hai_duong_2024", "threshold": "50", "points_per_percent": "1", "points_first": "10",
        "points_second": "7", "points_third": "5", "points_consolation": "3", "unit_prizes_first": "0",
        "unit_prizes_second": "0", "unit_prizes_third": "0", "unit_prizes_consolation": "0"}


@pytest.fixture
def tied(make_round, make_user, finished_attempt, frozen_clock):
    """A closed round where A (300 s, finished at :20) and B (400 s, finished at :10) tie on score; A leads
    by the default chain (duration before finish time). Returns (round, A, B)."""
    round_ = make_round(prizes_first=1, prizes_second=1)
    a, b = make_user(full_name="Người Nhanh"), make_user(full_name="Người Sớm")
    finished_attempt(a, round_, 4, duration=300, finished_minute=20)
    finished_attempt(b, round_, 4, duration=400, finished_minute=10)
    frozen_clock(AFTER_CLOSE)
    fresh_results(round_)
    return round_, a, b


def order(round_):
    return [line.user_id for line in top_results(round_, "residents")]


def test_a_changed_tie_break_leaves_a_published_round_ranked_as_published(tied):
    round_, a, b = tied
    publish_round(round_)
    save_ranking_settings(round_.contest, tie_break=FINISHED_FIRST, **SETTINGS)
    assert order(round_) == [a.id, b.id]


def test_a_changed_tie_break_reranks_a_closed_round_not_yet_published(tied):
    round_, a, b = tied
    save_ranking_settings(round_.contest, tie_break=FINISHED_FIRST, **SETTINGS)
    assert order(round_) == [b.id, a.id]


def test_saving_a_changed_tie_break_names_the_published_rounds_that_keep_their_order(tied):
    round_, _a, _b = tied
    publish_round(round_)
    assert save_ranking_settings(round_.contest, tie_break=FINISHED_FIRST, **SETTINGS) == [round_]


def test_the_organiser_is_told_that_a_published_round_keeps_its_order(tied, make_user, login, client):
    round_, _a, _b = tied
    publish_round(round_)
    make_user(role="organiser", login="btc")
    login("btc")
    page = client.post(f"/admin/contests/{round_.contest_id}/results", data=FORM,
                       follow_redirects=True).get_data(as_text=True)
    assert "Đợt 1 đã công bố nên vẫn giữ thứ tự cũ" in page and "đính chính" in page


def test_the_round_page_offers_a_correction_while_its_published_order_differs(tied, make_user, login, client):
    round_, _a, _b = tied
    publish_round(round_)
    save_ranking_settings(round_.contest, tie_break=FINISHED_FIRST, **SETTINGS)
    make_user(role="organiser", login="btc")
    login("btc")
    page = client.get(f"/admin/rounds/{round_.id}/results").get_data(as_text=True)
    assert "Thứ tự tiêu chí xếp hạng đã thay đổi" in page and "nộp bài sớm hơn" in page


def test_the_public_standings_explain_the_order_the_round_is_ranked_by(tied, client):
    round_, _a, _b = tied
    publish_round(round_)
    save_ranking_settings(round_.contest, tie_break=FINISHED_FIRST, **SETTINGS)
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/standings").get_data(as_text=True)
    assert page.index("thời gian làm bài ngắn hơn") < page.index("nộp bài sớm hơn")


def test_a_new_order_reaches_a_published_round_through_a_correction(tied, client):
    round_, a, b = tied
    publish_round(round_)
    save_ranking_settings(round_.contest, tie_break=FINISHED_FIRST, **SETTINGS)
    correction = correct_order(round_, "Áp dụng thể lệ sửa đổi: ai nộp bài trước xếp trên")
    assert order(round_) == [b.id, a.id] and not order_pending(round_)
    assert correction.kind == "correction" and correction.tie_break == ",".join(FINISHED_FIRST)
    assert [(w["tier"], w["user_id"]) for w in correction.winners] == [("first", b.id), ("second", a.id)]
    page = client.get(f"/contests/{round_.contest.slug}/rounds/1/winners").get_data(as_text=True)
    assert "Áp dụng thể lệ sửa đổi" in page


def test_a_correction_of_the_order_needs_a_reason(tied):
    round_, _a, _b = tied
    publish_round(round_)
    save_ranking_settings(round_.contest, tie_break=FINISHED_FIRST, **SETTINGS)
    with pytest.raises(RankingError, match="lý do"):
        correct_order(round_, " ")
    assert db.session.scalar(select(ResultPublication.kind).order_by(ResultPublication.id.desc())) == "publish"


def test_a_disqualification_after_the_change_keeps_the_published_order(tied, make_user, finished_attempt):
    round_, a, b = tied
    third = finished_attempt(make_user(), round_, 4, duration=200, finished_minute=30)
    refresh_results(round_)  # as a reinstatement would have stored it
    db.session.commit()
    assert order(round_) == [third.user_id, a.id, b.id]
    publish_round(round_)
    save_ranking_settings(round_.contest, tie_break=FINISHED_FIRST, **SETTINGS)
    disqualify_attempt(third, "Làm bài hộ")
    assert order(round_) == [a.id, b.id]
