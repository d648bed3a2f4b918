"""Command-line errors an organiser can act on: a database that is not created or not upgraded, or that cannot
be reached, is one Vietnamese line saying what to run, not a traceback."""

from __future__ import annotations

import functools

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

NOT_MIGRATED = ("Cơ sở dữ liệu chưa được tạo hoặc chưa nâng cấp lên phiên bản mới nhất. Chạy `flask db upgrade` "
                "(hoặc `make run`, lệnh tự làm việc này) rồi thử lại.")
UNREACHABLE = ("Không kết nối được cơ sở dữ liệu. Kiểm tra DATABASE_URL và máy chủ cơ sở dữ liệu rồi thử lại.")


def database_problem(error: Exception) -> str | None:
    """The Vietnamese explanation for a database error an organiser can fix, or None for any other error."""
    text = str(getattr(error, "orig", error)).lower()
    if isinstance(error, (OperationalError, ProgrammingError)) and (
            "no such table" in text or "no such column" in text or ("relation" in text and "does not exist" in text)
            or ("column" in text and "does not exist" in text)):
        return NOT_MIGRATED
    if isinstance(error, OperationalError) and any(sign in text for sign in (
            "unable to open database", "connection refused", "could not connect", "could not translate host",
            "no such file or directory", "server closed the connection")):
        return UNREACHABLE
    return None


def _friendly(callback):
    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            message = database_problem(error)
            if message is None:
                raise
            raise click.ClickException(message) from error

    return run


def explain_database_errors(command: click.Command) -> click.Command:
    """Wrap every subcommand of ``command`` (recursively) so that the errors above read as one line."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            explain_database_errors(sub)
    elif command.callback is not None and not getattr(command.callback, "_explains_database_errors", False):
        command.callback = _friendly(command.callback)
        command.callback._explains_database_errors = True
    return command
