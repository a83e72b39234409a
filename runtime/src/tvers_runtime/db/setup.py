"""Database-wide settings a service applies at start-up."""

from __future__ import annotations

import re

import asyncpg
import structlog

from tvers_runtime.db.types import Connection

log = structlog.get_logger(__name__)
_DURATION = re.compile(r"^\d+(ms|s|min)$")
#: How long a session may sit idle inside a transaction before the server ends it.
IDLE_IN_TRANSACTION_TIMEOUT = "60s"
#: How long any transaction of a service role may last (PostgreSQL 17 and later). Every writing
#: transaction of the services is bounded far below this (the read models' 0.5 s, the key
#: locks' wait); migrations, the one legitimately long kind, lift it for themselves.
TRANSACTION_TIMEOUT = "5min"


async def limit_idle_transactions(connection: Connection, timeout: str) -> bool:
    """Make every new session of this database end itself after ``timeout`` idle in a
    transaction. A session that appended and then went idle would otherwise hold back every
    tailing reader (the relay) for as long as it lives.

    Returns False (and logs) when the role may not alter the database; the pool's own sessions
    carry the setting regardless.
    """
    if not _DURATION.match(timeout):
        raise ValueError(f"not a duration like 60s: {timeout!r}")
    database = await connection.fetchval("SELECT current_database()")
    quoted = '"' + str(database).replace('"', '""') + '"'
    try:
        await connection.execute(
            f"ALTER DATABASE {quoted} SET idle_in_transaction_session_timeout = '{timeout}'"
        )
    except asyncpg.exceptions.InsufficientPrivilegeError:
        log.warning("idle_transaction_limit_not_set", database=database)
        return False
    return True


async def limit_role_transactions(
    connection: Connection,
    role: str,
    *,
    idle: str = IDLE_IN_TRANSACTION_TIMEOUT,
    total: str = TRANSACTION_TIMEOUT,
) -> None:
    """Bound every session of ``role`` on the whole server: idle inside a transaction at most
    ``idle``, and any transaction at most ``total`` (where PostgreSQL has ``transaction_timeout``).
    The relays' gap-safe horizon covers the whole server, so one forgotten transaction of any
    role would hold back every relay on it (decision 0050)."""
    for timeout in (idle, total):
        if not _DURATION.match(timeout):
            raise ValueError(f"not a duration like 60s: {timeout!r}")
    quoted = '"' + role.replace('"', '""') + '"'
    await connection.execute(
        f"ALTER ROLE {quoted} SET idle_in_transaction_session_timeout = '{idle}'"
    )
    if await connection.fetchval("SELECT current_setting('server_version_num')::int") >= 170000:
        await connection.execute(f"ALTER ROLE {quoted} SET transaction_timeout = '{total}'")
