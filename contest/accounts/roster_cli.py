"""``flask roster ...`` commands: import the officials' roster and issue one-time sign-in codes."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from contest.accounts.roster_service import AccountError, import_roster, issue_codes
from contest.accounts.slips import codes_table
from contest.exports.writers import write_xlsx
from contest.extensions import db
from contest.units.models import Unit

cli = AppGroup("roster", help="Danh sách cán bộ, công chức, viên chức và mã đăng nhập một lần (lệnh của người "
                                     "quản trị máy chủ: toàn bộ hệ thống).")


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--codes", "codes_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("ma-dang-nhap-mot-lan.xlsx"), show_default=True,
              help="Tệp Excel ghi mã đăng nhập một lần của người mới (chỉ ghi được một lần, hãy giữ kín).")
def import_command(path: Path, codes_path: Path) -> None:
    """Nhập danh sách cán bộ từ tệp .xlsx hoặc .csv (tất cả hoặc không gì cả); cấp mã cho người mới."""
    report = import_roster(path.read_bytes(), path.name)
    if not report.ok:
        click.echo(f"Không nhập được {path.name}; không có thay đổi nào. Các lỗi:", err=True)
        for problem in report.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"Đã nhập {path.name}: {report.count('create')} người mới, {report.count('update')} cập nhật, "
               f"{report.count('same')} không đổi.")
    if report.codes:
        write_xlsx([codes_table(report.codes)], str(codes_path))
        click.echo(f"Mã đăng nhập một lần của {len(report.codes)} người mới: {codes_path} (giữ kín; mã chỉ hiện "
                   "một lần, cấp lại bằng lệnh `flask roster codes`).")


@cli.command("codes")
@click.option("--unit", "unit_code", help="Chỉ cấp cho người chưa kích hoạt của đơn vị có mã này.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("ma-dang-nhap-mot-lan.xlsx"), show_default=True, help="Tệp Excel ghi mã.")
def codes_command(unit_code: str | None, out_path: Path) -> None:
    """Cấp mã đăng nhập một lần mới cho người chưa đặt mật khẩu (mã cũ hết hiệu lực)."""
    unit_id = None
    if unit_code:
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == unit_code.strip().upper()))
        if unit_id is None:
            raise click.ClickException(f"Không có đơn vị mã “{unit_code}”.")
    try:
        issued = issue_codes(unit_id=unit_id)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    write_xlsx([codes_table(issued)], str(out_path))
    click.echo(f"Đã cấp mã mới cho {len(issued)} người: {out_path} (giữ kín).")
