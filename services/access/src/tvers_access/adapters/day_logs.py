"""The door logs kept by day in the event store (a door's presentations, a branch's counter
readings and alarms), and their removal when their retention ends.

A removed log is gone from this service's event store only; what it counted lives on in the read
models, and what JetStream holds of it carries door references whose key is destroyed by then.
Only events the relay has published are removed, so nothing is lost to the subscribers.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg


class PostgresDayLogs:
    """Day logs in the access event store."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def streams(self) -> list[str]:
        """The ids of every day-log stream there is."""
        async with self._pool.acquire() as connection:
            rows = await connection.fetch(
                """
                SELECT DISTINCT stream_id FROM events
                WHERE stream_id LIKE 'presentations-%' OR stream_id LIKE 'counts-%'
                   OR stream_id LIKE 'alarms-%'
                """
            )
        return [row["stream_id"] for row in rows]

    async def remove_published(self, stream_ids: Sequence[str]) -> int:
        """Delete the events of these streams that every relay has published; how many."""
        if not stream_ids:
            return 0
        async with self._pool.acquire() as connection:
            status: str = await connection.execute(
                """
                DELETE FROM events
                WHERE stream_id = ANY($1::text[])
                  AND (tx_id, global_position) <= (
                      SELECT tx_id, global_position FROM relay_checkpoints
                      ORDER BY tx_id, global_position LIMIT 1)
                """,
                list(stream_ids),
            )
        return int(status.rsplit(maxsplit=1)[-1])
