"""Book deposits by their current status: one row per deposit, its school, its school year (that
of the day it was ordered), its status and, once delivered, its due date. Overdue is a question
asked with a date (delivered, and due before it), so it is left to the query.

A step is taken only from the steps before it (requested, prepared, delivered, returned;
cancelled before delivery), so an event applied twice, or late, never moves a deposit back.
No theme, no title, no person: the figures need none.
"""

from __future__ import annotations

from collections.abc import Sequence

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.visits import (
    DepositCancelled,
    DepositDelivered,
    DepositDueDateSet,
    DepositOrdered,
    DepositPrepared,
    DepositReturned,
    school_year_of,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling

#: The statuses, in the order of the course (cancelled beside it).
STATUSES = ("requested", "prepared", "delivered", "returned", "cancelled")


class Deposits(Handling):
    """The projection; see the module docstring."""

    name = "deposits"
    version = 1
    handled = (
        DepositOrdered,
        DepositPrepared,
        DepositDelivered,
        DepositDueDateSet,
        DepositReturned,
        DepositCancelled,
    )
    tables_sql = """
        CREATE TABLE deposits (
            tenant text NOT NULL,
            deposit_id uuid NOT NULL,
            school_id text NOT NULL,
            school_year text NOT NULL,
            ordered_on date NOT NULL,
            status text NOT NULL CHECK (
                status IN ('requested', 'prepared', 'delivered', 'returned', 'cancelled')
            ),
            due_on date,
            PRIMARY KEY (tenant, deposit_id)
        );
    """

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Apply each event in order (a few hundred deposits a year: one statement each)."""
        for envelope in events:
            tenant, event = envelope.tenant, envelope.payload
            if isinstance(event, DepositOrdered):
                await connection.execute(
                    """
                    INSERT INTO deposits (tenant, deposit_id, school_id, school_year, ordered_on,
                                          status)
                    VALUES ($1, $2, $3, $4, $5, 'requested')
                    ON CONFLICT (tenant, deposit_id) DO NOTHING
                    """,
                    tenant,
                    event.deposit_id,
                    event.school_id,
                    school_year_of(event.ordered_on),
                    event.ordered_on,
                )
            elif isinstance(event, DepositPrepared):
                await _step(connection, tenant, event.deposit_id, "prepared", ("requested",))
            elif isinstance(event, DepositDelivered):
                await _step(
                    connection,
                    tenant,
                    event.deposit_id,
                    "delivered",
                    ("requested", "prepared"),
                    due_on=event.due_on,
                )
            elif isinstance(event, DepositDueDateSet):
                await connection.execute(
                    """
                    UPDATE deposits SET due_on = $3
                    WHERE tenant = $1 AND deposit_id = $2 AND status = 'delivered'
                    """,
                    tenant,
                    event.deposit_id,
                    event.due_on,
                )
            elif isinstance(event, DepositReturned):
                await _step(connection, tenant, event.deposit_id, "returned", ("delivered",))
            elif isinstance(event, DepositCancelled):
                await _step(
                    connection, tenant, event.deposit_id, "cancelled", ("requested", "prepared")
                )


async def _step(
    connection: Connection,
    tenant: str,
    deposit_id: object,
    status: str,
    after: tuple[str, ...],
    *,
    due_on: object = None,
) -> None:
    """Move a deposit to ``status`` if it stands at one of the steps ``after`` (a due date, if
    given, comes with it)."""
    await connection.execute(
        """
        UPDATE deposits SET status = $3, due_on = coalesce($5::date, due_on)
        WHERE tenant = $1 AND deposit_id = $2 AND status = ANY($4::text[])
        """,
        tenant,
        deposit_id,
        status,
        list(after),
        due_on,
    )
