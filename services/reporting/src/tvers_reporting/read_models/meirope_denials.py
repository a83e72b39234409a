"""Door denials per branch, Europe/Oslo day and reason.

``daily_activity`` counts the denials of a day in all; this model breaks them down by the reason
the door gave (and by staffed or meirope hours), for the meirope report. Only counts are kept:
no patron reference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import EntryDenied
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling


class MeiropeDenials(Handling):
    """The projection; see the module docstring."""

    name = "meirope_denials"
    version = 1
    handled = (EntryDenied,)
    tables_sql = """
        CREATE TABLE denials (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            day date NOT NULL,
            reason text NOT NULL,
            opening text NOT NULL,
            denials integer NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant, branch_id, day, reason, opening)
        );
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    def totals(self, events: Sequence[Envelope[DomainEvent]]) -> Counter[tuple[str, ...]]:
        """The batch's denials per tenant, branch, local day, reason and opening."""
        totals: Counter[tuple[str, ...]] = Counter()
        for envelope in events:
            event = envelope.payload
            if isinstance(event, EntryDenied):
                day: date = envelope.occurred_at.astimezone(self._zone).date()
                key = (envelope.tenant, event.branch_id, day.isoformat(), event.reason.value)
                totals[(*key, event.opening.value)] += 1
        return totals

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Add the batch's counts, one upsert for the whole batch."""
        totals = self.totals(events)
        if not totals:
            return
        keys = list(totals)
        await connection.execute(
            """
            INSERT INTO denials (tenant, branch_id, day, reason, opening, denials)
            SELECT t, b, d::date, r, o, n
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
                AS x(t, b, d, r, o, n)
            ON CONFLICT (tenant, branch_id, day, reason, opening)
                DO UPDATE SET denials = denials.denials + excluded.denials
            """,
            *([k[i] for k in keys] for i in range(5)),
            [totals[k] for k in keys],
        )
