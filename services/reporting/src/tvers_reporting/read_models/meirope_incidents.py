"""Door alarms, suspected tailgating and occupants left at closing, per branch and Europe/Oslo
day.

An alarm counts on the local day the controller raised it, by kind (held open, forced); a
suspected tailgating on the day of the counter report that did not add up. Occupants at closing
are kept once per closing (access checks each closing once, decision 0015), on the local day the
meirope period ended; a closing at midnight counts on the day before, the evening it closed.
None of these events names a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import (
    DoorAlarmKind,
    DoorAlarmRaised,
    OccupantsRemainedAtClosing,
    TailgatingSuspected,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling

#: The day's counts, each raised by one kind of event.
COUNTS = ("held_open", "forced", "tailgating")


def closing_day(period_ends: datetime, zone: ZoneInfo) -> date:
    """The local day a period ended on; one ending at midnight ends the day before."""
    return (period_ends.astimezone(zone) - timedelta(microseconds=1)).date()


class MeiropeIncidents(Handling):
    """The projection; see the module docstring."""

    name = "meirope_incidents"
    version = 1
    handled = (DoorAlarmRaised, TailgatingSuspected, OccupantsRemainedAtClosing)
    tables_sql = f"""
        CREATE TABLE incidents (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            day date NOT NULL,
            {", ".join(f"{name} integer NOT NULL DEFAULT 0" for name in COUNTS)},
            PRIMARY KEY (tenant, branch_id, day)
        );
        CREATE TABLE closings (
            tenant text NOT NULL,
            branch_id text NOT NULL,
            period_ends timestamptz NOT NULL,
            day date NOT NULL,
            occupants integer NOT NULL,
            PRIMARY KEY (tenant, branch_id, period_ends)
        );
    """

    def __init__(self, timezone: str) -> None:
        self._zone = ZoneInfo(timezone)

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Apply each event in order."""
        for envelope in events:
            event = envelope.payload
            if isinstance(event, OccupantsRemainedAtClosing):
                await connection.execute(
                    "INSERT INTO closings (tenant, branch_id, period_ends, day, occupants)"
                    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    envelope.tenant,
                    event.branch_id,
                    event.period_ends,
                    closing_day(event.period_ends, self._zone),
                    event.count,
                )
                continue
            if isinstance(event, DoorAlarmRaised):
                column = "forced" if event.kind is DoorAlarmKind.FORCED else "held_open"
                moment = event.raised_at
            elif isinstance(event, TailgatingSuspected):
                column, moment = "tailgating", event.counted_at
            else:
                continue
            await connection.execute(
                f"""
                INSERT INTO incidents (tenant, branch_id, day, {column}) VALUES ($1, $2, $3, 1)
                ON CONFLICT (tenant, branch_id, day)
                    DO UPDATE SET {column} = incidents.{column} + 1
                """,  # noqa: S608 - column names are constants of this module
                envelope.tenant,
                event.branch_id,
                moment.astimezone(self._zone).date(),
            )
