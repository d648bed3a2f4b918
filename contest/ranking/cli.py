"""``flask rounds ...`` commands: closing rounds (the prediction's actual value is frozen, final standings
stored)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from contest.contests.models import Round
from contest.extensions import db
from contest.ranking.refresh import RankingError, close_due_rounds, close_round

cli = AppGroup("rounds", help="Đợt thi: chốt kết quả.")


@cli.command("close")
@click.argument("round_id", type=int)
def close_command(round_id: int) -> None:
    """Chốt kết quả một đợt thi đã kết thúc: nộp các bài còn dở, tính giá trị đúng của câu dự đoán, xếp hạng."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(f"Không có đợt thi mã {round_id}.")
    try:
        closed = close_round(round_)
    except RankingError as exc:
        raise click.ClickException(str(exc)) from exc
    actual = "" if round_.prediction_kind == "none" else f"; giá trị đúng của câu dự đoán: {round_.prediction_actual}"
    click.echo(f"{'Đã chốt' if closed else 'Đã chốt từ trước'}: {round_.title} ({round_.contest.title}){actual}.")


@cli.command("close-due")
def close_due_command() -> None:
    """Chốt mọi đợt thi đã hết hạn mà chưa chốt (chạy định kỳ cùng lệnh nộp bài quá hạn)."""
    closed = close_due_rounds()
    click.echo(f"Đã chốt {len(closed)} đợt thi.")
