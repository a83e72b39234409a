"""The branches the access service knows, by id and name: the dashboard shows names."""

from __future__ import annotations

from collections.abc import Sequence

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import BranchRegistered
from tvers_reporting.read_models.text import storable
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling


class Branches(Handling):
    """The projection; one row per branch."""

    name = "branches"
    version = 1
    handled = (BranchRegistered,)
    tables_sql = """
        CREATE TABLE branches (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            name text NOT NULL,
            PRIMARY KEY (tenant, branch_id)
        );
    """

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Add or rename branches."""
        rows = [
            (envelope.tenant, envelope.payload.branch_id, storable(envelope.payload.name))
            for envelope in events
            if isinstance(envelope.payload, BranchRegistered)
        ]
        await connection.executemany(
            """
            INSERT INTO branches (tenant, branch_id, name) VALUES ($1, $2, $3)
            ON CONFLICT (tenant, branch_id) DO UPDATE SET name = excluded.name
            """,
            rows,
        )
