"""A units file of many rows (20,000 rows held a request for 2.4–4 s) is imported by a background job
(``units_import``), all or nothing, in the organiser's scope as it is when the job runs. Small files keep the
immediate import (tests/admin/test_setup_pages.py)."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest.extensions import db
from contest.jobs import service
from contest.jobs.models import Job
from contest.jobs.service import perform
from contest.units.models import Unit

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def small_threshold(app):
    """Files of more than one row count as large (the real threshold is 5,000 rows)."""
    app.config["UNITS_IMPORT_JOB_ROWS"] = 1


def post_units(client, name: str = "units-good.csv"):
    return client.post("/admin/units/import", data={"file": (io.BytesIO((DATA / name).read_bytes()), name)},
                       content_type="multipart/form-data")


def units() -> int:
    return db.session.scalar(select(func.count(Unit.id)))


def jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).order_by(Job.id)))


def test_a_units_file_over_the_threshold_is_imported_by_a_job(client, organiser, small_threshold):
    response = post_units(client)
    [job] = jobs()
    assert response.headers["Location"] == f"/admin/jobs/{job.id}"
    assert (job.kind, job.status, units()) == ("units_import", "done", 4)


def test_a_units_file_at_the_threshold_is_still_imported_in_the_request(client, organiser, app):
    app.config["UNITS_IMPORT_JOB_ROWS"] = 4
    response = post_units(client)
    assert response.headers["Location"].endswith("/admin/units") and jobs() == [] and units() == 4


def test_the_units_job_page_shows_the_summary_and_links_to_the_units(client, organiser, small_threshold):
    job_url = post_units(client).headers["Location"]
    html = client.get(job_url).get_data(as_text=True)
    assert job_url.startswith("/admin/jobs/")
    assert "Đã nhập units-good.csv: 4 đơn vị mới, 0 đơn vị cập nhật." in html and 'href="/admin/units"' in html


def test_a_broken_units_file_fails_its_job_with_row_numbered_problems_and_imports_nothing(client, organiser,
                                                                                         small_threshold):
    html = client.get(post_units(client, "units-broken.csv").headers["Location"]).get_data(as_text=True)
    [job] = jobs()
    assert job.status == "failed" and "không có đơn vị nào được nhập" in job.error
    assert "Dòng 2:" in html and "Dòng 6:" in html and units() == 0


def test_the_units_job_checks_the_organisers_rights_again_when_it_runs(client, organiser, small_threshold,
                                                                       monkeypatch):
    monkeypatch.setattr(service, "dispatch", lambda job_id, mode=None: None)  # the job waits in the queue
    post_units(client)
    organiser.role = "official"
    db.session.commit()
    perform(jobs()[0].id)
    job = jobs()[0]
    assert job.status == "failed" and "không còn quyền" in job.error and units() == 0


def test_a_ward_organisers_units_job_stays_inside_the_ward(client, make_user, login, make_unit, small_threshold):
    hanoi = make_unit("HN", "Thành phố Hà Nội", kind="city", headcount=None)
    ward = make_unit("TAYMO", "Phường Tây Mỗ", kind="ward", parent=hanoi)
    make_user(role="organiser", login="btc-taymo", managed_unit=ward)
    login("btc-taymo")
    post_units(client)
    db.session.expire_all()
    placed = db.session.scalars(select(Unit).where(Unit.code.in_(("TDP-01", "UBND")))).all()
    assert jobs()[0].status == "done" and {u.parent.code for u in placed} == {"TAYMO"}


def test_a_job_whose_write_breaks_a_constraint_ends_failed_not_stuck_running(app, make_unit, organiser, monkeypatch):
    make_unit("TDP-01", "Tổ dân phố số 1")

    def clashing(job, progress):  # as when another import created the same unit a moment earlier
        db.session.add(Unit(code="TDP-01", name="Trùng mã", kind="office"))
        db.session.flush()

    monkeypatch.setattr(service, "_runner", lambda kind: clashing)
    service.submit_job("export", {}, organiser, "Nhập đơn vị", mode="inline")
    job = jobs()[0]
    assert (job.status, job.error) == ("failed", service.GENERIC_ERROR) and units() == 1


def test_a_file_with_a_very_long_name_still_starts_its_job(client, organiser, small_threshold):
    name = "danh-sach-don-vi-" + "rat-dai-" * 35 + ".csv"  # 300 characters: the title would not fit
    client.post("/admin/units/import", data={"file": (io.BytesIO((DATA / "units-good.csv").read_bytes()), name)},
                content_type="multipart/form-data")
    [job] = jobs()
    assert job.status == "done" and len(job.title) == 300 and units() == 4
