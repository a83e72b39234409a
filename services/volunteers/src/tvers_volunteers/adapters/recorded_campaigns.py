"""The recruitment campaigns of a tenant, found in the event store's own table: each
``CampaignRecorded`` event starts a campaign's stream. Nothing else is kept in step with the log,
so a campaign is never recorded in one and missing in the other (decision 0023)."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import asyncpg

from tvers_runtime.db.migrations import MigrationSource

#: Its own source, beside the vault's: the index on the events table.
MIGRATIONS = MigrationSource("volunteer_campaigns", Path(__file__).parent / "campaign_migrations")

# The event type is written out, not a parameter: a generic plan could not use the partial
# index with a parameter in place of its predicate.
_RECORDED = """
    SELECT (payload->>'campaign_id')::uuid AS campaign_id FROM events
    WHERE event_type = 'CampaignRecorded' AND tenant = $1
    ORDER BY global_position
"""


class RecordedCampaigns:
    """The campaigns recorded in this service's event store, per tenant."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def recorded(self, tenant: str) -> list[UUID]:
        """The ids of the tenant's campaigns, in the order they were recorded."""
        rows = await self._pool.fetch(_RECORDED, tenant)
        return [row["campaign_id"] for row in rows]
