"""Which database errors an organiser is told to fix, and how (pure: no app)."""

from sqlalchemy.exc import OperationalError

from contest.errors.cli import NOT_MIGRATED, UNREACHABLE, database_problem


def test_a_missing_table_is_explained_as_not_migrated():
    error = OperationalError("SELECT 1", {}, Exception("no such table: questions"))
    assert database_problem(error) == NOT_MIGRATED


def test_a_refused_connection_is_explained_as_unreachable():
    error = OperationalError("SELECT 1", {}, Exception('connection to server at "127.0.0.1" failed: Connection '
                                                       "refused"))
    assert database_problem(error) == UNREACHABLE


def test_other_database_errors_are_not_reworded():
    assert database_problem(OperationalError("SELECT 1", {}, Exception("database is locked"))) is None
