"""The deposits of a tenant, found in the event store's own table: each ``DepositOrdered``
event starts a deposit's stream. Nothing else is kept in step with the log, so a deposit is
never ordered in one and missing from the other (decision 0034, as 0023 for campaigns)."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import asyncpg

from tvers_runtime.db.migrations import MigrationSource

MIGRATIONS = MigrationSource("visits_deposits", Path(__file__).parent / "deposit_migrations")

# The event type is written out, not a parameter: a generic plan could not use the partial
# index with a parameter in place of its predicate.
_ORDERED = """
    SELECT (payload->>'deposit_id')::uuid AS deposit_id FROM events
    WHERE event_type = 'DepositOrdered' AND tenant = $1
      AND ($2::text IS NULL OR payload->>'school_id' = $2)
    ORDER BY global_position
"""


class OrderedDeposits:
    """The deposits ordered in this service's event store, per tenant."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def ordered(self, tenant: str, *, school_id: str | None = None) -> list[UUID]:
        """The ids of the tenant's deposits (of one school, if named), in the order they were
        ordered."""
        rows = await self._pool.fetch(_ORDERED, tenant, school_id)
        return [row["deposit_id"] for row in rows]
