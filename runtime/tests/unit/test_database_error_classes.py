"""Which database failures are tried again (transient), which are too slow to try the same way,
and which are final."""

import asyncpg
import pytest

from tvers_runtime.db.errors import is_too_slow, is_transient


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.DeadlockDetectedError("deadlock detected"),
        asyncpg.exceptions.SerializationError("could not serialize access"),
        asyncpg.exceptions.LockNotAvailableError("canceling statement due to lock timeout"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),
        asyncpg.exceptions.AdminShutdownError("terminating connection"),
        asyncpg.exceptions.TooManyConnectionsError("too many clients"),
        asyncpg.InterfaceError("connection is closed"),
        ConnectionResetError(),
    ],
)
def test_a_failure_that_says_nothing_about_the_work_is_transient(error: Exception) -> None:
    assert is_transient(error)


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.UniqueViolationError("duplicate key"),
        asyncpg.exceptions.NotNullViolationError("null value"),
        asyncpg.exceptions.UndefinedColumnError("column does not exist"),
        asyncpg.exceptions.DatetimeFieldOverflowError("date out of range"),
        asyncpg.InterfaceError("pool is closing"),
        RuntimeError("a bug in a projection"),
    ],
)
def test_a_failure_of_the_work_itself_or_of_a_stopping_process_is_final(error: Exception) -> None:
    assert not is_transient(error)


def test_a_statement_timeout_or_a_time_limit_of_ours_means_too_slow() -> None:
    assert is_too_slow(asyncpg.exceptions.QueryCanceledError("statement timeout"))
    assert is_too_slow(TimeoutError())
    assert not is_too_slow(asyncpg.exceptions.DeadlockDetectedError("deadlock detected"))
