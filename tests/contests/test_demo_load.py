"""`flask demo load`: units, the default bank, an organiser and an open demo round, idempotently."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from contest.accounts.models import User
from contest.banks.models import Question
from contest.contests.models import Contest, Round
from contest.demo.service import DEMO_SLUG
from contest.extensions import db
from contest.units.models import Unit


def test_demo_load_builds_an_open_round_of_twenty_questions(runner, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "Tên đăng nhập: bantochuc" in result.output
    contest = db.session.scalar(select(Contest).where(Contest.kind == "contest"))
    [round_] = contest.rounds
    assert round_.state(datetime(2026, 11, 21, 3, 0, tzinfo=UTC)) == "open"
    assert (round_.time_limit_minutes, round_.attempts_allowed, round_.counting) == (20, 3, "best")
    assert round_.prediction_kind != "none"
    assert all(round_.question_count(g) == 20 for g in contest.groups)


def test_demo_units_include_offices_centres_and_residential_groups(runner):
    runner.invoke(args=["demo", "load"])
    kinds = dict(db.session.execute(select(Unit.kind, func.count(Unit.id)).group_by(Unit.kind)).all())
    assert kinds["office"] >= 3 and kinds["centre"] >= 2 and kinds["residential"] >= 12
    assert kinds["public_service"] >= 2


def test_demo_load_twice_changes_nothing(runner):
    runner.invoke(args=["demo", "load"])
    counts = [db.session.scalar(select(func.count(m.id))) for m in (Unit, Question, User, Contest, Round)]
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert [db.session.scalar(select(func.count(m.id))) for m in (Unit, Question, User, Contest, Round)] == counts


def test_demo_load_opens_a_new_round_when_the_last_has_closed(runner, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    runner.invoke(args=["demo", "load"])
    frozen_clock(datetime(2027, 1, 10, 3, 0, tzinfo=UTC))
    runner.invoke(args=["demo", "load"])
    # the city's contest (each ward's contest does the same: the demo has four contests since issue 19)
    rounds = db.session.scalars(select(Round).join(Contest).where(Contest.slug == DEMO_SLUG)
                                .order_by(Round.number)).all()
    assert [r.number for r in rounds] == [1, 2]
    assert rounds[1].state(datetime(2027, 1, 10, 3, 0, tzinfo=UTC)) == "open"


def test_demo_organiser_can_log_in_with_the_printed_password(runner, login):
    result = runner.invoke(args=["demo", "load"])
    password = result.output.split("Mật khẩu:")[1].split()[0]
    assert login("bantochuc", password).status_code == 302


def test_demo_load_opens_a_survey_for_officials_taken_once(runner, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    runner.invoke(args=["demo", "load"])
    survey = db.session.scalar(select(Contest).where(Contest.kind == "survey"))
    [round_] = survey.rounds
    assert (survey.audience, round_.attempts_allowed, round_.question_count("officials")) == ("officials", 1, 20)
    assert round_.state(datetime(2026, 11, 21, 3, 0, tzinfo=UTC)) == "open"


def test_the_sample_roster_imports_into_the_demo_units(runner, tmp_path):
    from contest.demo.service import HERE

    runner.invoke(args=["demo", "load"])
    result = runner.invoke(args=["roster", "import", str(HERE / "danh-sach-can-bo-mau.csv"),
                                 "--codes", str(tmp_path / "ma.xlsx")])
    assert result.exit_code == 0, result.output
    assert "8 người mới" in result.output


def test_demo_rounds_each_draw_from_their_one_named_bank(runner, frozen_clock):
    frozen_clock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    rounds = db.session.scalars(select(Round)).all()
    assert len(rounds) == 5  # the city's contest, one contest per ward (three), the survey
    drawn = {round_.contest.kind: [bank.name for bank in round_.banks] for round_ in rounds}
    assert drawn == {"contest": ["cchc-mac-dinh"], "survey": ["cchc-khao-sat-can-bo"]}


def test_demo_organiser_password_has_no_look_alike_characters(runner):
    import re

    result = runner.invoke(args=["demo", "load"])
    password = result.output.split("Mật khẩu:")[1].split()[0]
    assert re.fullmatch(r"[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){2}", password), password
