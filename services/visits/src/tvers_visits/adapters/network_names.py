"""The names of the school librarians' network, in this service's own table (decision 0034).

A member's name (and e-mail address) is kept here only with their consent, and nowhere else:
not in an event, not in a log line. Withdrawing consent, or leaving the network, deletes the row.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import asyncpg

from tvers_runtime.db.migrations import MigrationSource
from tvers_visits.domain.network import Named

MIGRATIONS = MigrationSource(
    "visits_network_names", Path(__file__).parent / "network_name_migrations"
)

_KEEP = """
    INSERT INTO network_member_names (tenant, member_id, name, email, consented_at)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant, member_id)
    DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, consented_at = EXCLUDED.consented_at
"""
_FORGET = "DELETE FROM network_member_names WHERE tenant = $1 AND member_id = $2"
_NAMES = """
    SELECT member_id, name, email, consented_at FROM network_member_names WHERE tenant = $1
"""


class PostgresNetworkNames:
    """The ``network_member_names`` table."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def keep(self, tenant: str, member_id: UUID, named: Named) -> None:
        """Keep a member's name (replacing one kept before), with their consent."""
        await self._pool.execute(
            _KEEP, tenant, member_id, named.name, named.email, named.consented_at
        )

    async def forget(self, tenant: str, member_id: UUID) -> None:
        """Delete a member's name, if one is kept."""
        await self._pool.execute(_FORGET, tenant, member_id)

    async def names(self, tenant: str) -> dict[UUID, Named]:
        """The names kept of the tenant's members, by member."""
        rows = await self._pool.fetch(_NAMES, tenant)
        return {
            row["member_id"]: Named(row["name"], row["email"], row["consented_at"]) for row in rows
        }
