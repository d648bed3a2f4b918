"""``flask demo ...`` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from contest import ROOT
from contest.contests.models import Round
from contest.demo.service import ORGANISER_LOGIN, load_demo
from contest.demo.simulation import SimulationError, simulate_round
from contest.extensions import db

cli = AppGroup("demo", help="Dữ liệu mẫu để dùng thử.")


@cli.command("load")
@click.option("--questions", "questions_dir", type=click.Path(file_okay=False, path_type=Path),
              default=ROOT / "questions", show_default=True, help="Thư mục chứa tệp ngân hàng câu hỏi.")
def load_command(questions_dir: Path) -> None:
    """Nạp một thành phố mẫu (ba phường và các đơn vị), ngân hàng câu hỏi mặc định, cuộc thi của thành phố và của
    từng phường, khảo sát cán bộ, và một tài khoản cho mỗi vai trò (chạy lại không sao)."""
    credentials = Path(current_app.instance_path) / "organiser-login.txt"
    logins = Path(current_app.instance_path) / "demo-logins.txt"
    report = load_demo(questions_dir, credentials, logins)
    for line in report.lines:
        click.echo(line)
    if credentials.exists():
        login, password = credentials.read_text(encoding="utf-8").split()[:2]
        click.echo("")
        click.echo("Đăng nhập Ban tổ chức thành phố (xem và quản lý mọi phường):")
        click.echo(f"  Tên đăng nhập: {login}")
        click.echo(f"  Mật khẩu:      {password}   (lưu tại {credentials}; nếu đã đổi, dùng mật khẩu mới)")
    else:
        click.echo(f"Tài khoản Ban tổ chức “{ORGANISER_LOGIN}” đã có từ trước.")
    if logins.exists():
        click.echo("")
        click.echo(f"Tài khoản mẫu theo vai trò (tên đăng nhập / mật khẩu; lưu tại {logins}):")
        for line in logins.read_text(encoding="utf-8").splitlines():
            shown, login, password = (line.split("\t") + ["", ""])[:3]
            if login:
                click.echo(f"  {shown}: {login} / {password}")


@cli.command("simulate")
@click.option("--round", "round_id", type=int, required=True, help="Mã đợt thi.")
@click.option("--participants", type=click.IntRange(1, 5_000_000), required=True, help="Số người mô phỏng.")
@click.option("--seed", type=int, default=None, help="Hạt giống ngẫu nhiên (để lặp lại đúng dữ liệu).")
def simulate_command(round_id: int, participants: int, seed: int | None) -> None:
    """Tạo người dự thi mô phỏng (đánh dấu rõ) và bài thi đã nộp cho một đợt thi, để trình diễn và đo tốc độ."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(f"Không có đợt thi mã {round_id}.")
    try:
        report = simulate_round(round_, participants, seed)
    except SimulationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã tạo {report.participants} người dự thi mô phỏng với {report.attempts} bài thi "
               f"({report.full_scores} người đạt điểm tuyệt đối) cho {round_.title}.")
