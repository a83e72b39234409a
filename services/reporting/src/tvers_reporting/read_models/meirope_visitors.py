"""Unique visitors per branch and Europe/Oslo month, from the doors' ``patron_ref``.

Access makes a door's ``patron_ref`` with a key of the branch and the local month (decision
0014), so a person is the same ref all month at one branch and is never linked across months or
branches. This model keeps the distinct refs of each branch and month to count them; the refs
are never served. When access destroys a month's key (``PatronKeyDestroyed``, its retention
ended), the month's count is kept and its refs are deleted here too; entries of that month
arriving later change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import EntryGranted, PatronKeyDestroyed
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling


def month_of(day: date) -> date:
    """The first day of a day's month."""
    return day.replace(day=1)


class MeiropeVisitors(Handling):
    """The projection; see the module docstring."""

    name = "meirope_visitors"
    version = 1
    handled = (EntryGranted, PatronKeyDestroyed)
    tables_sql = """
        CREATE TABLE refs (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            month date NOT NULL,
            patron_ref text NOT NULL,
            PRIMARY KEY (tenant, branch_id, month, patron_ref)
        );
        CREATE TABLE closed_months (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            month date NOT NULL,
            visitors integer NOT NULL,
            PRIMARY KEY (tenant, branch_id, month)
        );
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Apply each event in order: a ref joins its month's set, a destroyed key closes it."""
        for envelope in events:
            event = envelope.payload
            if isinstance(event, EntryGranted):
                month = month_of(envelope.occurred_at.astimezone(self._zone).date())
                await connection.execute(
                    """
                    INSERT INTO refs (tenant, branch_id, month, patron_ref)
                    SELECT $1, $2, $3, $4 WHERE NOT EXISTS (
                        SELECT FROM closed_months
                        WHERE tenant = $1 AND branch_id = $2 AND month = $3
                    )
                    ON CONFLICT DO NOTHING
                    """,
                    envelope.tenant,
                    event.branch_id,
                    month,
                    event.patron_ref,
                )
            elif isinstance(event, PatronKeyDestroyed):
                key = (envelope.tenant, event.branch_id, month_of(event.month))
                await connection.execute(
                    """
                    INSERT INTO closed_months (tenant, branch_id, month, visitors)
                    SELECT $1, $2, $3, count(*) FROM refs
                    WHERE tenant = $1 AND branch_id = $2 AND month = $3
                    ON CONFLICT DO NOTHING
                    """,
                    *key,
                )
                await connection.execute(
                    "DELETE FROM refs WHERE tenant = $1 AND branch_id = $2 AND month = $3", *key
                )
