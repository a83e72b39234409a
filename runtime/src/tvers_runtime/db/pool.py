"""asyncpg connection pools with the settings every tvers connection uses.

Every acquire has a timeout: a pool that has run dry is a configuration error or a leak, and it
should say so in the log rather than hang a request or a projection forever.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import structlog

log = structlog.get_logger(__name__)

#: How long an acquire waits for a free connection unless told otherwise.
DEFAULT_ACQUIRE_TIMEOUT = 10.0


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
        reset=None,
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
