"""Console pages for background jobs: start an export as a job, watch its progress, download its file.

A job is seen only by the person who started it (a unit manager's export holds only their units); anyone
else, organisers included, gets 404 for it. The request that starts a job writes its row and returns at once.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from contest.admin import bp
from contest.admin.access import staff_page
from contest.admin.exports import requested_kind, requested_params
from contest.exports.service import ExportError
from contest.jobs.kinds import export_params
from contest.jobs.models import Job
from contest.jobs.service import job_of, recent_jobs, result_file, submit_job
from contest.reports.periods import PeriodError


@bp.route("/exports/<kind>/job", methods=["POST"])
@staff_page
def export_job(kind: str):
    """Start an export as a background job and go to its progress page."""
    chosen, fmt = requested_kind(kind, request.form)
    if current_user.role != "organiser" and not chosen.staff:
        abort(403)
    try:
        params = requested_params(chosen, request.form)
        round_, period = params.round, params.period
        missing = [name for name, value in (("round", round_), ("period", period))
                   if name in chosen.needs and value is None]
        if missing:
            raise ExportError(f"Loại dữ liệu “{chosen.title}” cần chọn: "
                              f"{'đợt thi' if missing[0] == 'round' else 'kỳ báo cáo'}.")
    except (ExportError, PeriodError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.exports"))
    params = export_params(chosen.code, fmt, round_.id if round_ else None, period.start if period else None,
                           period.end if period else None, params.filters)
    scope = f" – {round_.title}" if round_ else (f" {period.text}" if period else "")
    job = submit_job("export", params, current_user, f"{chosen.title}{scope} ({fmt.upper()})")
    # "tai-ve": the page downloads the file by itself once, as soon as it is ready (as a direct download did).
    return redirect(url_for("admin.job", job_id=job.id, **{"tai-ve": 1}))


# Jobs whose file is not offered for download: a roster import's holds one-time codes (shown once on the slips
# page); a bank check's is its report (shown by the upload's preview page).
NOT_DOWNLOADED = ("roster_import", "bank_check")


def _own_job(job_id: int) -> Job:
    job = job_of(job_id, current_user)
    if job is None:
        abort(404)
    return job


def status_of(job: Job) -> dict:
    """What the progress page and its script show."""
    ready = result_file(job) is not None and job.kind not in NOT_DOWNLOADED
    return {"id": job.id, "status": job.status, "status_text": job.status_text, "progress": job.progress,
            "finished": job.finished, "error": job.error,
            "download_url": url_for("admin.job_download", job_id=job.id) if ready else None,
            # A job that made a file (it has a file name) whose file is gone: swept after the keeping time.
            "expired": job.status == "done" and bool(job.filename) and not ready,
            # A job that changed something rather than made a file (a bank import): what it did, where to see it.
            **_what_it_did(job)}


def _what_it_did(job: Job) -> dict:
    done = job.status == "done"
    nothing = {"summary": None, "link": None, "link_text": None, "slips_url": None}
    if not done or job.kind not in ("bank_check", "bank_import", "roster_import", "units_import"):
        return nothing
    what = {**nothing, "summary": job.params.get("summary")}
    if job.kind == "bank_check":
        what.update(link=url_for("admin.bank_preview", token=job.params["token"], sha256=job.params["sha256"]),
                    link_text="Xem báo cáo và xem trước")
    elif job.kind == "bank_import" and job.params.get("bank"):
        what.update(link=url_for("admin.bank_questions", name=job.params["bank"]), link_text="Xem ngân hàng câu hỏi")
    elif job.kind == "units_import":
        what.update(link=url_for("admin.units"), link_text="Xem danh sách đơn vị")
    elif job.kind == "roster_import" and result_file(job) is not None:
        what.update(slips_url=url_for("admin.roster_job_slips", job_id=job.id))
    return what


@bp.route("/jobs/<int:job_id>")
@staff_page
def job(job_id: int):
    """A job's progress; its file when done (the page script polls the status, without it: reload)."""
    job = _own_job(job_id)
    return render_template("jobs/job.html", job=job, status=status_of(job), jobs=recent_jobs(current_user),
                           autodownload=request.args.get("tai-ve") == "1")


@bp.route("/jobs/<int:job_id>/status")
@staff_page
def job_status(job_id: int):
    """A job's status as JSON, for the progress bar."""
    response = jsonify(status_of(_own_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jobs/<int:job_id>/download")
@staff_page
def job_download(job_id: int):
    """The job's file (only for the person who started it)."""
    job = _own_job(job_id)
    path = result_file(job) if job.kind not in NOT_DOWNLOADED else None
    if path is None:
        flash("Tệp chưa sẵn sàng hoặc đã bị xoá sau thời gian lưu giữ; vui lòng xuất lại.", "error")
        return redirect(url_for("admin.job", job_id=job.id))
    response = send_file(path, mimetype=job.mimetype or "application/octet-stream", as_attachment=True,
                         download_name=job.filename or path.name)
    response.headers["Cache-Control"] = "no-store"
    return response
