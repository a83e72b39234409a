"""asyncpg connection pools with the settings every tvers connection uses."""

from __future__ import annotations

import asyncpg


async def create_pool(
    url: str,
    *,
    application_name: str,
    min_size: int = 1,
    max_size: int = 10,
    idle_in_transaction_timeout: str = "60s",
) -> asyncpg.Pool:
    """A pool whose sessions end themselves if left idle inside a transaction."""
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        server_settings={
            "application_name": application_name,
            "timezone": "UTC",
            "idle_in_transaction_session_timeout": idle_in_transaction_timeout,
        },
    )
    if pool is None:  # only None when created with a loop that is not running; never here
        raise RuntimeError("asyncpg did not create a pool")
    return pool
