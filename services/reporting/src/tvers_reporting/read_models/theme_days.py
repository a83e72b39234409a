"""Theme days and who took part: one row per theme day (its day, school year, topic, place and
stage: planned, cancelled or held) and, for a held one, one row per school with how many took
part. Counts only, never names. Rows hold states, so an event applied twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.visits import (
    ThemeDayCancelled,
    ThemeDayChanged,
    ThemeDayHeld,
    ThemeDayPlanned,
    school_year_of,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling

STAGES = ("planned", "cancelled", "held")


class ThemeDays(Handling):
    """The projection; see the module docstring."""

    name = "theme_days"
    version = 1
    handled = (ThemeDayPlanned, ThemeDayChanged, ThemeDayCancelled, ThemeDayHeld)
    tables_sql = """
        CREATE TABLE theme_days (
            tenant text NOT NULL,
            theme_day_id uuid NOT NULL,
            school_year text NOT NULL,
            day date NOT NULL,
            topic text NOT NULL,
            branch_id text,
            place text,
            stage text NOT NULL CHECK (stage IN ('planned', 'cancelled', 'held')),
            PRIMARY KEY (tenant, theme_day_id)
        );
        CREATE TABLE participants (
            tenant text NOT NULL,
            theme_day_id uuid NOT NULL,
            school_id text NOT NULL,
            participants integer NOT NULL,
            PRIMARY KEY (tenant, theme_day_id, school_id)
        );
    """

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Apply each event in order (a few theme days a year)."""
        for envelope in events:
            tenant, event = envelope.tenant, envelope.payload
            if isinstance(event, ThemeDayPlanned | ThemeDayChanged):
                # A change tells every field as it now stands; a held or cancelled day stays so.
                await connection.execute(
                    """
                    INSERT INTO theme_days (tenant, theme_day_id, school_year, day, topic,
                                            branch_id, place, stage)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, 'planned')
                    ON CONFLICT (tenant, theme_day_id) DO UPDATE SET
                        school_year = excluded.school_year,
                        day = excluded.day,
                        topic = excluded.topic,
                        branch_id = excluded.branch_id,
                        place = excluded.place
                    WHERE theme_days.stage = 'planned'
                    """,
                    tenant,
                    event.theme_day_id,
                    school_year_of(event.day),
                    event.day,
                    event.topic,
                    event.branch_id,
                    event.place,
                )
            elif isinstance(event, ThemeDayCancelled):
                await connection.execute(
                    """
                    UPDATE theme_days SET stage = 'cancelled'
                    WHERE tenant = $1 AND theme_day_id = $2 AND stage = 'planned'
                    """,
                    tenant,
                    event.theme_day_id,
                )
            elif isinstance(event, ThemeDayHeld):
                await _held(connection, tenant, event)


async def _held(connection: Connection, tenant: str, event: ThemeDayHeld) -> None:
    """A theme day held, with its participants per school (replacing any counted before)."""
    await connection.execute(
        """
        UPDATE theme_days SET stage = 'held'
        WHERE tenant = $1 AND theme_day_id = $2 AND stage <> 'cancelled'
        """,
        tenant,
        event.theme_day_id,
    )
    await connection.execute(
        "DELETE FROM participants WHERE tenant = $1 AND theme_day_id = $2",
        tenant,
        event.theme_day_id,
    )
    await connection.executemany(
        """
        INSERT INTO participants (tenant, theme_day_id, school_id, participants)
        VALUES ($1, $2, $3, $4)
        """,
        [
            (tenant, event.theme_day_id, entry.school_id, entry.participants)
            for entry in event.participants
        ],
    )
