"""The queue of volunteers who left (deactivated or erased) and whose future places are still to
be given up: a table of this service's database (decision 0021)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import asyncpg

from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.types import Connection

MIGRATIONS = MigrationSource("volunteer_leavers", Path(__file__).parent / "leaver_migrations")

_NOTE = """
    INSERT INTO volunteer_leavers (volunteer_id, tenant) VALUES ($1, $2)
    ON CONFLICT (volunteer_id) DO UPDATE SET leased_until = '-infinity'
"""
_LEASE = """
    UPDATE volunteer_leavers SET leased_until = now() + $1::interval
    WHERE volunteer_id IN (
        SELECT volunteer_id FROM volunteer_leavers WHERE leased_until < now()
        ORDER BY noted_at LIMIT $2 FOR UPDATE SKIP LOCKED
    )
    RETURNING volunteer_id, tenant
"""


@dataclass(frozen=True)
class Leaver:
    """A volunteer whose future places are to be given up."""

    volunteer_id: UUID
    tenant: str


async def note_leaver(connection: Connection, *, volunteer_id: UUID, tenant: str) -> None:
    """Queue a leaver (in the caller's transaction); again, it is worked off again."""
    await connection.execute(_NOTE, volunteer_id, tenant)


class PostgresLeavers:
    """The ``volunteer_leavers`` table."""

    def __init__(self, pool: asyncpg.Pool, *, lease: timedelta = timedelta(minutes=5)) -> None:
        self._pool = pool
        self._lease = lease

    async def lease(self, limit: int = 20) -> list[Leaver]:
        """Leavers no one works on now, leased to this caller."""
        rows = await self._pool.fetch(_LEASE, self._lease, limit)
        return [Leaver(row["volunteer_id"], row["tenant"]) for row in rows]

    async def done(self, leaver: Leaver) -> None:
        """Remove a leaver whose places are given up (unless noted again meanwhile)."""
        await self._pool.execute(
            "DELETE FROM volunteer_leavers WHERE volunteer_id = $1 AND leased_until > now()",
            leaver.volunteer_id,
        )
