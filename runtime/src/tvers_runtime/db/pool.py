"""asyncpg connection pools with the settings every tvers connection uses.

Every acquire has a timeout: a pool that has run dry is a configuration error or a leak, and it
should say so in the log rather than hang a request or a projection forever.

A connection goes back to the pool as it is, without asyncpg's reset query (``SELECT
pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``), which costs a round trip on every
release: a request that reads three streams and appends paid four of them. The code here keeps
no session state on a pooled connection (``SET LOCAL`` and ``set_config(..., true)`` end with
their transaction; asyncpg itself rolls back a transaction left open). The few places that take a
session-level advisory lock or LISTEN say so with :func:`keeps_session_state`, and their
connection gets the full reset when it comes back, even if their own unlock never ran.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import structlog

log = structlog.get_logger(__name__)

#: How long an acquire waits for a free connection unless told otherwise.
DEFAULT_ACQUIRE_TIMEOUT = 10.0


#: Server process ids of pooled connections that took session-level state.
_SESSIONS_WITH_STATE: set[int] = set()


def keeps_session_state(connection: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy) -> None:
    """Mark a pooled connection that took a session-level advisory lock or a LISTEN: it gets
    asyncpg's full reset when it is released."""
    _SESSIONS_WITH_STATE.add(connection.get_server_pid())


async def _reset_if_marked(connection: asyncpg.Connection) -> None:
    # asyncpg has already rolled back any open transaction and dropped local listeners.
    pid = connection.get_server_pid()
    if pid in _SESSIONS_WITH_STATE:
        _SESSIONS_WITH_STATE.discard(pid)
        await connection.reset()


class PoolExhausted(TimeoutError):
    """No connection became free within the acquire timeout."""


class Pool(asyncpg.Pool):
    """An asyncpg pool whose every acquire (``pool.fetch`` and friends included) has a timeout,
    and logs when it runs out."""

    def __init__(self, *args: Any, acquire_timeout: float, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acquire_timeout = acquire_timeout
        self.name = name

    async def _acquire(self, timeout: float | None) -> Any:
        # asyncpg's one place where every acquire waits (``acquire()``, ``fetch()``, ...).
        wait = self.acquire_timeout if timeout is None else timeout
        try:
            return await super()._acquire(wait)  # type: ignore[misc] # not in the stubs
        except TimeoutError as error:
            log.exception(
                "database_pool_exhausted",
                pool=self.name,
                waited_seconds=wait,
                size=self.get_size(),
                idle=self.get_idle_size(),
            )
            raise PoolExhausted(
                f"no free database connection in {self.name} after {wait}s"
            ) from error


async def create_pool(
    url: str,
    *,
    application_name: str,
    min_size: int = 1,
    max_size: int = 10,
    idle_in_transaction_timeout: str = "60s",
    acquire_timeout: float = DEFAULT_ACQUIRE_TIMEOUT,
) -> Pool:
    """A pool whose sessions end themselves if left idle inside a transaction."""
    pool = Pool(
        url,
        acquire_timeout=acquire_timeout,
        name=application_name,
        min_size=min_size,
        max_size=max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        connect=None,
        setup=None,
        init=None,
        reset=_reset_if_marked,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        server_settings={
            "application_name": application_name,
            "timezone": "UTC",
            "idle_in_transaction_session_timeout": idle_in_transaction_timeout,
        },
    )
    await pool
    return pool
