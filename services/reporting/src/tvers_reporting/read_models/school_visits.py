"""Class visits per school year: each school's classes and each visit's latest state, from which
the coverage of the 2nd- and 9th-grade programmes and the pupils reached are counted.

One row per class (the latest ``SchoolClassesSet`` of its school and year, by its version on
the year's stream) and one per visit
(booked, moved, cancelled, held; a visit recorded as held without a booking gets its row then).
Rows hold states, never increments, so an event applied twice leaves them as they were, and a
rebuild comes to the same rows. Classes and counts only: no pupil's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.visits import (
    ClassVisitBooked,
    ClassVisitCancelled,
    ClassVisitHeld,
    ClassVisitRescheduled,
    SchoolClassesSet,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling

BOOKED = "booked"
CANCELLED = "cancelled"
HELD = "held"


class SchoolVisits(Handling):
    """The projection; see the module docstring."""

    name = "school_visits"
    version = 1
    handled = (
        SchoolClassesSet,
        ClassVisitBooked,
        ClassVisitRescheduled,
        ClassVisitCancelled,
        ClassVisitHeld,
    )
    tables_sql = """
        CREATE TABLE classes (
            tenant text NOT NULL,
            school_year text NOT NULL,
            school_id text NOT NULL,
            class_label text NOT NULL,
            grade integer NOT NULL,
            pupils integer NOT NULL,
            PRIMARY KEY (tenant, school_year, school_id, class_label)
        );
        CREATE TABLE class_lists (
            tenant text NOT NULL,
            school_year text NOT NULL,
            school_id text NOT NULL,
            stream_version integer NOT NULL,
            PRIMARY KEY (tenant, school_year, school_id)
        );
        CREATE TABLE visits (
            tenant text NOT NULL,
            visit_id uuid NOT NULL,
            school_year text NOT NULL,
            school_id text NOT NULL,
            grade integer NOT NULL,
            class_label text NOT NULL,
            programme text NOT NULL,
            branch_id text NOT NULL,
            state text NOT NULL CHECK (state IN ('booked', 'cancelled', 'held')),
            held_on date,
            pupils_present integer,
            library_cards integer,
            PRIMARY KEY (tenant, visit_id)
        );
        CREATE INDEX visits_by_year ON visits (tenant, school_year, school_id);
    """

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Apply each event in order (a few hundred a year: one statement each)."""
        for envelope in events:
            tenant, event = envelope.tenant, envelope.payload
            if isinstance(event, SchoolClassesSet):
                await _set_classes(connection, tenant, envelope.stream_version, event)
            elif isinstance(event, ClassVisitBooked):
                await connection.execute(
                    """
                    INSERT INTO visits (tenant, visit_id, school_year, school_id, grade,
                                        class_label, programme, branch_id, state)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'booked')
                    ON CONFLICT (tenant, visit_id) DO NOTHING
                    """,
                    tenant,
                    event.visit_id,
                    event.school_year,
                    event.school_id,
                    event.grade,
                    event.class_label,
                    event.programme.value,
                    event.branch_id,
                )
            elif isinstance(event, ClassVisitRescheduled):
                await connection.execute(
                    """
                    UPDATE visits SET branch_id = $3
                    WHERE tenant = $1 AND visit_id = $2 AND state = 'booked'
                    """,
                    tenant,
                    event.visit_id,
                    event.branch_id,
                )
            elif isinstance(event, ClassVisitCancelled):
                await connection.execute(
                    """
                    UPDATE visits SET state = 'cancelled'
                    WHERE tenant = $1 AND visit_id = $2 AND state = 'booked'
                    """,
                    tenant,
                    event.visit_id,
                )
            elif isinstance(event, ClassVisitHeld):
                await _held(connection, tenant, event)


async def _set_classes(
    connection: Connection, tenant: str, version: int, event: SchoolClassesSet
) -> None:
    """Replace a school's classes of a year, unless a later list (by its version on the school
    year's stream) replaced them already: a late repeat of an older list changes nothing."""
    newer = await connection.fetchval(
        """
        INSERT INTO class_lists (tenant, school_year, school_id, stream_version)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (tenant, school_year, school_id) DO UPDATE
            SET stream_version = excluded.stream_version
            WHERE class_lists.stream_version < excluded.stream_version
        RETURNING true
        """,
        tenant,
        event.school_year,
        event.school_id,
        version,
    )
    if not newer:
        return
    await connection.execute(
        "DELETE FROM classes WHERE tenant = $1 AND school_year = $2 AND school_id = $3",
        tenant,
        event.school_year,
        event.school_id,
    )
    await connection.executemany(
        """
        INSERT INTO classes (tenant, school_year, school_id, class_label, grade, pupils)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        [
            (tenant, event.school_year, event.school_id, c.class_label, c.grade, c.pupils)
            for c in event.classes
        ],
    )


async def _held(connection: Connection, tenant: str, event: ClassVisitHeld) -> None:
    """A visit held: booked before, or recorded afterwards only (then its row starts here)."""
    await connection.execute(
        """
        INSERT INTO visits (tenant, visit_id, school_year, school_id, grade, class_label,
                            programme, branch_id, state, held_on, pupils_present, library_cards)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'held', $9, $10, $11)
        ON CONFLICT (tenant, visit_id) DO UPDATE SET
            school_year = excluded.school_year,
            school_id = excluded.school_id,
            grade = excluded.grade,
            class_label = excluded.class_label,
            programme = excluded.programme,
            branch_id = excluded.branch_id,
            state = 'held',
            held_on = excluded.held_on,
            pupils_present = excluded.pupils_present,
            library_cards = excluded.library_cards
        """,
        tenant,
        event.visit_id,
        event.school_year,
        event.school_id,
        event.grade,
        event.class_label,
        event.programme.value,
        event.branch_id,
        event.held_on,
        event.pupils_present,
        event.library_cards_handed_out,
    )
