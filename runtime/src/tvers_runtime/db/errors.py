"""Which database errors are worth trying again.

A *transient* error says nothing about the work itself: a deadlock, a serialisation failure, a
lock or statement timeout, a lost connection, a server shutting down or short of resources. The
same work may succeed a moment later, so it is retried with backoff, outside any transaction, and
never dead-lettered. Every other error is *deterministic*: trying again gives the same answer.

PostgreSQL classifies its errors by SQLSTATE; the class is the first two characters
(https://www.postgresql.org/docs/current/errcodes-appendix.html).
"""

from __future__ import annotations

import asyncpg

#: 08 connection exception, 40 transaction rollback (serialisation failure, deadlock),
#: 53 insufficient resources, 57 operator intervention (query cancelled by a statement timeout,
#: admin shutdown), 58 system error (I/O).
TRANSIENT_CLASSES = frozenset({"08", "40", "53", "57", "58"})
#: 55P03 lock not available (lock_timeout), 55006 object in use.
TRANSIENT_STATES = frozenset({"55P03", "55006"})


def sqlstate_of(error: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL error, or None for anything else."""
    if isinstance(error, asyncpg.PostgresError):
        state: str | None = getattr(error, "sqlstate", None)
        return state
    return None


def is_transient(error: BaseException) -> bool:
    """Whether the same work may well succeed if tried again a little later."""
    state = sqlstate_of(error)
    if state is not None:
        return state[:2] in TRANSIENT_CLASSES or state in TRANSIENT_STATES
    if isinstance(error, asyncpg.InterfaceError) and "pool is clos" in str(error):
        return False  # the process is stopping: nothing will work again
    # The connection went away under asyncpg (closed socket, server gone), or no connection
    # could be had in time.
    return isinstance(error, asyncpg.InterfaceError | ConnectionError | OSError | TimeoutError)


def is_too_slow(error: BaseException) -> bool:
    """Whether the work was stopped for taking too long: a statement timeout (or a cancelled
    query), or a time limit of our own. Trying the same work again will likely take as long."""
    return isinstance(error, TimeoutError | asyncpg.exceptions.QueryCanceledError)
