"""PostgreSQL restarting behind a Unix socket: while the socket file is gone, psycopg says "connection is bad:
... No such file or directory". The cluster test (tests/cluster) saw those answered 500 with a traceback each."""

import psycopg
from sqlalchemy.exc import OperationalError

from contest.errors.handlers import database_unavailable

SOCKET_GONE = ('connection is bad: connection to server on socket "/tmp/pg/.s.PGSQL.5432" failed: No such file '
               "or directory\n\tIs the server running locally and accepting connections on that socket?")


def test_a_postgresql_socket_that_is_gone_counts_as_the_database_unavailable():
    error = OperationalError("SELECT 1", {}, psycopg.OperationalError(SOCKET_GONE))
    assert database_unavailable(error)


def test_a_failed_connection_to_postgresql_counts_as_the_database_unavailable():
    error = OperationalError("SELECT 1", {}, psycopg.OperationalError(
        'connection failed: connection to server on socket "/tmp/pg/.s.PGSQL.5432" failed: No such file or '
        "directory"))
    assert database_unavailable(error)
