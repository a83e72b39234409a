"""Database-wide settings a service applies at start-up."""

from __future__ import annotations

import re

import asyncpg
import structlog

from tvers_runtime.db.types import Connection

log = structlog.get_logger(__name__)
_DURATION = re.compile(r"^\d+(ms|s|min)$")


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
