"""The round workflow of the console: duplicate a round or a contest, close a round now, confirm before
publishing, ask before a start in the past goes live, and land organisers on the console."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from contest.attempts.models import Attempt
from contest.attempts.saving import save_answer
from contest.attempts.starting import start_attempt
from contest.audit.models import AuditEntry
from contest.contests.models import Contest, Round
from contest.contests.service import ContestError
from contest.contests.workflow import Window, close_round_now, duplicate_contest, duplicate_round
from contest.extensions import db
from contest.ranking.models import ResultPublication
from tests.conftest import PASSWORD

NEW_OPEN = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
NEW_CLOSE = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


@pytest.fixture
def rich_round(make_round):
    """A round with every setting away from its default."""
    return make_round(time_limit_minutes=15, attempts_allowed=2, counting="first", all_required=True,
                      review_policy="never", prediction_kind="participant_count", prediction_prompt="Bao nhiêu?",
                      prizes_first=1, prizes_second=2, prizes_third=3, prizes_consolation=4, prize_min_first=90,
                      prize_min_consolation=50)


SETTINGS = ("time_limit_minutes", "attempts_allowed", "counting", "all_required", "review_policy",
            "prediction_kind", "prediction_prompt", "prizes_first", "prizes_second", "prizes_third",
            "prizes_consolation", "prize_min_first", "prize_min_second", "prize_min_third", "prize_min_consolation")


def _settings(round_: Round) -> dict:
    return {name: getattr(round_, name) for name in SETTINGS}


def _blueprint(round_: Round) -> set:
    return {(i.group, i.topic_id, i.difficulty, i.count) for i in round_.blueprint}


def test_a_duplicated_round_keeps_the_rules_prizes_and_thresholds(rich_round):
    copy = duplicate_round(rich_round, Window("Đợt 2", NEW_OPEN, NEW_CLOSE))
    assert _settings(copy) == _settings(rich_round)


def test_a_duplicated_round_keeps_the_blueprint_and_banks(rich_round):
    copy = duplicate_round(rich_round, Window("Đợt 2", NEW_OPEN, NEW_CLOSE))
    assert _blueprint(copy) == _blueprint(rich_round) and copy.banks == rich_round.banks


def test_a_duplicated_round_takes_the_new_dates_and_the_next_number(rich_round):
    copy = duplicate_round(rich_round, Window("Đợt 2", NEW_OPEN, NEW_CLOSE))
    assert (copy.number, copy.title, copy.opens_at, copy.closes_at) == (2, "Đợt 2", NEW_OPEN, NEW_CLOSE)
    assert copy.closed_at is None and copy.prediction_actual is None


def test_duplicating_a_round_that_would_end_before_it_starts_is_refused(rich_round):
    with pytest.raises(ContestError):
        duplicate_round(rich_round, Window("Đợt 2", NEW_CLOSE, NEW_OPEN))
    assert db.session.scalar(select(Round).where(Round.number == 2)) is None


def test_the_duplicate_round_page_creates_the_copy_with_the_typed_dates(client, organiser, rich_round):
    response = client.post(f"/admin/contests/{rich_round.contest_id}/rounds/{rich_round.id}/duplicate",
                           data={"title": "Đợt 2", "opens_at": "2026-12-01T08:00", "closes_at": "2026-12-08T17:00"})
    copy = db.session.scalar(select(Round).where(Round.number == 2))
    assert response.status_code == 302 and (copy.opens_at, copy.closes_at) == (NEW_OPEN, NEW_CLOSE)


def test_the_duplicate_round_page_suggests_dates_after_the_original(client, organiser, rich_round):
    page = client.get(f"/admin/contests/{rich_round.contest_id}/rounds/{rich_round.id}/duplicate")
    assert page.status_code == 200 and 'value="Đợt 2"' in page.get_data(as_text=True)


def test_a_duplicated_contest_is_unpublished_with_each_round_copied(rich_round):
    original = rich_round.contest
    copy = duplicate_contest(original, "Cuộc thi 2027", {rich_round.id: Window("Đợt 1", NEW_OPEN, NEW_CLOSE)})
    assert (copy.title, copy.is_published, copy.kind, copy.audience) == ("Cuộc thi 2027", False, original.kind,
                                                                        original.audience)
    [round_] = copy.rounds
    assert _settings(round_) == _settings(rich_round) and _blueprint(round_) == _blueprint(rich_round)
    assert (round_.opens_at, round_.closes_at) == (NEW_OPEN, NEW_CLOSE)


def test_a_duplicated_contest_keeps_the_signature_block_but_gets_its_own_share_code(rich_round):
    original = rich_round.contest
    original.certificate_signer_name = "Nguyễn Văn Bình"
    copy = duplicate_contest(original, "Cuộc thi 2027", {rich_round.id: Window("Đợt 1", NEW_OPEN, NEW_CLOSE)})
    assert copy.certificate_signer_name == "Nguyễn Văn Bình"
    assert copy.share_code and copy.share_code != original.share_code


def test_the_duplicate_contest_page_reads_each_rounds_new_dates(client, organiser, rich_round):
    response = client.post(f"/admin/contests/{rich_round.contest_id}/duplicate",
                           data={"title": "Cuộc thi 2027", f"opens-{rich_round.id}": "2026-12-01T08:00",
                                 f"closes-{rich_round.id}": "2026-12-08T17:00"})
    copy = db.session.scalar(select(Contest).where(Contest.title == "Cuộc thi 2027"))
    assert response.status_code == 302 and (copy.rounds[0].opens_at, copy.rounds[0].closes_at) == (NEW_OPEN,
                                                                                                   NEW_CLOSE)


def test_the_duplicate_contest_page_refuses_a_bad_date_in_vietnamese(client, organiser, rich_round):
    response = client.post(f"/admin/contests/{rich_round.contest_id}/duplicate",
                           data={"title": "Cuộc thi 2027", f"opens-{rich_round.id}": "01/12/2026",
                                 f"closes-{rich_round.id}": "2026-12-08T17:00"})
    assert response.status_code == 422 and "Vui lòng nhập ngày giờ hợp lệ" in response.get_data(as_text=True)
    assert db.session.scalar(select(Contest).where(Contest.title == "Cuộc thi 2027")) is None


def _open_attempt(make_user, round_):
    resident = make_user()
    attempt = start_attempt(resident, round_)
    first = attempt.questions[0]
    save_answer(attempt.id, resident.id, first.position, first.correct, 1)
    return attempt


def test_the_close_now_page_says_how_many_attempts_are_open(client, organiser, make_round, make_user):
    round_ = make_round()
    _open_attempt(make_user, round_)
    _open_attempt(make_user, round_)
    page = client.get(f"/admin/rounds/{round_.id}/close-now").get_data(as_text=True)
    assert "2 bài đang làm" in page and "chấm điểm với các câu trả lời đã lưu" in page


def test_closing_now_finishes_open_attempts_with_what_they_saved(make_round, make_user, organiser):
    round_ = make_round()
    attempt = _open_attempt(make_user, round_)
    assert close_round_now(round_, actor=organiser) == 1
    db.session.expire_all()
    finished = db.session.get(Attempt, attempt.id)
    assert (finished.state, finished.score, finished.counts) == ("finished", 1.0, True)


def test_closing_now_ends_the_round_and_closes_it(make_round, make_user, organiser):
    from contest import clock

    round_ = make_round()
    moment = clock.now()
    close_round_now(round_, actor=organiser)
    db.session.expire_all()
    round_ = db.session.get(Round, round_.id)
    assert round_.closes_at >= moment and round_.closed_at is not None and round_.state(clock.now()) == "closed"
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "round.close_now")) is not None


def test_closing_now_a_round_that_has_not_opened_is_refused(make_round, organiser):
    round_ = make_round(opens_at=datetime(2026, 12, 1, tzinfo=UTC))
    with pytest.raises(ContestError):
        close_round_now(round_)
    assert db.session.get(Round, round_.id).closed_at is None


def test_the_close_now_form_closes_the_round(client, organiser, make_round, make_user):
    round_ = make_round()
    attempt = _open_attempt(make_user, round_)
    response = client.post(f"/admin/rounds/{round_.id}/close-now", data={})
    db.session.expire_all()
    assert response.status_code == 302 and db.session.get(Round, round_.id).closed_at is not None
    assert db.session.get(Attempt, attempt.id).state == "finished"


def test_the_close_now_link_is_not_a_get_that_closes(client, organiser, make_round):
    round_ = make_round()
    client.get(f"/admin/rounds/{round_.id}/close-now")
    assert db.session.get(Round, round_.id).closed_at is None


def _closed_round_with_a_winner(make_round, make_user, organiser):
    round_ = make_round(prizes_first=1)
    resident = make_user(full_name="Hoàng Thị Lan")
    attempt = start_attempt(resident, round_)
    for q in attempt.questions:
        save_answer(attempt.id, resident.id, q.position, q.correct, 1)
    close_round_now(round_, actor=organiser)
    return round_


def test_publishing_without_confirmation_shows_the_list_first(client, organiser, make_round, make_user):
    round_ = _closed_round_with_a_winner(make_round, make_user, organiser)
    response = client.post(f"/admin/rounds/{round_.id}/publish", data={})
    assert response.location.endswith(f"/admin/rounds/{round_.id}/publish/confirm")
    assert db.session.scalar(select(ResultPublication)) is None


def test_the_publish_confirmation_lists_who_will_be_published(client, organiser, make_round, make_user):
    round_ = _closed_round_with_a_winner(make_round, make_user, organiser)
    page = client.get(f"/admin/rounds/{round_.id}/publish/confirm").get_data(as_text=True)
    assert "Hoàng Thị Lan" in page and "Giải Nhất" in page and "Xác nhận công bố" in page


def test_a_confirmed_publication_is_published(client, organiser, make_round, make_user):
    round_ = _closed_round_with_a_winner(make_round, make_user, organiser)
    client.post(f"/admin/rounds/{round_.id}/publish", data={"confirmed": "1"})
    assert db.session.scalar(select(ResultPublication.kind)) == "publish"


ROUND_FORM = {"title": "Đợt 2", "time_limit_minutes": "20", "attempts_allowed": "1", "counting": "best",
              "review_policy": "after_close", "prediction_kind": "none", "prizes_first": "0", "prizes_second": "0",
              "prizes_third": "0", "prizes_consolation": "0", "closes_at": "2026-12-07T17:00"}


def test_a_new_round_starting_in_the_past_asks_before_it_is_saved(client, organiser, make_round):
    round_ = make_round()
    response = client.post(f"/admin/contests/{round_.contest_id}/rounds/new",
                           data={**ROUND_FORM, "opens_at": "2026-11-20T08:00"})
    assert response.status_code == 409 and "đã qua" in response.get_data(as_text=True)
    assert db.session.scalar(select(Round).where(Round.number == 2)) is None


def test_a_confirmed_start_in_the_past_is_saved(client, organiser, make_round):
    round_ = make_round()
    response = client.post(f"/admin/contests/{round_.contest_id}/rounds/new",
                           data={**ROUND_FORM, "opens_at": "2026-11-20T08:00", "confirm_past": "1"})
    assert response.status_code == 302 and db.session.scalar(select(Round).where(Round.number == 2)) is not None


def test_a_round_starting_later_is_saved_without_asking(client, organiser, make_round):
    round_ = make_round()
    response = client.post(f"/admin/contests/{round_.contest_id}/rounds/new",
                           data={**ROUND_FORM, "opens_at": "2026-12-01T08:00"})
    assert response.status_code == 302


def test_editing_a_round_that_already_started_does_not_ask_again(client, organiser, make_round):
    from contest import clock

    round_ = make_round()
    opens = clock.to_vn(round_.opens_at).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/admin/contests/{round_.contest_id}/rounds/{round_.id}/edit",
                           data={**ROUND_FORM, "opens_at": opens})
    assert response.status_code == 302


def test_an_organiser_lands_on_the_console_after_signing_in(client, make_user, login):
    make_user(role="organiser", login="btc")
    assert login("btc").location == "/admin/"


def test_an_organiser_going_somewhere_lands_there(client, make_user):
    make_user(role="organiser", login="btc")
    response = client.post("/login?next=/admin/exports", data={"login": "btc", "password": PASSWORD})
    assert response.location == "/admin/exports"


def test_a_resident_lands_where_they_were_going(client, make_user):
    resident = make_user()
    response = client.post("/login?next=/contests/thi-1", data={"login": resident.login,
                                                                "password": PASSWORD})
    assert response.location == "/contests/thi-1"
