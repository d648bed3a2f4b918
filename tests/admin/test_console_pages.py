"""The console's pages: dashboard, exports, unit statistics and audit log, for organisers and unit managers."""

import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from contest.audit.models import AuditEntry
from contest.extensions import db
from tests.exports.conftest import OPEN


@pytest.fixture
def organiser(client, make_user, login):
    user = make_user(role="organiser", login="btc")
    login("btc")
    return user


@pytest.fixture
def manager(client, make_user, login, ward):
    user = make_user(role="unit_manager", login="kdc1", managed_unit_id=ward["area"].id)
    login("kdc1")
    return user


def dashboard_data(response):
    import json
    import re

    body = response.get_data(as_text=True)
    return json.loads(re.search(r'id="dashboard-data">(.*?)</script>', body, re.S).group(1))


def test_dashboard_counts_participants_today(client, ward, organiser, frozen_clock):
    frozen_clock(OPEN + timedelta(hours=5))
    body = client.get("/admin/dashboard").get_data(as_text=True)
    assert '<div class="card stat" data-stat="today">' in body
    today = body.split('data-stat="today"')[1].split("</div>")[0]
    assert '<p class="big">3</p>' in today


def test_dashboard_highlights_the_unit_with_the_lowest_participation(client, ward, organiser):
    data = dashboard_data(client.get("/admin/dashboard"))
    lowest = [label for label, low in zip(data["units"]["labels"], data["units"]["lowest"], strict=True) if low]
    assert lowest == ["Tổ dân phố C"]  # 1 of 20, against 2 of 10 and 1 of 4


def test_dashboard_score_distribution_counts_each_participant_once(client, ward, organiser):
    data = dashboard_data(client.get("/admin/dashboard"))
    assert sum(data["scores"]["values"]) == 4 and data["scores"]["values"][-1] == 2


def test_dashboard_loads_the_vendored_chart_library(client, ward, organiser):
    body = client.get("/admin/dashboard").get_data(as_text=True)
    assert "/static/vendor/chartjs/chart.umd.min.js" in body and "cdn" not in body.lower()


def test_unit_manager_dashboard_shows_only_their_units(client, ward, manager):
    data = dashboard_data(client.get("/admin/dashboard"))
    assert set(data["units"]["labels"]) == {"Tổ dân phố A", "Tổ dân phố B"}
    assert sum(data["scores"]["values"]) == 3


def test_export_download_is_an_xlsx_file_named_for_the_kind(client, ward, organiser):
    response = client.get(f"/admin/exports/unit-stats?fmt=xlsx&round={ward['round'].id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=thong-ke-don-vi_")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Thống kê đơn vị"]


def test_monthly_report_preset_downloads_the_periodic_report(client, ward, organiser):
    response = client.get("/admin/exports/periodic-report?fmt=xlsx&preset=2026-10-21_2026-11-20")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Theo đơn vị"]
    assert "TỪ NGÀY 21/10/2026 ĐẾN NGÀY 20/11/2026" in sheet["A1"].value


def test_typed_dates_win_over_the_preset(client, ward, organiser):
    response = client.get("/admin/exports/periodic-report?fmt=csv&preset=2026-10-21_2026-11-20"
                          "&from=2026-11-21&to=2026-11-30")
    assert response.status_code == 200
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.changes["from"] == "2026-11-21"


def test_export_with_a_bad_date_explains_and_does_not_fail(client, ward, organiser):
    response = client.get("/admin/exports/periodic-report?fmt=xlsx&from=31/02/2026&to=2026-03-05",
                          follow_redirects=True)
    assert response.status_code == 200
    assert "không có trên lịch" in response.get_data(as_text=True)


def test_unknown_export_kind_is_not_found(client, organiser):
    assert client.get("/admin/exports/nothing?fmt=xlsx").status_code == 404


def test_unit_manager_download_has_no_personal_columns(client, ward, manager):
    response = client.get(f"/admin/exports/attempts?fmt=xlsx&round={ward['round'].id}")
    headers = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.data)).active[3]]
    assert "Họ và tên" in headers and "Số điện thoại" not in headers and "Ngày sinh" not in headers


def test_unit_manager_cannot_download_the_audit_log(client, ward, manager):
    assert client.get("/admin/exports/audit-log?fmt=xlsx").status_code == 403


def test_unit_manager_sees_only_staff_exports(client, ward, manager):
    body = client.get("/admin/exports").get_data(as_text=True)
    assert "Thống kê theo đơn vị" in body and "Nhật ký thao tác" not in body


def test_unit_statistics_page_lists_only_the_managers_units(client, ward, manager):
    body = client.get("/admin/unit-stats").get_data(as_text=True)
    assert "Tổ dân phố A" in body and "Tổ dân phố C" not in body


def test_audit_page_filters_by_action(client, ward, organiser):
    client.get("/admin/exports/unit-stats?fmt=csv")
    client.post("/admin/contests/new", data={"title": "Cuộc thi mới", "kind": "contest", "audience": "residents"})
    body = client.get("/admin/audit?action=export").get_data(as_text=True)
    assert "Thống kê theo đơn vị" in body and "Cuộc thi mới" not in body
    assert "Cuộc thi mới" in client.get("/admin/audit?action=contest.create").get_data(as_text=True)


def test_audit_page_is_paginated(client, organiser):
    from contest.audit.service import record

    for n in range(60):
        record("unit.edit", target_type="units", target_id=n, summary=f"mục {n}", actor=organiser)
    db.session.commit()
    first = client.get("/admin/audit").get_data(as_text=True)
    assert "Trang 1 / 2" in first and "mục 59" in first and "mục 0<" not in first
    assert "mục 0" in client.get("/admin/audit?page=2").get_data(as_text=True)
