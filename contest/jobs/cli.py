"""``flask jobs ...``: run the RQ worker with the app's settings, sweep stale jobs and old files."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from contest.extensions import db
from contest.jobs.models import Job
from contest.jobs.service import QUEUE, rq_queue, run_mode, submit_job, sweep_jobs

cli = AppGroup("jobs", help="Công việc chạy nền (xuất dữ liệu lớn, tính lại xếp hạng).")


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Chạy hết các công việc đang chờ rồi dừng.")
def worker_command(burst: bool) -> None:
    """Chạy các công việc nền từ hàng đợi Redis (cần REDIS_URL); dừng bằng Ctrl+C hoặc systemctl stop."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("Chưa đặt REDIS_URL: không có Redis thì công việc nền chạy ngay trong máy chủ "
                                   "ứng dụng, không cần tiến trình này.")
    from rq import SimpleWorker

    # SimpleWorker runs each job in this process, inside this app context (no fork: the database pool is
    # never shared with a child); systemd restarts the worker if a job ever brings it down.
    queue = rq_queue(current_app)
    worker = SimpleWorker([queue], connection=queue.connection, name=None)
    click.echo(f"Đang chờ công việc trong hàng đợi “{QUEUE}”.")
    worker.work(burst=burst, with_scheduler=False)


@cli.command("sweep")
@click.option("--stale-minutes", default=120, show_default=True,
              help="Công việc chưa xong sau ngần này phút được coi là đã dừng.")
@click.option("--keep-hours", default=48, show_default=True, help="Giữ tệp kết quả trong ngần này giờ.")
def sweep_command(stale_minutes: int, keep_hours: int) -> None:
    """Đánh dấu công việc bị gián đoạn và xoá tệp kết quả cũ (chạy định kỳ cùng các lệnh mỗi phút)."""
    failed, deleted = sweep_jobs(timedelta(minutes=stale_minutes), timedelta(hours=keep_hours))
    click.echo(f"Đã đánh dấu {failed} công việc bị gián đoạn, xoá {deleted} tệp kết quả cũ.")


@cli.command("recompute")
@click.argument("round_id", type=int)
def recompute_command(round_id: int) -> None:
    """Tính lại toàn bộ xếp hạng một đợt thi: giao cho tiến trình nền nếu có Redis, không thì chạy ngay."""
    mode = "rq" if run_mode(current_app.config) == "rq" else "inline"
    job = submit_job("recompute", {"round": round_id}, None, f"Tính lại xếp hạng đợt thi mã {round_id}", mode)
    if mode == "rq":
        click.echo(f"Đã giao công việc số {job.id} cho tiến trình nền (flask jobs worker).")
        return
    job = db.session.get(Job, job.id)
    db.session.refresh(job)
    if job.status != "done":
        raise click.ClickException(job.error or "Không tính lại được xếp hạng.")
    click.echo(f"Đã tính lại xếp hạng (công việc số {job.id}).")
