"""``flask bank ...`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from contest.banks.service import check_bank_file, import_bank

cli = AppGroup("bank", help="Ngân hàng câu hỏi: kiểm tra và nhập tệp câu hỏi.")


@cli.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In đúng một đối tượng JSON.")
def check_command(path: Path, as_json: bool) -> None:
    """Kiểm tra tệp câu hỏi mà không nhập (mã thoát 0 nếu nhập được, 1 nếu có lỗi)."""
    parsed = check_bank_file(path.read_bytes(), path.name)
    if as_json:
        click.echo(json.dumps(parsed.as_dict(), ensure_ascii=False))
    else:
        _echo_problems(parsed.errors, parsed.warnings)
        if parsed.ok:
            click.echo(f"{path.name}: {len(parsed.questions)} câu hỏi, nhập được.")
    raise SystemExit(0 if parsed.ok else 1)


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bank", "bank_name", help="Tên ngân hàng (mặc định: khóa “bank” trong tệp hoặc tên tệp).")
def import_command(path: Path, bank_name: str | None) -> None:
    """Nhập tệp câu hỏi (tất cả hoặc không gì cả)."""
    report = import_bank(path.read_bytes(), path.name, bank_name)
    warnings = report.parsed.warnings if report.parsed else []
    if not report.ok:
        click.echo(f"Không nhập được {path.name}; không có thay đổi nào.", err=True)
        _echo_problems(report.errors, warnings)
        raise SystemExit(1)
    _echo_problems([], warnings)
    click.echo(f"Ngân hàng “{report.bank_name}”: {report.added} câu mới, {report.updated} câu cập nhật, "
               f"{report.unchanged} câu giữ nguyên, {report.retired} câu ngừng sử dụng.")


def _echo_problems(errors, warnings) -> None:
    for problem in errors:
        click.echo(f"  Lỗi – {problem}", err=True)
    for problem in warnings:
        click.echo(f"  Cảnh báo – {problem}", err=True)
