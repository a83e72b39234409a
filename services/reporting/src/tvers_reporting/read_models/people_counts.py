"""People counted coming in at the branches' doors: the entries of each counter report
(``PeopleCounted``), per branch and the moment the counter counted them.

A counter counts everyone who passes, whether they opened the door with a card, walked in
during staffed hours, came in behind someone or work there; it is what visits are counted from
(the national statistics, decision 0039). The moments are kept as they are, so that the entries
can be split by the opening they fall in, whatever the schedule. Exits are not kept: visits are
entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import PeopleCounted
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling


class PeopleCounts(Handling):
    """The projection; see the module docstring."""

    name = "people_counts"
    version = 1
    handled = (PeopleCounted,)
    tables_sql = """
        CREATE TABLE entries (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            counted_at timestamptz NOT NULL,
            entries integer NOT NULL,
            PRIMARY KEY (tenant, branch_id, counted_at)
        );
    """

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Add the batch's entries, one upsert for the whole batch (a report of exits only
        adds none, but shows that the branch has a counter)."""
        totals: Counter[tuple[str, str, datetime]] = Counter()
        for envelope in events:
            event = envelope.payload
            if isinstance(event, PeopleCounted):
                totals[(envelope.tenant, event.branch_id, event.counted_at)] += event.entries
        if not totals:
            return
        keys = list(totals)
        await connection.execute(
            """
            INSERT INTO entries (tenant, branch_id, counted_at, entries)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[])
            ON CONFLICT (tenant, branch_id, counted_at) DO UPDATE
            SET entries = entries.entries + excluded.entries
            """,
            [k[0] for k in keys],
            [k[1] for k in keys],
            [k[2] for k in keys],
            [totals[k] for k in keys],
        )
