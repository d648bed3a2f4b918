"""A roster with many new officials (each new one-time code is hashed, ~6 ms: 1,000 people held a request for
~6 s) is imported by a background job (``roster_import``); its slips are then shown once, to the organiser who
started it. Small rosters keep the immediate import (tests/accounts/test_roster_import.py)."""

import base64
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from contest.accounts.models import User
from contest.audit.models import AuditEntry
from contest.extensions import db
from contest.jobs import service
from contest.jobs.models import Job
from contest.jobs.service import perform

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def units(make_unit):
    return [make_unit("VP", "Văn phòng HĐND và UBND", kind="office"),
            make_unit("VHXH", "Phòng Văn hóa – Xã hội", kind="office")]


@pytest.fixture
def small_threshold(app):
    """Rosters of more than one new person count as large (the real threshold is 200)."""
    app.config["ROSTER_IMPORT_JOB_PEOPLE"] = 1


def officials() -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(select(User).where(User.role == "official")))


def jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).order_by(Job.id)))


def preview_and_confirm(client, name: str = "roster-good.csv"):
    page = client.post("/admin/roster/preview", data={"file": (io.BytesIO((DATA / name).read_bytes()), name)},
                       content_type="multipart/form-data").get_data(as_text=True)
    fields = dict(re.findall(r'name="(payload|filename|people)" type="hidden" value="([^"]*)"', page))
    return client.post("/admin/roster/import", data=fields)


def test_a_roster_over_the_threshold_is_imported_by_a_job(units, organiser, client, small_threshold):
    response = preview_and_confirm(client)
    [job] = jobs()
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/jobs/{job.id}"
    assert (job.kind, job.status, len(officials())) == ("roster_import", "done", 3)


def test_a_roster_at_the_threshold_is_still_imported_in_the_request(units, organiser, client, app):
    app.config["ROSTER_IMPORT_JOB_PEOPLE"] = 3
    response = preview_and_confirm(client)
    assert response.status_code == 200 and 'class="slip-code"' in response.get_data(as_text=True)
    assert jobs() == [] and len(officials()) == 3


def test_the_roster_job_page_shows_the_summary_and_a_button_to_the_slips(units, organiser, client,
                                                                         small_threshold):
    job_url = preview_and_confirm(client).headers["Location"]
    html = client.get(job_url).get_data(as_text=True)
    assert "Đã nhập “roster-good.csv”: 3 người mới, 0 cập nhật, 0 không đổi." in html
    assert f'action="/admin/roster/jobs/{jobs()[0].id}/slips"' in html and "Xem và in phiếu" in html


def test_the_roster_jobs_slips_show_working_codes_once(units, organiser, client, small_threshold):
    job_url = preview_and_confirm(client).headers["Location"]
    slips = client.post(f"/admin/roster/jobs/{jobs()[0].id}/slips")
    codes = re.findall(r'class="slip-code">([a-z2-9]{10})<', slips.get_data(as_text=True))
    again = client.post(f"/admin/roster/jobs/{jobs()[0].id}/slips", follow_redirects=True)
    by_login = {u.login: u for u in officials()}
    logins = re.findall(r'class="slip-login">([^<]+)<', slips.get_data(as_text=True))
    assert slips.status_code == 200 and slips.headers["Cache-Control"] == "no-store" and len(codes) == 3
    assert all(by_login[login].check_password(code) for login, code in zip(logins, codes, strict=True))
    assert "chỉ hiện một lần" in again.get_data(as_text=True) and 'class="slip-code"' not in again.get_data(
        as_text=True)
    assert job_url.startswith("/admin/jobs/")


def test_the_roster_jobs_codes_are_never_offered_as_a_download(units, organiser, client, small_threshold):
    job_url = preview_and_confirm(client).headers["Location"]
    status = client.get(job_url + "/status").get_json()
    download = client.get(job_url + "/download")
    assert status["download_url"] is None and download.status_code == 302


def test_another_organiser_cannot_see_the_roster_jobs_slips(units, organiser, client, make_user, login,
                                                           small_threshold):
    job_url = preview_and_confirm(client).headers["Location"]
    make_user(role="organiser", login="btc2")
    client.post("/logout")
    login("btc2")
    job_id = jobs()[0].id
    codes = [client.get(job_url).status_code, client.post(f"/admin/roster/jobs/{job_id}/slips").status_code]
    assert codes == [404, 404]


def test_a_broken_roster_fails_its_job_with_row_numbered_problems_and_imports_nothing(units, organiser, client,
                                                                                     small_threshold):
    data = base64.b64encode((DATA / "roster-broken.csv").read_bytes()).decode("ascii")
    # A stale or crafted confirm: the preview refused this file, but the confirm is posted anyway.
    response = client.post("/admin/roster/import", data={"payload": data, "filename": "roster-broken.csv",
                                                         "people": "4"})
    [job] = jobs()
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert job.status == "failed" and "không có ai được nhập" in job.error
    assert re.search(r"Dòng \d+: ", html) and officials() == []
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.import")) is None


def test_the_roster_job_is_audited_under_the_organiser_who_started_it(units, organiser, client, small_threshold,
                                                                      monkeypatch):
    monkeypatch.setattr(service, "dispatch", lambda job_id, mode=None: None)  # the job waits in the queue
    preview_and_confirm(client)
    perform(jobs()[0].id)  # outside any request, as a worker runs it
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.import"))
    assert jobs()[0].status == "done" and (entry.actor_login, entry.actor_id) == ("btc", organiser.id)


def test_the_roster_job_checks_the_organisers_rights_again_when_it_runs(units, organiser, client, small_threshold,
                                                                        monkeypatch):
    monkeypatch.setattr(service, "dispatch", lambda job_id, mode=None: None)
    preview_and_confirm(client)
    organiser.role = "official"
    db.session.commit()
    perform(jobs()[0].id)
    job = jobs()[0]
    assert job.status == "failed" and "không còn quyền" in job.error and len(officials()) == 1  # only btc


def test_the_roster_job_leaves_no_file_behind_but_the_codes(units, organiser, client, small_threshold, app,
                                                            tmp_path):
    app.config["JOBS_FOLDER"] = str(tmp_path)
    preview_and_confirm(client)
    left = [p.name for p in tmp_path.iterdir()]
    client.post(f"/admin/roster/jobs/{jobs()[0].id}/slips")
    assert len(left) == 1 and left[0].endswith(".codes.json") and list(tmp_path.iterdir()) == []
