"""``flask units ...`` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from contest.units.service import import_units

cli = AppGroup("units", help="Quản lý đơn vị (thành phố, phường, cơ quan, tổ dân phố...); lệnh của người quản trị "
                                    "máy chủ, áp dụng cho toàn bộ hệ thống.")


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Nhập danh sách đơn vị từ tệp .xlsx hoặc .csv (tất cả hoặc không gì cả)."""
    report = import_units(path.read_bytes(), path.name)
    if not report.ok:
        click.echo(f"Không nhập được {path.name}; không có thay đổi nào. Các lỗi:", err=True)
        for problem in report.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"Đã nhập {path.name}: {report.created} đơn vị mới, {report.updated} đơn vị cập nhật.")
