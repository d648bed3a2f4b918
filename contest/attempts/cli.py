"""``flask attempts ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from contest.attempts.expiry import finish_overdue

cli = AppGroup("attempts", help="Bài thi của người dự thi.")


@cli.command("finish-overdue")
def finish_overdue_command() -> None:
    """Nộp các bài thi đã quá hạn (chạy định kỳ, ví dụ mỗi phút bằng cron hoặc systemd timer)."""
    count = finish_overdue()
    click.echo(f"Đã nộp {count} bài thi quá hạn.")
