"""The schools the visits service knows, by id and name: the school figures show names."""

from __future__ import annotations

from collections.abc import Sequence

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.visits import SchoolRegistered
from tvers_reporting.read_models.text import storable
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling


class Schools(Handling):
    """The projection; one row per school."""

    name = "schools"
    version = 1
    handled = (SchoolRegistered,)
    tables_sql = """
        CREATE TABLE schools (
            tenant text NOT NULL,
            school_id text NOT NULL,
            name text NOT NULL,
            school_type text NOT NULL,
            nearest_branch_id text NOT NULL,
            PRIMARY KEY (tenant, school_id)
        );
    """

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Add schools, or take their latest name, type and nearest branch."""
        rows = [
            (
                envelope.tenant,
                envelope.payload.school_id,
                storable(envelope.payload.name),
                envelope.payload.school_type.value,
                envelope.payload.nearest_branch_id,
            )
            for envelope in events
            if isinstance(envelope.payload, SchoolRegistered)
        ]
        await connection.executemany(
            """
            INSERT INTO schools (tenant, school_id, name, school_type, nearest_branch_id)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant, school_id) DO UPDATE SET
                name = excluded.name,
                school_type = excluded.school_type,
                nearest_branch_id = excluded.nearest_branch_id
            """,
            rows,
        )
