"""`flask backup create|restore`: backups that hold every committed answer, WAL included."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from contest.backups.service import BackupError, default_backup_path, restore_backup, take_backup


@click.group("backup", help="Sao lưu và khôi phục cơ sở dữ liệu.")
def cli() -> None:
    """Backups of the database."""


@cli.command("create", help="Sao lưu cơ sở dữ liệu (an toàn khi ứng dụng đang chạy).")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def create_command(path: Path | None) -> None:
    """Write a backup to PATH, or to instance/backups/ with the time in its name."""
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    target = path or default_backup_path(uri, Path(current_app.instance_path) / "backups")
    try:
        backup = take_backup(uri, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã sao lưu vào {backup.path} ({backup.size:,} byte).".replace(",", "."))


@cli.command("restore", help="Khôi phục từ một bản sao lưu (dừng các máy chủ ứng dụng trước).")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Không hỏi lại.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's content with the backup at PATH."""
    if not yes:
        click.confirm("Toàn bộ dữ liệu hiện có sẽ bị thay bằng bản sao lưu. Tiếp tục?", abort=True)
    from contest.extensions import db

    db.engine.dispose()  # no pooled connection may hold the old file open
    try:
        restore_backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã khôi phục từ {path}.")
