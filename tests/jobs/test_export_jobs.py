"""Exports started from the console run as background jobs: a progress page, a JSON status, the file for the
person who asked and nobody else, Vietnamese errors."""

import io
import threading
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from contest import clock
from contest.audit.models import AuditEntry
from contest.extensions import db
from contest.jobs import service
from contest.jobs.kinds import export_params
from contest.jobs.models import Job
from contest.jobs.progress import Outcome
from contest.jobs.service import perform, submit_job, sweep_jobs


def use_runner(monkeypatch, runner):
    """Run ``runner`` for every job of this test instead of the kind's own."""
    monkeypatch.setattr(service, "_runner", lambda kind: runner)


def start(client, kind="unit-stats", **form):
    return client.post(f"/admin/exports/{kind}/job", data={"fmt": "xlsx", **form})


def only_job() -> Job:
    db.session.expire_all()
    return db.session.scalars(select(Job)).one()


def test_the_exports_page_starts_a_job_and_shows_its_progress_page(client, ward, organiser):
    response = start(client, round=ward["round"].id)
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/jobs/{only_job().id}?tai-ve=1"


def test_the_exports_page_form_posts_to_the_job_route_with_a_csrf_token(client, ward, organiser):
    body = client.get("/admin/exports").get_data(as_text=True)
    assert 'action="/admin/exports/unit-stats/job"' in body and 'name="csrf_token"' in body


def test_a_finished_export_job_offers_the_workbook(client, ward, organiser):
    start(client, round=ward["round"].id)
    job = only_job()
    response = client.get(f"/admin/jobs/{job.id}/download")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert response.status_code == 200 and job.filename in response.headers["Content-Disposition"]
    assert any("Tổ dân phố A" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_the_job_status_is_json_with_progress_and_the_download_link(client, ward, organiser):
    start(client, round=ward["round"].id)
    job = only_job()
    status = client.get(f"/admin/jobs/{job.id}/status").get_json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == f"/admin/jobs/{job.id}/download"


def test_the_progress_page_has_a_bar_a_reload_link_for_no_javascript_and_the_script(client, ward, organiser,
                                                                                     monkeypatch):
    use_runner(monkeypatch, never_called)
    job = submit_job("export", export_params("unit-stats", "xlsx"), organiser, "Thống kê", mode="thread")
    # The thread is not awaited: the page is rendered while the job may still be queued or running.
    body = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert '<progress id="job-progress" max="100"' in body and "Cập nhật tiến độ" in body
    assert "js/jobs.js" in body and "<script>" not in body
    service_thread(job.id).join(timeout=30)


def never_called(job, progress):
    return Outcome()


def service_thread(job_id):
    from flask import current_app

    return current_app.extensions["hoithi_job_threads"][job_id]


def test_the_export_job_writes_the_audit_entry_of_the_export(client, ward, organiser):
    start(client, round=ward["round"].id)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.actor_id == organiser.id and entry.target_id == "unit-stats"


def test_another_organiser_cannot_see_the_job(client, ward, make_user, login):
    owner = make_user(role="organiser", login="btc")
    job = submit_job("export", export_params("unit-stats", "xlsx"), owner, "Thống kê")
    make_user(role="organiser", login="btc2")
    login("btc2")
    codes = [client.get(f"/admin/jobs/{job.id}{tail}").status_code for tail in ("", "/status", "/download")]
    assert codes == [404, 404, 404]


def test_a_unit_manager_job_holds_only_their_units_and_no_personal_columns(client, ward, manager):
    start(client, "attempts", round=ward["round"].id)
    job = only_job()
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/admin/jobs/{job.id}/download").data)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "Số điện thoại" not in cells and "Lê Thị Giỏi" not in cells and "Trần Văn Sai" in cells


def test_a_unit_manager_cannot_start_an_organiser_only_export(client, ward, manager):
    assert start(client, "audit-log").status_code == 403
    assert db.session.scalar(select(Job.id)) is None


def test_an_export_without_its_required_round_is_refused_in_vietnamese(client, ward, organiser):
    response = start(client, "standings")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/exports"
    assert "cần chọn: đợt thi" in client.get("/admin/exports").get_data(as_text=True)
    assert db.session.scalar(select(Job.id)) is None


def test_a_job_whose_round_is_gone_fails_with_a_vietnamese_message(app, ward, organiser):
    job = submit_job("export", export_params("standings", "xlsx", round_id=999_999), organiser, "Xếp hạng")
    job = only_job()
    assert job.status == "failed" and job.error == "Không tìm thấy đợt thi đã chọn."


def test_an_unexpected_error_fails_the_job_with_the_generic_message_and_one_log_entry(app, organiser, monkeypatch,
                                                                                      caplog):
    use_runner(monkeypatch, broken)
    submit_job("export", export_params("unit-stats", "xlsx"), organiser, "Thống kê")
    assert only_job().error == service.GENERIC_ERROR
    assert [r.levelname for r in caplog.records if r.name == "contest.jobs.service"] == ["ERROR"]


def broken(job, progress):
    raise RuntimeError("boom")


def test_the_failed_job_page_shows_its_error(client, app, organiser, monkeypatch):
    use_runner(monkeypatch, broken)
    job = submit_job("export", export_params("unit-stats", "xlsx"), organiser, "Thống kê")
    body = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "Không thành công" in body and "Vui lòng thử lại" in body


def test_a_job_handed_over_twice_runs_once(app, organiser, monkeypatch):
    CALLS.clear()
    use_runner(monkeypatch, counted)
    job = submit_job("export", export_params("unit-stats", "xlsx"), organiser, "Thống kê")
    perform(job.id)
    assert len(CALLS) == 1


CALLS: list[int] = []


def counted(job, progress):
    CALLS.append(job.id)
    return Outcome()


def test_in_thread_mode_the_request_returns_while_the_job_still_runs(make_app, ward, organiser, monkeypatch):
    use_runner(monkeypatch, waits_for_the_gate)
    GATE.clear()
    app = make_app(JOBS_RUN="thread")
    client = app.test_client()
    client.post("/login", data={"login": "btc", "password": "mat-khau-an-toan"})
    try:
        with app.app_context():
            response = client.post("/admin/exports/unit-stats/job", data={"fmt": "xlsx"})
            job_id = db.session.scalar(select(Job.id))
            before = client.get(f"/admin/jobs/{job_id}/status").get_json()["status"]
    finally:
        GATE.set()  # never leave the job's thread waiting, whatever happened above
    with app.app_context():
        app.extensions["hoithi_job_threads"][job_id].join(timeout=30)
        after = client.get(f"/admin/jobs/{job_id}/status").get_json()["status"]
    assert response.status_code == 302 and before in ("queued", "running") and after == "done"


GATE = threading.Event()


def waits_for_the_gate(job, progress):
    if not GATE.wait(timeout=30):
        raise RuntimeError("the test never opened the gate")
    return Outcome()


def test_a_downloaded_file_that_was_swept_sends_the_owner_back_with_a_message(client, ward, organiser):
    start(client, round=ward["round"].id)
    job = only_job()
    Path(job.result_path).unlink()
    response = client.get(f"/admin/jobs/{job.id}/download")
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/jobs/{job.id}"


def test_the_sweep_fails_jobs_left_running_by_a_dead_process(app, organiser):
    job = Job(kind="export", title="x", status="running", progress=40, params={}, owner_id=organiser.id,
              created_at=clock.now() - timedelta(hours=3))
    db.session.add(job)
    db.session.commit()
    assert sweep_jobs(timedelta(hours=2), timedelta(hours=48)) == (1, 0)
    assert only_job().status == "failed" and only_job().error == service.STALE_ERROR


def test_the_sweep_deletes_files_older_than_the_keeping_time(client, ward, organiser, frozen_clock):
    start(client, round=ward["round"].id)
    path = Path(only_job().result_path)
    frozen_clock(clock.now() + timedelta(hours=49))
    assert sweep_jobs(timedelta(hours=2), timedelta(hours=48)) == (0, 1)
    assert not path.exists() and only_job().result_path is None


@pytest.mark.parametrize("config, mode", [({}, "thread"), ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "rq"),
                                          ({"JOBS_RUN": "inline", "REDIS_URL": "redis://x"}, "inline")])
def test_jobs_run_on_rq_with_redis_and_in_a_thread_without(config, mode):
    assert service.run_mode(config) == mode


def test_the_recompute_command_stores_the_standings_as_a_job(runner, ward):
    from contest.ranking.models import RoundResult

    result = runner.invoke(args=["jobs", "recompute", str(ward["round"].id)])
    assert result.exit_code == 0 and "Đã tính lại xếp hạng" in result.output
    assert only_job().status == "done" and db.session.scalar(select(RoundResult.round_id).limit(1)) == ward["round"].id


def test_the_page_of_a_job_whose_file_was_swept_says_to_export_again(client, ward, organiser, frozen_clock):
    start(client, round=ward["round"].id)
    frozen_clock(clock.now() + timedelta(hours=49))
    sweep_jobs(timedelta(hours=2), timedelta(hours=48))
    body = client.get(f"/admin/jobs/{only_job().id}").get_data(as_text=True)
    assert "Tệp đã bị xoá sau thời gian lưu giữ" in body
