"""``flask demo ...`` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from contest import ROOT
from contest.demo.service import ORGANISER_LOGIN, load_demo

cli = AppGroup("demo", help="Dữ liệu mẫu để dùng thử.")


@cli.command("load")
@click.option("--questions", "questions_dir", type=click.Path(file_okay=False, path_type=Path),
              default=ROOT / "questions", show_default=True, help="Thư mục chứa tệp ngân hàng câu hỏi.")
def load_command(questions_dir: Path) -> None:
    """Nạp đơn vị mẫu, ngân hàng câu hỏi mặc định và cuộc thi mẫu có đợt đang mở (chạy lại không sao)."""
    credentials = Path(current_app.instance_path) / "organiser-login.txt"
    report = load_demo(questions_dir, credentials)
    for line in report.lines:
        click.echo(line)
    if credentials.exists():
        login, password = credentials.read_text(encoding="utf-8").split()[:2]
        click.echo("")
        click.echo("Đăng nhập Ban tổ chức:")
        click.echo(f"  Tên đăng nhập: {login}")
        click.echo(f"  Mật khẩu:      {password}   (lưu tại {credentials}; nếu đã đổi, dùng mật khẩu mới)")
    else:
        click.echo(f"Tài khoản Ban tổ chức “{ORGANISER_LOGIN}” đã có từ trước.")
