"""``flask export KIND --out FILE``: every export of the console from the command line (format from the
file's ending; logged in the audit log as done by "cli")."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from contest.contests.models import Round
from contest.exports.registry import KINDS, ExportParams
from contest.exports.service import ExportError, run_export
from contest.extensions import db
from contest.reports.periods import PeriodError, make_period, parse_day


@click.command("export", help="Xuất dữ liệu ra tệp Excel (.xlsx) hoặc CSV (lệnh của người quản trị máy chủ: dữ liệu "
                              "của toàn bộ hệ thống, mọi phường). Loại: " + ", ".join(KINDS) + ".")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("--round", "round_id", type=int, help="Mã đợt thi.")
@click.option("--from", "date_from", help="Từ ngày (20/11/2026 hoặc 2026-11-20).")
@click.option("--to", "date_to", help="Đến ngày (tính cả ngày này).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp kết quả: .xlsx hoặc .csv.")
@with_appcontext
def export_command(kind: str, round_id: int | None, date_from: str | None, date_to: str | None, out: Path) -> None:
    """Write one export to a file."""
    fmt = out.suffix.lower().lstrip(".")
    try:
        params = ExportParams()
        if round_id is not None:
            params.round = db.session.get(Round, round_id)
            if params.round is None:
                raise ExportError(f"Không có đợt thi mã {round_id}.")
        if date_from or date_to:
            params.period = make_period(parse_day(date_from), parse_day(date_to))
        with out.open("wb") as handle:
            result = run_export(kind, params, None, fmt, handle)
    except (ExportError, PeriodError) as exc:
        out.unlink(missing_ok=True)
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã xuất {result.kind.title}: {result.rows} dòng vào {out}.")
