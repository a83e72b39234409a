"""The shift index in the service's own PostgreSQL database (decision 0021).

Each shift is its own stream, so "the shifts of next week" and "the shifts this volunteer is on"
span streams. Two small tables answer them: ``shift_calendar`` (a shift's tenant, branch and
times, which never change) and ``volunteer_shifts`` (the shifts a volunteer has ever claimed or
waited for). A row is written *before* the event that makes it true, so the index never misses a
shift or a place; it may hold a row whose event never came, which the use cases pass over when
they load the shift. The index is derived data: :meth:`PostgresShiftIndex.catch_up` fills it from
the event store (at start, and after a restore).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

import asyncpg

from tvers_runtime.db.migrations import MigrationSource

MIGRATIONS = MigrationSource("shift_index", Path(__file__).parent / "shift_index_migrations")

# A note commits without waiting for its WAL to reach the disk: it is written before the event
# that makes it true, whose durable commit flushes the note's WAL with its own (the WAL is one
# sequence). A crash can lose only a note whose event was not stored, which the use cases pass
# over anyway, and ``catch_up`` rebuilds notes from the events. So a claim pays one disk flush,
# its event's, not two. ``set_config(..., true)`` lasts for the statement's own transaction.
_NOTE_SHIFT = """
    INSERT INTO shift_calendar (shift_id, tenant, branch_id, starts_at, ends_at)
    SELECT $1, $2, $3, $4, $5
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed
    ON CONFLICT (shift_id) DO NOTHING
"""
_FORGET_UNSTORED_SHIFT = """
    DELETE FROM shift_calendar c WHERE c.shift_id = $1
    AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'shift-' || $1::text)
"""
_NOTE_VOLUNTEER = """
    INSERT INTO volunteer_shifts (volunteer_id, shift_id)
    SELECT $1, $2 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed
    ON CONFLICT DO NOTHING
"""
_BETWEEN = """
    SELECT shift_id, branch_id, starts_at, ends_at FROM shift_calendar
    WHERE tenant = $1 AND ends_at > $2 AND starts_at < $3
      AND ($4::text IS NULL OR branch_id = $4)
    ORDER BY starts_at, branch_id, shift_id
    LIMIT $5
"""
_OF_VOLUNTEER = """
    SELECT c.shift_id, c.branch_id, c.starts_at, c.ends_at
    FROM volunteer_shifts v JOIN shift_calendar c USING (shift_id)
    WHERE v.volunteer_id = $1 AND c.ends_at > $2 AND c.starts_at < $3
    ORDER BY c.starts_at, c.shift_id
    LIMIT $4
"""
# Every tenant's shifts, for the scheduler of time-driven events (decision 0026): a table of a
# few thousand rows a year, read every few seconds.
_AROUND = """
    SELECT tenant, shift_id, branch_id, starts_at, ends_at FROM shift_calendar
    WHERE ends_at > $1 AND starts_at < $2
    ORDER BY starts_at, shift_id
"""
# Shift times are read as the events wrote them (ISO text with an offset), so the session's
# time zone does not matter. Version 1 of ShiftPublished has the same fields.
_CATCH_UP = """
    WITH shifts AS (
        INSERT INTO shift_calendar (shift_id, tenant, branch_id, starts_at, ends_at)
        SELECT (payload->>'shift_id')::uuid, tenant, payload->>'branch_id',
               (payload->>'starts_at')::timestamptz, (payload->>'ends_at')::timestamptz
        FROM events WHERE event_type IN ('ShiftPublished', 'ShiftProposed')
        ON CONFLICT (shift_id) DO NOTHING
        RETURNING 1
    ), places AS (
        INSERT INTO volunteer_shifts (volunteer_id, shift_id)
        SELECT DISTINCT (payload->>'volunteer_id')::uuid, (payload->>'shift_id')::uuid
        FROM events
        WHERE event_type IN ('ShiftClaimed', 'PromotedFromWaitlist', 'WaitlistJoined')
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM shifts) + (SELECT count(*) FROM places)
"""


@dataclass(frozen=True)
class IndexedShift:
    """Where and when a shift lies, as the index has it."""

    shift_id: UUID
    branch_id: str
    starts_at: datetime
    ends_at: datetime


class PostgresShiftIndex:
    """The ``shift_calendar`` and ``volunteer_shifts`` tables."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def note_shift(self, tenant: str, shift: IndexedShift) -> None:
        """Index a shift about to be stored (a repeat keeps the first row)."""
        await self._pool.execute(
            _NOTE_SHIFT, shift.shift_id, tenant, shift.branch_id, shift.starts_at, shift.ends_at
        )

    async def forget_unstored_shift(self, shift_id: UUID) -> None:
        """Drop the row of a shift that was refused and so never stored."""
        await self._pool.execute(_FORGET_UNSTORED_SHIFT, shift_id)

    async def note_volunteer(self, volunteer_id: UUID, shift_id: UUID) -> None:
        """Index a volunteer about to take a place on, or wait for, a shift."""
        await self._pool.execute(_NOTE_VOLUNTEER, volunteer_id, shift_id)

    async def between(
        self,
        tenant: str,
        after: datetime,
        before: datetime,
        *,
        branch_id: str | None = None,
        limit: int = 500,
    ) -> list[IndexedShift]:
        """The shifts that overlap ``[after, before)``, by start."""
        rows = await self._pool.fetch(_BETWEEN, tenant, after, before, branch_id, limit)
        return [_indexed(row) for row in rows]

    async def of_volunteer(
        self, volunteer_id: UUID, after: datetime, before: datetime, *, limit: int = 2000
    ) -> list[IndexedShift]:
        """The shifts the volunteer ever joined that overlap ``[after, before)``, by start."""
        rows = await self._pool.fetch(_OF_VOLUNTEER, volunteer_id, after, before, limit)
        return [_indexed(row) for row in rows]

    async def around(self, after: datetime, before: datetime) -> list[tuple[str, IndexedShift]]:
        """Every tenant's shifts that overlap ``[after, before)``, each with its tenant, by
        start."""
        rows = await self._pool.fetch(_AROUND, after, before)
        return [(row["tenant"], _indexed(row)) for row in rows]

    async def catch_up(self) -> int:
        """Index what the event store holds and the index does not (after a restore, say); how
        many rows were added."""
        added: int = await self._pool.fetchval(_CATCH_UP)
        return added


def _indexed(row: asyncpg.Record) -> IndexedShift:
    return IndexedShift(row["shift_id"], row["branch_id"], row["starts_at"], row["ends_at"])
