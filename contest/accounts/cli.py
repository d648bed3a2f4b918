"""``flask users ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from contest.accounts.service import AccountError, create_organiser

cli = AppGroup("users", help="Tài khoản người dùng.")


@cli.command("create-organiser")
@click.option("--login", prompt="Tên đăng nhập", help="Tên đăng nhập của thành viên Ban tổ chức.")
@click.option("--name", "full_name", prompt="Họ và tên", help="Họ và tên.")
@click.password_option("--password", prompt="Mật khẩu", help="Mật khẩu (ít nhất 8 ký tự).")
def create_organiser_command(login: str, full_name: str, password: str) -> None:
    """Tạo tài khoản Ban tổ chức."""
    try:
        user = create_organiser(login, full_name, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã tạo tài khoản Ban tổ chức “{user.login}”.")
