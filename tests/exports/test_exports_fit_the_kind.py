"""The exports page fits the kind: each export offers the rounds it applies to, file names carry the contest
and round, the audit export reads as text, CSV opens in Excel with Vietnamese regional settings."""

import csv
import io
from datetime import UTC, datetime

import pytest

from contest.audit.service import record
from contest.exports.registry import ExportParams
from contest.exports.service import ExportError, run_export
from contest.extensions import db
from tests.exports.test_export_files import export_csv, export_xlsx


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", login="btc")


@pytest.fixture
def signed_in(client, organiser, login):
    login("btc")
    return client


@pytest.fixture
def survey_round(make_round):
    round_ = make_round(audience="officials", kind="survey")
    round_.contest.title = "Khảo sát kiến thức CCHC"
    db.session.commit()
    return round_


def _options(page: str, kind: str) -> str:
    section = page[page.index(f'id="xuat-{kind}"'):]
    return section[:section.index("</section>")]


def test_the_survey_report_lists_only_survey_rounds(signed_in, ward, survey_round):
    section = _options(signed_in.get("/admin/exports").get_data(as_text=True), "survey-report")
    assert f'value="{survey_round.id}"' in section and f'value="{ward["round"].id}"' not in section


def test_the_standings_list_only_contest_rounds(signed_in, ward, survey_round):
    section = _options(signed_in.get("/admin/exports").get_data(as_text=True), "standings")
    assert f'value="{ward["round"].id}"' in section and f'value="{survey_round.id}"' not in section


def test_the_attempts_export_lists_rounds_of_both_kinds(signed_in, ward, survey_round):
    section = _options(signed_in.get("/admin/exports").get_data(as_text=True), "attempts")
    assert f'value="{ward["round"].id}"' in section and f'value="{survey_round.id}"' in section


def test_a_survey_report_of_a_contest_round_is_refused_in_vietnamese(ward, organiser):
    with pytest.raises(ExportError, match="không áp dụng"):
        run_export("survey-report", ExportParams(round=ward["round"]), organiser, "xlsx", io.BytesIO())


def test_standings_of_a_survey_round_are_refused_in_vietnamese(survey_round, organiser):
    with pytest.raises(ExportError, match="không áp dụng"):
        run_export("standings", ExportParams(round=survey_round), organiser, "xlsx", io.BytesIO())


def test_the_download_is_named_for_the_kind_contest_round_and_vietnam_day(signed_in, ward, frozen_clock):
    ward["round"].contest.title = "Cuộc thi 2026"
    db.session.commit()
    frozen_clock(datetime(2026, 11, 28, 18, 30, tzinfo=UTC))  # 01:30 on 29/11 in Hà Nội
    response = signed_in.get(f"/admin/exports/standings?fmt=xlsx&round={ward['round'].id}")
    assert response.headers["Content-Disposition"] == \
        "attachment; filename=xep-hang_cuoc-thi-2026_dot-1_20261129.xlsx"


def test_a_period_export_is_named_for_its_period(signed_in, ward, frozen_clock):
    frozen_clock(datetime(2026, 11, 28, 18, 30, tzinfo=UTC))
    response = signed_in.get("/admin/exports/periodic-report?fmt=csv&from=2026-10-21&to=2026-11-20")
    assert response.headers["Content-Disposition"] == \
        "attachment; filename=bao-cao-dinh-ky_20261021-20261120_20261129.csv"


def test_the_audit_export_shows_changes_as_text_not_json(ward, organiser):
    record("round.edit", summary="Sửa đợt", actor=organiser,
           changes={"closes_at": ["2026-11-28T10:00:00+00:00", "2026-11-30T10:00:00+00:00"],
                    "all_required": [False, True]})
    db.session.commit()
    book, _ = export_xlsx("audit-log", organiser)
    sheet = book["Nhật ký thao tác"]
    details = [row[7].value for row in sheet.iter_rows(min_row=4) if row[3].value == "round.edit"]
    assert details == ["Kết thúc: 28/11/2026 17:00 → 30/11/2026 17:00; Bắt buộc trả lời hết: Không → Có"]


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_cells_are_separated_by_semicolons(ward, organiser):
    data = export_csv("attempts", organiser, round=ward["round"])
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Mã bài thi;Cuộc thi;Đợt thi;") and not data.decode("utf-8-sig").startswith("sep=")


def test_csv_phone_numbers_keep_their_leading_zero_as_text(ward, organiser):
    rows = _csv_rows(export_csv("attempts", organiser, round=ward["round"]))
    phones = [row[rows[0].index("Số điện thoại")] for row in rows[1:]]
    assert phones and all(p.startswith('="0') and p.endswith('"') for p in phones)


def test_csv_numbers_have_a_decimal_comma(ward, organiser):
    rows = _csv_rows(export_csv("unit-stats", organiser, round=ward["round"]))
    numbers = [cell for row in rows[1:] for cell in row if cell[:1].isdigit() and ("," in cell or "." in cell)]
    assert numbers and all("." not in cell for cell in numbers)
