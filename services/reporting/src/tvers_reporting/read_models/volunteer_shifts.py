"""The volunteers' shifts per branch and week: published, filled, cancelled, places taken and
released, waitlist joins and no-shows.

One row per shift, kept as its events arrive (in stream order): whether it was published or
cancelled, its places, how many are held now and the running counts of what happened to it.
The weekly figures are sums over these rows, grouped by the Europe/Oslo week (Monday) in which
the shift starts, so a shift from 23:30 on a Sunday counts in that week. A shift is *filled* when
it is published, not cancelled and every place is held. A place taken from the waitlist counts as
a place taken, as a claim does. Only opaque ids are kept, and the API shows only counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.volunteers import (
    NoShowRecorded,
    PromotedFromWaitlist,
    ShiftCancelled,
    ShiftClaimed,
    ShiftPublished,
    ShiftReleased,
    WaitlistJoined,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling

#: The running counts of a shift's row, each raised by one kind of event.
COUNTS = ("places_taken", "places_released", "waitlist_joins", "no_shows")


def week_of(moment: datetime, zone: ZoneInfo) -> date:
    """The Monday of the local week a moment falls in."""
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


class VolunteerShifts(Handling):
    """The projection; see the module docstring."""

    name = "volunteer_shifts"
    version = 1
    handled = (
        ShiftPublished,
        ShiftCancelled,
        ShiftClaimed,
        PromotedFromWaitlist,
        ShiftReleased,
        WaitlistJoined,
        NoShowRecorded,
    )
    tables_sql = f"""
        CREATE TABLE shifts (
            tenant text NOT NULL,
            shift_id uuid NOT NULL,
            branch_id text NOT NULL,
            week date NOT NULL,
            published boolean NOT NULL DEFAULT false,
            cancelled boolean NOT NULL DEFAULT false,
            capacity integer NOT NULL DEFAULT 0,
            held integer NOT NULL DEFAULT 0,
            {", ".join(f"{name} integer NOT NULL DEFAULT 0" for name in COUNTS)},
            PRIMARY KEY (tenant, shift_id)
        );
        CREATE INDEX shifts_by_week ON shifts (tenant, week, branch_id);
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Apply each event to its shift's row, in order."""
        for envelope in events:
            await self._apply_one(connection, envelope.tenant, envelope.payload)

    async def _apply_one(self, connection: Connection, tenant: str, event: DomainEvent) -> None:
        if isinstance(event, WaitlistJoined):  # the shift's row exists: it was published first
            await connection.execute(
                "UPDATE shifts SET waitlist_joins = waitlist_joins + 1"
                " WHERE tenant = $1 AND shift_id = $2",
                tenant,
                event.shift_id,
            )
            return
        if not isinstance(
            event,
            ShiftPublished
            | ShiftCancelled
            | ShiftClaimed
            | PromotedFromWaitlist
            | ShiftReleased
            | NoShowRecorded,
        ):
            return
        row = (tenant, event.shift_id, event.branch_id, week_of(event.starts_at, self._zone))
        if isinstance(event, ShiftPublished):
            await _upsert(connection, row, "published = true, capacity = $3", event.capacity)
        elif isinstance(event, ShiftCancelled):
            await _upsert(connection, row, "cancelled = true, held = $3", 0)
        elif isinstance(event, ShiftClaimed | PromotedFromWaitlist):
            await _upsert(
                connection, row, "held = s.held + $3, places_taken = s.places_taken + $3", 1
            )
        elif isinstance(event, ShiftReleased):
            await _upsert(
                connection,
                row,
                "held = greatest(s.held - $3, 0), places_released = s.places_released + $3",
                1,
            )
        else:
            await _upsert(connection, row, "no_shows = s.no_shows + $3", 1)


async def _upsert(
    connection: Connection, row: tuple[str, object, str, date], changes: str, value: int
) -> None:
    """Create the shift's row if it is new, then make ``changes`` to it (``s`` is the row,
    ``$3`` the value)."""
    await connection.execute(
        "INSERT INTO shifts AS s (tenant, shift_id, branch_id, week) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (tenant, shift_id) DO NOTHING",
        *row,
    )
    await connection.execute(
        f"UPDATE shifts AS s SET {changes} WHERE tenant = $1 AND shift_id = $2",  # noqa: S608
        row[0],
        row[1],
        value,
    )
