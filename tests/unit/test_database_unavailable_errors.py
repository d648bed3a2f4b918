"""Which database errors mean "unavailable for now" (503 and retry) rather than a fault of the request."""

import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from contest.errors.handlers import database_unavailable


def wrapped(original, kind=OperationalError, invalidated=False):
    return kind("UPDATE attempt_questions SET selected = ?", {}, original, connection_invalidated=invalidated)


@pytest.mark.parametrize("message", ["database is locked", "disk I/O error", "database or disk is full",
                                     "attempt to write a readonly database", "unable to open database file"])
def test_sqlite_trouble_is_unavailability(message):
    assert database_unavailable(wrapped(sqlite3.OperationalError(message)))


@pytest.mark.parametrize("error", [psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
                                   psycopg.errors.DiskFull("could not extend file: No space left on device"),
                                   psycopg.errors.TooManyConnections("sorry, too many clients already"),
                                   psycopg.OperationalError('connection to server at "127.0.0.1", port 5432 failed: '
                                                            "Connection refused"),
                                   psycopg.OperationalError("server closed the connection unexpectedly")])
def test_postgresql_trouble_is_unavailability(error):
    assert database_unavailable(wrapped(error))


def test_an_invalidated_connection_is_unavailability():
    assert database_unavailable(wrapped(sqlite3.OperationalError("anything"), invalidated=True))


def test_a_closed_driver_connection_is_unavailability():
    assert database_unavailable(wrapped(psycopg.InterfaceError("the connection is closed"), kind=InterfaceError))


def test_an_exhausted_pool_is_unavailability():
    assert database_unavailable(PoolTimeoutError("QueuePool limit of size 5 overflow 10 reached"))


def test_a_broken_constraint_is_not_unavailability():
    assert not database_unavailable(wrapped(sqlite3.IntegrityError("UNIQUE constraint failed: users.phone"),
                                            kind=IntegrityError))


def test_a_bad_statement_is_not_unavailability():
    assert not database_unavailable(wrapped(sqlite3.OperationalError("no such column: attempts.nope")))


def test_an_ordinary_exception_is_not_unavailability():
    assert not database_unavailable(ValueError("database is locked"))
