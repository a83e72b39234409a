"""The branches the closing scheduler looks after, read from the event store's own table: each
``BranchRegistered`` event is a branch, with the tenant it was registered for. Nothing else is
kept in step with the log, so a branch is never registered in one and missing in the other."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import asyncpg

from tvers_runtime.db.migrations import MigrationSource

#: Its own source, beside the access service's migrations: the index on the events table.
MIGRATIONS = MigrationSource("access_occupancy", Path(__file__).parent / "occupancy_migrations")

# The event type is written out, not a parameter: a generic plan could not use the partial
# index with a parameter in place of its predicate.
_REGISTERED = """
    SELECT tenant, payload->>'branch_id' AS branch_id FROM events
    WHERE event_type = 'BranchRegistered'
    ORDER BY global_position
"""


@dataclass(frozen=True)
class RegisteredBranch:
    """A branch and the tenant (municipality) it belongs to."""

    tenant: str
    branch_id: str


class RegisteredBranches:
    """Every branch registered in this service's event store."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def all(self) -> list[RegisteredBranch]:
        """The registered branches, in the order they were registered."""
        rows = await self._pool.fetch(_REGISTERED)
        return [RegisteredBranch(row["tenant"], row["branch_id"]) for row in rows]
