"""``flask users ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from contest.accounts.management import ManagementError, create_ward_organiser
from contest.accounts.service import AccountError, create_organiser

cli = AppGroup("users", help="Tài khoản người dùng (lệnh của người quản trị máy chủ: toàn bộ hệ thống).")


@cli.command("create-organiser")
@click.option("--login", prompt="Tên đăng nhập", help="Tên đăng nhập của thành viên Ban tổ chức.")
@click.option("--name", "full_name", prompt="Họ và tên", help="Họ và tên.")
@click.password_option("--password", prompt="Mật khẩu", help="Mật khẩu (ít nhất 8 ký tự).")
@click.option("--unit", "unit_code", default=None,
              help="Mã phường (xã) mà tài khoản phụ trách: Ban tổ chức phường chỉ thấy và sửa cuộc thi, ngân hàng, "
                   "danh sách, người và dữ liệu xuất của phường đó. Bỏ trống: Ban tổ chức thành phố (thấy tất cả).")
def create_organiser_command(login: str, full_name: str, password: str, unit_code: str | None) -> None:
    """Tạo tài khoản Ban tổ chức (của thành phố, hoặc của một phường với --unit)."""
    try:
        if unit_code:
            user = create_ward_organiser(login, full_name, password, unit_code)
        else:
            user = create_organiser(login, full_name, password)
    except (AccountError, ManagementError) as exc:
        raise click.ClickException(str(exc)) from exc
    where = f" của {user.managed_unit.name}" if user.managed_unit_id else " của thành phố (toàn hệ thống)"
    click.echo(f"Đã tạo tài khoản Ban tổ chức “{user.login}”{where}.")
