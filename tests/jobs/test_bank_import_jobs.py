"""A large bank file's console import runs as a background job (``bank_import``): the confirm returns at once
with the job's page, the job imports all or nothing, re-checks the organiser's rights, and shows the summary
or the file's row-numbered errors. Small files keep the immediate import (tests/banks/test_bank_upload_page.py)."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest import clock
from contest.audit.models import AuditEntry
from contest.banks import importing
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question
from contest.extensions import db
from contest.jobs import service
from contest.jobs.models import Job
from contest.jobs.service import perform, sweep_jobs
from tests.wards import test_shared_banks

city = test_shared_banks.city  # the fixture (a city with two wards), for pytest to find here
DATA = Path(__file__).resolve().parents[1] / "data"


def yaml_bank(count: int, name: str = "ngan-hang-lon") -> bytes:
    lines = [f"bank: {name}", "title: Ngân hàng lớn", "questions:"]
    for n in range(count):
        lines += [f"  - id: L-{n:05d}", "    topic: Cải cách thể chế", "    kind: single",
                  f"    text: Câu hỏi số {n} về cải cách thể chế tại phường?",
                  f"    options: [Phương án một {n}, Phương án hai {n}, Phương án ba {n}]", "    answer: B"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def upload(client, name: str, data: bytes | None = None, **fields) -> str:
    payload = {"file": (io.BytesIO(data if data is not None else (DATA / name).read_bytes()), name), **fields}
    response = client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data")
    assert response.status_code == 302
    return response.headers["Location"]


def preview_and_confirm(client, name: str, data: bytes | None = None, **fields):
    preview_url = upload(client, name, data, **fields)
    client.get(preview_url)  # the organiser sees the preview before the confirm button
    return client.post(preview_url + "/import")


def questions(bank: str | None = None) -> int:
    query = select(func.count(Question.id))
    if bank is not None:
        query = query.join(Bank, Bank.id == Question.bank_id).where(Bank.name == bank)
    return db.session.scalar(query)


def jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).order_by(Job.id)))


@pytest.fixture
def small_threshold(app):
    """Files of more than one question count as large (the real threshold is 2,000; one test uses it)."""
    app.config["BANK_IMPORT_JOB_QUESTIONS"] = 1


def test_a_file_over_the_default_threshold_is_imported_by_a_job(client, organiser):
    response = preview_and_confirm(client, "lon.yaml", yaml_bank(2_001))
    [check, job] = jobs()  # a file this large is checked by a job too (tests/jobs/test_bank_check_jobs.py)
    assert response.headers["Location"] == f"/admin/jobs/{job.id}"
    assert (check.kind, job.kind, job.status, questions("ngan-hang-lon")) == ("bank_check", "bank_import", "done",
                                                                             2_001)


def test_a_file_at_the_threshold_is_still_imported_in_the_request(client, organiser, app):
    app.config["BANK_IMPORT_JOB_QUESTIONS"] = 4
    response = preview_and_confirm(client, "bank-good.xlsx")
    assert response.headers["Location"].endswith("/admin/banks") and jobs() == [] and questions() == 4


def test_the_import_job_page_shows_the_summary_and_links_to_the_bank(client, organiser, small_threshold):
    job_url = preview_and_confirm(client, "bank-good.xlsx", bank_name="so tay").headers["Location"]
    html = client.get(job_url).get_data(as_text=True)
    assert job_url.startswith("/admin/jobs/") and questions("so-tay") == 4
    assert "Đã nhập. Ngân hàng “so-tay”: 4 câu mới, 0 câu cập nhật, 0 câu giữ nguyên, 0 câu ngừng sử dụng." in html
    assert 'href="/admin/banks/so-tay/questions"' in html


def test_the_import_job_status_carries_the_summary_and_the_link(client, organiser, small_threshold):
    job_url = preview_and_confirm(client, "bank-good.xlsx", bank_name="so-tay").headers["Location"]
    status = client.get(job_url + "/status").get_json()
    assert (status["status"], status["link"]) == ("done", "/admin/banks/so-tay/questions")
    assert status["summary"].startswith("Đã nhập. Ngân hàng “so-tay”: 4 câu mới")


def queued(client, monkeypatch, name: str, **fields) -> Job:
    """Preview and confirm a file whose job then waits in the queue (a worker picks it up later)."""
    monkeypatch.setattr(service, "dispatch", lambda job_id, mode=None: None)
    preview_and_confirm(client, name, **fields)
    [job] = jobs()
    return job


def test_the_import_job_is_audited_under_the_organiser_who_started_it(client, organiser, small_threshold,
                                                                      monkeypatch):
    job = queued(client, monkeypatch, "bank-good.xlsx", bank_name="so-tay")
    perform(job.id)  # outside any request, as a worker runs it
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "bank.import"))
    assert entry.actor_login == "btc" and entry.actor_id == organiser.id


def test_a_broken_large_file_fails_its_job_with_row_numbered_errors_and_imports_nothing(client, organiser,
                                                                                       small_threshold):
    job_url = preview_and_confirm(client, "bank-broken.xlsx", bank_name="thu").headers["Location"]
    [job] = jobs()
    html = client.get(job_url).get_data(as_text=True)
    assert job.status == "failed" and "không có câu hỏi nào được nhập" in job.error
    assert '<li class="error">Dòng 3: Đáp án E không có phương án tương ứng.</li>' in html and "Dòng 7:" in html
    assert questions() == 0 and db.session.scalar(select(Bank.id)) is None


def test_a_failed_import_job_leaves_no_audit_entry(client, organiser, small_threshold):
    preview_and_confirm(client, "bank-broken.xlsx", bank_name="thu")
    assert [job.status for job in jobs()] == ["failed"]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "bank.import")) is None


def test_the_confirmed_file_goes_to_the_jobs_folder_and_is_deleted_when_the_job_ends(client, organiser, app,
                                                                                    small_threshold, tmp_path,
                                                                                    monkeypatch):
    app.config["JOBS_FOLDER"] = str(tmp_path / "jobs")
    seen = []
    preview_url = upload(client, "bank-good.xlsx")
    client.get(preview_url)
    monkeypatch.setattr(service, "dispatch",
                        lambda job_id, mode=None: seen.append(sorted(p.name for p in (tmp_path / "jobs").iterdir())))
    client.post(preview_url + "/import")
    [job] = jobs()
    perform(job.id)
    assert seen[0] == [job.params["file"]] and list((tmp_path / "jobs").iterdir()) == []
    assert jobs()[0].status == "done" and questions() == 4


def test_confirming_a_large_file_twice_starts_one_job(client, organiser, small_threshold):
    preview_url = upload(client, "bank-good.xlsx")
    client.get(preview_url)
    client.post(preview_url + "/import")
    again = client.post(preview_url + "/import", follow_redirects=True)
    assert "Không còn tệp đã tải lên" in again.get_data(as_text=True) and len(jobs()) == 1 and questions() == 4


def test_the_job_checks_the_organisers_rights_again_when_it_runs(client, organiser, small_threshold, monkeypatch):
    job = queued(client, monkeypatch, "bank-good.xlsx")
    organiser.role = "official"  # no longer an organiser when the worker picks the job up
    db.session.commit()
    perform(job.id)
    job = jobs()[0]
    assert job.status == "failed" and "không còn quyền" in job.error and questions() == 0


@pytest.fixture
def ward_b_bank(city):
    assert import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml", "cchc-dai-mo",
                       owner_unit_id=city["b"].id).ok
    return db.session.scalar(select(Bank).where(Bank.name == "cchc-dai-mo"))


def test_a_ward_organiser_cannot_start_an_import_job_on_another_wards_bank(client, city, ward_b_bank, make_user,
                                                                          login, small_threshold):
    make_user(role="organiser", login="btc-taymo", managed_unit=city["a"])
    login("btc-taymo")
    response = preview_and_confirm(client, "bank-good.xlsx", bank_name="cchc-dai-mo")
    assert response.status_code == 404 and jobs() == [] and questions("cchc-dai-mo") == 4


def test_a_ward_organiser_cannot_see_another_wards_import_job(client, city, make_user, login, small_threshold):
    make_user(role="organiser", login="btc-daimo", managed_unit=city["b"])
    make_user(role="organiser", login="btc-taymo", managed_unit=city["a"])
    login("btc-daimo")
    job_url = preview_and_confirm(client, "bank-good.xlsx", bank_name="cchc-dai-mo").headers["Location"]
    mine = client.get(job_url).status_code
    client.post("/logout")
    login("btc-taymo")
    assert (mine, client.get(job_url).status_code, client.get(job_url + "/status").status_code) == (200, 404, 404)


def test_the_job_refuses_a_bank_that_became_another_wards_after_the_confirm(client, city, make_user, login,
                                                                            small_threshold, monkeypatch):
    make_user(role="organiser", login="btc-taymo", managed_unit=city["a"])
    login("btc-taymo")
    job = queued(client, monkeypatch, "bank-good.xlsx", bank_name="cchc-dai-mo")
    # Meanwhile ward B's organiser imports a bank of that name.
    assert import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml", "cchc-dai-mo",
                       owner_unit_id=city["b"].id).ok
    perform(job.id)
    job = jobs()[0]
    assert job.status == "failed" and "thuộc đơn vị khác" in job.error and questions("cchc-dai-mo") == 4


def test_the_job_runs_in_a_thread_of_the_app_without_redis(make_app, make_user):
    app = make_app(JOBS_RUN="auto", BANK_IMPORT_JOB_QUESTIONS=1)
    assert app.config.get("REDIS_URL") is None
    with app.app_context():
        make_user(role="organiser", login="btc")
        client = app.test_client()
        client.post("/login", data={"login": "btc", "password": "mat-khau-an-toan"})
        job_url = preview_and_confirm(client, "bank-good.xlsx", bank_name="so-tay").headers["Location"]
        job_id = int(job_url.rsplit("/", 1)[1])
        app.extensions["hoithi_job_threads"][job_id].join(timeout=60)
        db.session.expire_all()
        assert db.session.get(Job, job_id).status == "done" and questions("so-tay") == 4


def test_the_import_job_reports_the_check_then_the_rows_written(client, organiser, monkeypatch, small_threshold):
    reported = []

    class Recorded(service.Progress):
        def __call__(self, value, force=False):
            reported.append(int(value))
            super().__call__(value, force=force)

    monkeypatch.setattr(service, "Progress", Recorded)
    monkeypatch.setattr(importing, "_WRITE_CHUNK", 3)  # the file's 4 questions in two statements
    preview_and_confirm(client, "bank-good.xlsx")
    checked = int(3 + 94 * 0.4)
    # SQLite has one writer: there the bar stops at the end of the check until the import commits.
    writes = [] if db.engine.dialect.name == "sqlite" else [int(3 + 94 * (0.4 + 0.6 * n / 4)) for n in (3, 4)]
    assert reported == [3, checked, *writes] and jobs()[0].progress == 100


def test_the_sweep_deletes_an_upload_left_by_an_import_job_that_never_ran(app, tmp_path):
    app.config["JOBS_FOLDER"] = str(tmp_path)
    old, fresh = tmp_path / f"bank-import-{'a' * 32}-{'0' * 64}.bin", tmp_path / f"units-import-{'b' * 32}.bin"
    for path, moment in ((old, clock.now() - timedelta(hours=49)), (fresh, clock.now() - timedelta(hours=47))):
        path.write_bytes(b"x")
        os.utime(path, (moment.timestamp(), moment.timestamp()))
    assert sweep_jobs(timedelta(hours=2), timedelta(hours=48)) == (0, 1)
    assert [p.name for p in tmp_path.iterdir()] == [fresh.name]
