"""Export files opened as Excel would: sheets, headers, row counts, types, BOM, no formula injection."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import select

from contest.audit.models import AuditEntry
from contest.exports.registry import ExportParams
from contest.exports.service import ExportDenied, ExportError, run_export
from contest.extensions import db
from contest.reports.periods import Period


def export_xlsx(kind, actor, **params):
    out = io.BytesIO()
    result = run_export(kind, ExportParams(**params), actor, "xlsx", out)
    out.seek(0)
    return openpyxl.load_workbook(out), result


def export_csv(kind, actor, **params):
    out = io.BytesIO()
    run_export(kind, ExportParams(**params), actor, "csv", out)
    return out.getvalue()


def header_row(sheet, row=1):
    return [c.value for c in sheet[row]]


def data_rows(sheet, first):
    return [[c.value for c in r] for r in sheet.iter_rows(min_row=first)]


@pytest.fixture
def organiser(make_user):
    return make_user(role="organiser", login="btc")


@pytest.fixture
def manager(make_user, ward):
    return make_user(role="unit_manager", login="kdc1", managed_unit_id=ward["area"].id)


def test_attempts_export_has_one_row_per_attempt_with_answer_columns(ward, organiser):
    book, result = export_xlsx("attempts", organiser, round=ward["round"])
    assert book.sheetnames == ["Bài thi"]
    sheet = book["Bài thi"]
    headers = header_row(sheet, 3)
    assert headers[:5] == ["Mã bài thi", "Cuộc thi", "Đợt thi", "Nhóm đối tượng", "Họ và tên"]
    assert headers[-4:] == ["Câu 1", "Câu 2", "Câu 3", "Câu 4"]
    assert len(data_rows(sheet, 4)) == 4 and result.rows == 4


def test_attempts_export_writes_dates_as_vietnam_time_dates(ward, organiser):
    sheet = export_xlsx("attempts", organiser, round=ward["round"])[0]["Bài thi"]
    headers = header_row(sheet, 3)
    started = sheet.cell(row=4, column=headers.index("Bắt đầu") + 1)
    assert started.is_date and started.value == datetime(2026, 11, 21, 9, 0)
    assert started.number_format == "dd/mm/yyyy hh:mm"
    born = sheet.cell(row=4, column=headers.index("Ngày sinh") + 1)
    assert born.is_date and born.value == datetime(1970, 5, 6) and born.number_format == "dd/mm/yyyy"


def test_attempts_export_writes_scores_as_numbers(ward, organiser):
    sheet = export_xlsx("attempts", organiser, round=ward["round"])[0]["Bài thi"]
    headers = header_row(sheet, 3)
    scores = [sheet.cell(row=r, column=headers.index("Điểm") + 1).value for r in range(4, 8)]
    assert all(isinstance(s, (int, float)) for s in scores)
    assert sheet.cell(row=4, column=headers.index("Điểm") + 1).data_type == "n"


def test_attempts_export_shows_each_answer_with_its_verdict(ward, organiser):
    sheet = export_xlsx("attempts", organiser, round=ward["round"])[0]["Bài thi"]
    headers = header_row(sheet, 3)
    rows = data_rows(sheet, 4)
    wrong = next(r for r in rows if r[headers.index("Họ và tên")] == "Trần Văn Sai")
    assert all(cell.endswith("(sai)") for cell in wrong[headers.index("Câu 1"):])
    best = next(r for r in rows if r[headers.index("Họ và tên")] == "Lê Thị Giỏi")
    assert all(cell.endswith("(đúng)") for cell in best[headers.index("Câu 1"):])


def test_formula_like_names_stay_text_in_excel(ward, organiser):
    sheet = export_xlsx("attempts", organiser, round=ward["round"])[0]["Bài thi"]
    column = header_row(sheet, 3).index("Họ và tên") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(4, 8)]
    evil = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    plus = next(c for c in cells if str(c.value).startswith("+84"))
    assert evil.data_type == "s" and plus.data_type == "s"


def test_csv_has_a_bom_and_neutralises_formula_like_names(ward, organiser):
    data = export_csv("attempts", organiser, round=ward["round"])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'+84 912 345 678" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text


def test_csv_writes_dates_the_vietnamese_way(ward, organiser):
    text = export_csv("attempts", organiser, round=ward["round"]).decode("utf-8-sig")
    assert "21/11/2026 09:00" in text and "06/05/1970" in text


def test_organiser_export_keeps_personal_columns(ward, organiser):
    sheet = export_xlsx("attempts", organiser, round=ward["round"])[0]["Bài thi"]
    assert {"Số điện thoại", "Ngày sinh"} <= set(header_row(sheet, 3))


def test_unit_manager_export_has_no_personal_columns(ward, manager):
    sheet = export_xlsx("attempts", manager, round=ward["round"])[0]["Bài thi"]
    assert not {"Số điện thoại", "Ngày sinh"} & set(header_row(sheet, 3))


def test_unit_manager_export_has_only_their_unit_subtree(ward, manager):
    sheet = export_xlsx("attempts", manager, round=ward["round"])[0]["Bài thi"]
    headers = header_row(sheet, 3)
    units = {r[headers.index("Mã đơn vị")] for r in data_rows(sheet, 4)}
    assert units == {"TDP-A", "TDP-B"}


def test_resident_may_not_export(ward):
    with pytest.raises(ExportDenied):
        run_export("unit-stats", ExportParams(), ward["people"]["best"], "xlsx", io.BytesIO())


def test_unit_manager_may_not_export_the_audit_log(ward, manager):
    with pytest.raises(ExportDenied):
        run_export("audit-log", ExportParams(), manager, "xlsx", io.BytesIO())


def test_standings_export_needs_a_round(ward, organiser):
    with pytest.raises(ExportError, match="đợt thi"):
        run_export("standings", ExportParams(), organiser, "xlsx", io.BytesIO())


def test_every_export_is_logged_with_its_rows(ward, organiser):
    export_xlsx("attempts", organiser, round=ward["round"])
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.actor_id == organiser.id and entry.target_id == "attempts"
    assert entry.changes["rows"] == 4 and entry.changes["personal"] is True


def test_standings_export_ranks_by_score_then_duration(ward, organiser):
    book, _ = export_xlsx("standings", organiser, round=ward["round"])
    assert book.sheetnames == [f"Xếp hạng {ward['round'].title}"]
    sheet = book.active
    assert "bảng xếp hạng" in sheet["A1"].value
    headers = header_row(sheet, 3)
    names = [r[headers.index("Họ và tên")] for r in data_rows(sheet, 4)]
    assert names == ['=HYPERLINK("http://x.invalid","bấm")', "Lê Thị Giỏi", "+84 912 345 678", "Trần Văn Sai"]
    assert [r[0] for r in data_rows(sheet, 4)] == [1, 2, 3, 4]


def test_unit_statistics_count_participants_against_headcount(ward, organiser):
    sheet = export_xlsx("unit-stats", organiser, round=ward["round"])[0].active
    headers = header_row(sheet, 3)
    rows = {r[0]: dict(zip(headers, r, strict=True)) for r in data_rows(sheet, 4)}
    assert rows["TDP-A"]["Số người tham gia"] == 2 and rows["TDP-A"]["Tỷ lệ tham gia"] == pytest.approx(0.2)
    assert rows["TDP-A"]["Điểm trung bình (% điểm tối đa)"] == pytest.approx(0.75)
    assert rows["TDP-C"]["Số bài đạt điểm tối đa"] == 1 and rows["TDP-B"]["Số lượt thi"] == 1
    row = 4 + list(rows).index("TDP-A")
    rate = sheet.cell(row=row, column=headers.index("Tỷ lệ tham gia") + 1)
    assert rate.data_type == "n" and rate.number_format == "0.0%"


def test_periodic_report_has_a_title_line_and_a_total_row(ward, organiser):
    book, _ = export_xlsx("periodic-report", organiser, period=Period(date(2026, 10, 21), date(2026, 11, 20)))
    assert book.sheetnames == ["Theo đơn vị", "Theo đợt thi"]
    sheet = book["Theo đơn vị"]
    assert sheet["A1"].value == ("BÁO CÁO KẾT QUẢ CUỘC THI TÌM HIỂU VỀ CẢI CÁCH HÀNH CHÍNH "
                                 "TỪ NGÀY 21/10/2026 ĐẾN NGÀY 20/11/2026")
    assert header_row(sheet, 3)[:3] == ["STT", "Tên đơn vị", "Loại"]
    assert data_rows(sheet, 4)[-1][1] == "Tổng cộng"


def test_periodic_report_counts_only_attempts_finished_in_the_period(ward, organiser):
    book, _ = export_xlsx("periodic-report", organiser, period=Period(date(2026, 11, 21), date(2026, 11, 21)))
    total = data_rows(book["Theo đơn vị"], 4)[-1]
    assert total[4] == 3 and total[5] == 3  # Lê Thị Giỏi took part on 22/11
    by_round = data_rows(book["Theo đợt thi"], 4)
    assert len(by_round) == 1 and by_round[0][3] == 3


def test_periodic_report_needs_a_period(ward, organiser):
    with pytest.raises(ExportError, match="kỳ báo cáo"):
        run_export("periodic-report", ExportParams(), organiser, "xlsx", io.BytesIO())


def test_audit_log_export_follows_the_filters(ward, organiser):
    export_xlsx("unit-stats", organiser)
    book, result = export_xlsx("audit-log", organiser, filters={"action": "export"})
    sheet = book["Nhật ký thao tác"]
    assert header_row(sheet, 3)[:3] == ["Thời điểm", "Người thực hiện", "Thao tác"]
    rows = data_rows(sheet, 4)
    assert len(rows) == 1 and rows[0][1] == "btc" and rows[0][2] == "Xuất dữ liệu"
    assert sheet.cell(row=4, column=1).is_date
