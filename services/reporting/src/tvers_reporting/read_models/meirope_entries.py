"""Door entries per branch, Europe/Oslo day and wall-clock hour, staffed and meirope apart: the
heat map of when the branches are used.

The hour is the local wall-clock hour of the entry. On the night the clocks go forward there is
no 02 hour; on the night they go back, both 02 hours count in hour 2. The API sums the days of
a period by ISO weekday (1 Monday … 7 Sunday). Only counts are kept: no patron reference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import EntryGranted
from tvers_contracts.values import OpeningKind
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling


class MeiropeEntries(Handling):
    """The projection; see the module docstring."""

    name = "meirope_entries"
    version = 1
    handled = (EntryGranted,)
    tables_sql = """
        CREATE TABLE entries (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            day date NOT NULL,
            hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
            staffed integer NOT NULL DEFAULT 0,
            meirope integer NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant, branch_id, day, hour)
        );
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    def totals(
        self, events: Sequence[Envelope[DomainEvent]]
    ) -> Counter[tuple[str, str, str, int, bool]]:
        """The batch's entries per tenant, branch, local day and hour, and whether staffed."""
        totals: Counter[tuple[str, str, str, int, bool]] = Counter()
        for envelope in events:
            event = envelope.payload
            if isinstance(event, EntryGranted):
                local = envelope.occurred_at.astimezone(self._zone)
                staffed = event.opening is OpeningKind.STAFFED
                key = (envelope.tenant, event.branch_id, local.date().isoformat(), local.hour)
                totals[(*key, staffed)] += 1
        return totals

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Add the batch's counts, one upsert for the whole batch."""
        totals = self.totals(events)
        if not totals:
            return
        keys = list(totals)
        await connection.execute(
            """
            INSERT INTO entries (tenant, branch_id, day, hour, staffed, meirope)
            SELECT t, b, d::date, h, s, m
            FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[])
                AS x(t, b, d, h, s, m)
            ON CONFLICT (tenant, branch_id, day, hour) DO UPDATE SET
                staffed = entries.staffed + excluded.staffed,
                meirope = entries.meirope + excluded.meirope
            """,
            [k[0] for k in keys],
            [k[1] for k in keys],
            [k[2] for k in keys],
            [k[3] for k in keys],
            [totals[k] if k[4] else 0 for k in keys],
            [0 if k[4] else totals[k] for k in keys],
        )
