"""A large bank file's check runs as a background job (``bank_check``): the upload request only stages it and
starts the job (decided by its size, BANK_CHECK_JOB_BYTES, without parsing), the job checks it once and stores the
preview's report, and the preview page and a refused confirm are rendered from that report, never by parsing
the file in a request. Small files keep the preview checked in the request (tests/banks/test_bank_upload_page.py)."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest.banks import importing, staging
from contest.banks.importing import import_bank
from contest.banks.models import Bank, Question
from contest.extensions import db
from contest.jobs import service
from contest.jobs.models import Job
from contest.jobs.service import perform
from tests.wards import test_shared_banks

city = test_shared_banks.city  # the fixture (a city with two wards), for pytest to find here
DATA = Path(__file__).resolve().parents[1] / "data"


def upload(client, name: str, **fields) -> str:
    payload = {"file": (io.BytesIO((DATA / name).read_bytes()), name), **fields}
    response = client.post("/admin/banks/upload", data=payload, content_type="multipart/form-data")
    assert response.status_code == 302
    return response.headers["Location"]


def jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).order_by(Job.id)))


def questions(bank: str) -> int:
    return db.session.scalar(select(func.count(Question.id)).join(Bank, Bank.id == Question.bank_id)
                             .where(Bank.name == bank))


@pytest.fixture
def large(app):
    """Files of more than 1,000 bytes count as large (the real threshold is 90,000 bytes: tests/unit)."""
    app.config["BANK_CHECK_JOB_BYTES"] = 1_000


@pytest.fixture
def parses(monkeypatch):
    """Every parse of a bank file by a check or an import (in a request or a job), by file name."""
    calls = []
    real = importing.parse_bank_file

    def counted(data, filename, **kwargs):
        calls.append(filename)
        return real(data, filename, **kwargs)

    monkeypatch.setattr(importing, "parse_bank_file", counted)
    return calls


@pytest.fixture
def held(monkeypatch):
    """Jobs wait in the queue (a worker picks them up later) instead of running inside the request."""
    monkeypatch.setattr(service, "dispatch", lambda job_id, mode=None: None)


def test_the_upload_of_a_large_file_starts_a_check_job_and_parses_nothing(client, organiser, large, parses, held):
    upload(client, "bank-good.xlsx")
    assert [(job.kind, job.status) for job in jobs()] == [("bank_check", "queued")] and parses == []


def test_the_preview_of_a_large_file_being_checked_shows_the_job_and_parses_nothing(client, organiser, large,
                                                                                   parses, held):
    page = client.get(upload(client, "bank-good.xlsx"))
    [job] = jobs()
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Đang kiểm tra tệp" in text and f"/admin/jobs/{job.id}" in text
    assert parses == []


def test_the_preview_of_a_checked_large_file_is_rendered_from_the_stored_report(client, organiser, large, parses,
                                                                               held):
    preview_url = upload(client, "bank-good.xlsx")
    perform(jobs()[0].id)  # the worker
    pages = [client.get(preview_url) for _ in range(3)]
    assert [page.status_code for page in pages] == [200] * 3
    assert all("Xác nhận nhập 4 câu hỏi" in page.get_data(as_text=True) for page in pages)
    assert parses == ["bank-good.xlsx"]  # once, by the job


def test_a_small_file_is_still_checked_in_the_request(client, organiser, parses):
    page = client.get(upload(client, "bank-good.xlsx"))
    assert "Xác nhận nhập 4 câu hỏi" in page.get_data(as_text=True) and jobs() == [] and parses == ["bank-good.xlsx"]


def test_the_check_job_stores_the_row_numbered_errors_of_a_broken_large_file(client, organiser, large):
    preview_url = upload(client, "bank-broken.xlsx", bank_name="thu")
    [job] = jobs()
    token, sha256 = preview_url.rsplit("/", 2)[1:]
    report = staging.stored_check_report(staging.staged_upload(token, sha256))
    page = client.get(preview_url)
    assert job.status == "done" and report["errors"] and all(error.startswith("Dòng ") for error in report["errors"])
    assert page.status_code == 422 and report["errors"][0] in page.get_data(as_text=True)


def test_the_confirm_of_a_broken_large_file_is_refused_from_the_report_without_parsing(client, organiser, large,
                                                                                       parses):
    preview_url = upload(client, "bank-broken.xlsx", bank_name="thu")
    response = client.post(preview_url + "/import")
    assert response.status_code == 422 and "lỗi – chưa nhập được" in response.get_data(as_text=True)
    assert [job.kind for job in jobs()] == ["bank_check"] and parses == ["bank-broken.xlsx"]
    assert db.session.scalar(select(Bank).where(Bank.name == "thu")) is None


def test_the_confirm_of_a_large_file_still_being_checked_waits_for_the_check(client, organiser, large, parses, held):
    preview_url = upload(client, "bank-good.xlsx", bank_name="so-tay")
    response = client.post(preview_url + "/import")
    assert response.headers["Location"] == preview_url and [job.kind for job in jobs()] == ["bank_check"]
    assert parses == [] and questions("so-tay") == 0


def test_a_good_large_file_is_checked_previewed_then_imported_by_a_job(client, organiser, large, parses, app):
    app.config["BANK_IMPORT_JOB_QUESTIONS"] = 1
    preview_url = upload(client, "bank-good.xlsx", bank_name="so-tay")
    page = client.get(preview_url)
    response = client.post(preview_url + "/import")
    check, imported = jobs()
    assert "Xác nhận nhập 4 câu hỏi" in page.get_data(as_text=True)
    assert parses == ["bank-good.xlsx", "bank-good.xlsx"]  # by the check job, then by the import job
    assert response.headers["Location"] == f"/admin/jobs/{imported.id}"
    assert (check.kind, imported.kind, imported.status, questions("so-tay")) == ("bank_check", "bank_import",
                                                                                "done", 4)


def test_a_large_file_of_few_questions_is_imported_in_the_confirm_after_its_check(client, organiser, large):
    preview_url = upload(client, "bank-good.xlsx", bank_name="so-tay")
    client.get(preview_url)
    response = client.post(preview_url + "/import")
    assert response.headers["Location"].endswith("/admin/banks") and [j.kind for j in jobs()] == ["bank_check"]
    assert questions("so-tay") == 4


def test_the_finished_check_jobs_page_links_to_the_preview(client, organiser, large):
    preview_url = upload(client, "bank-good.xlsx")
    [job] = jobs()
    page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert f'href="{preview_url}"' in page and "Xem báo cáo và xem trước" in page
    assert client.get(f"/admin/jobs/{job.id}/download").status_code == 302  # the report is not a download


def test_the_check_job_fails_for_an_organiser_who_lost_the_role(client, organiser, large, held):
    upload(client, "bank-good.xlsx")
    organiser.role = "official"  # no longer an organiser when the worker picks the job up
    db.session.commit()
    perform(jobs()[0].id)
    job = jobs()[0]
    assert job.status == "failed" and "không còn quyền" in job.error


def test_the_preview_and_the_confirm_of_a_file_whose_check_failed_say_why(client, organiser, large, held):
    preview_url = upload(client, "bank-good.xlsx", bank_name="so-tay")
    organiser.role = "official"
    db.session.commit()
    perform(jobs()[0].id)
    organiser.role = "organiser"
    db.session.commit()
    page = client.get(preview_url).get_data(as_text=True)
    refused = client.post(preview_url + "/import", follow_redirects=True).get_data(as_text=True)
    assert "Không kiểm tra được tệp" in page and "không còn quyền" in page
    assert "Không kiểm tra được tệp" in refused and questions("so-tay") == 0


def test_the_check_job_deletes_the_file_it_was_handed(client, organiser, large, app, tmp_path):
    app.config["JOBS_FOLDER"] = str(tmp_path / "jobs")
    preview_url = upload(client, "bank-good.xlsx")
    token = preview_url.rsplit("/", 2)[1]
    assert sorted(p.name.split(token)[0] for p in (tmp_path / "jobs").iterdir()) == ["bank-check-"]
    assert [p.suffix for p in (tmp_path / "jobs").iterdir()] == [".json"]  # the report alone


def test_another_wards_organiser_gets_404_on_the_check_job_and_the_preview(client, city, make_user, login, large):
    make_user(role="organiser", login="btc-daimo", managed_unit=city["b"])
    make_user(role="organiser", login="btc-taymo", managed_unit=city["a"])
    login("btc-daimo")
    preview_url = upload(client, "bank-good.xlsx", bank_name="cchc-dai-mo")
    job_url = f"/admin/jobs/{jobs()[0].id}"
    mine = (client.get(preview_url).status_code, client.get(job_url).status_code)
    client.post("/logout")
    login("btc-taymo")
    theirs = (client.get(preview_url).status_code, client.get(job_url).status_code,
              client.post(preview_url + "/import").status_code)
    assert (mine, theirs) == ((200, 200), (404, 404, 404))


def test_another_organiser_cannot_discard_an_upload(client, city, make_user, login, large):
    make_user(role="organiser", login="btc-daimo", managed_unit=city["b"])
    make_user(role="organiser", login="btc-taymo", managed_unit=city["a"])
    login("btc-daimo")
    preview_url = upload(client, "bank-good.xlsx")
    client.post("/logout")
    login("btc-taymo")
    refused = client.post(preview_url + "/discard").status_code
    client.post("/logout")
    login("btc-daimo")
    assert (refused, client.get(preview_url).status_code) == (404, 200)


def test_the_check_job_reports_a_bank_of_another_ward_as_an_error(client, city, make_user, login, large):
    assert import_bank((DATA / "bank-small.yaml").read_bytes(), "bank-small.yaml", "cchc-dai-mo",
                       owner_unit_id=city["b"].id).ok
    make_user(role="organiser", login="btc-taymo", managed_unit=city["a"])
    login("btc-taymo")
    page = client.get(upload(client, "bank-good.xlsx", bank_name="cchc-dai-mo"))
    assert page.status_code == 422 and "đã được dùng cho ngân hàng của đơn vị khác" in page.get_data(as_text=True)


def test_the_check_runs_in_a_thread_of_the_app_without_redis(make_app, make_user):
    app = make_app(JOBS_RUN="auto", BANK_CHECK_JOB_BYTES=1_000)
    assert app.config.get("REDIS_URL") is None
    with app.app_context():
        make_user(role="organiser", login="btc")
        client = app.test_client()
        client.post("/login", data={"login": "btc", "password": "mat-khau-an-toan"})
        preview_url = upload(client, "bank-good.xlsx", bank_name="so-tay")
        [job] = jobs()
        app.extensions["hoithi_job_threads"][job.id].join(timeout=60)
        page = client.get(preview_url)
        assert jobs()[0].status == "done" and "Xác nhận nhập 4 câu hỏi" in page.get_data(as_text=True)
