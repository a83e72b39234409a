"""The hosts checked in at each branch, in access's own database (``hosts_checked_in``), kept by
the subscriber to the volunteers service's check-ins and check-outs."""

from __future__ import annotations

import asyncpg

from tvers_access.domain.hosts import CheckedInHost, present_on_shift, shift_stream
from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.volunteers import ShiftAttendanceEvent
from tvers_runtime.db.types import Connection

_FORGET_SHIFT = "DELETE FROM hosts_checked_in WHERE tenant = $1 AND shift_id = $2"
_PRESENT = """
    INSERT INTO hosts_checked_in
        (tenant, shift_id, volunteer_id, branch_id, checked_in_at, shift_ends_at)
    SELECT $1, $2, volunteer_id, $3, checked_in_at, $4
    FROM unnest($5::uuid[], $6::timestamptz[]) AS present (volunteer_id, checked_in_at)
"""
_AT_BRANCH = """
    SELECT shift_id, volunteer_id, checked_in_at, shift_ends_at FROM hosts_checked_in
    WHERE tenant = $1 AND branch_id = $2 ORDER BY checked_in_at, volunteer_id
"""


class ShiftOnAnotherStream(ValueError):
    """A check-in or check-out that did not come on its shift's stream: the version guard, which
    is per stream, could not order it among the shift's other events."""


async def learn_attendance(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    """The effect of a check-in or check-out: the shift's hosts become those the event lists.

    Runs in the subscriber's transaction, once per event, and only for an event newer than any
    applied before from the same shift: the newest event of a shift says who is there.
    """
    event = envelope.payload
    if not isinstance(event, ShiftAttendanceEvent):
        return
    if envelope.stream_id != shift_stream(event.shift_id):
        raise ShiftOnAnotherStream(
            f"{envelope.event_type} of shift {event.shift_id} came on stream "
            f"{envelope.stream_id!r}, not {shift_stream(event.shift_id)!r}"
        )
    hosts = present_on_shift(event)
    await connection.execute(_FORGET_SHIFT, envelope.tenant, event.shift_id)
    if hosts:
        await connection.execute(
            _PRESENT,
            envelope.tenant,
            event.shift_id,
            event.branch_id,
            event.ends_at,
            [host.volunteer_id for host in hosts],
            [host.checked_in_at for host in hosts],
        )


class PostgresHosts:
    """Reads ``hosts_checked_in`` (see :class:`tvers_access.domain.hosts.CheckedInHosts`)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def at_branch(self, tenant: str, branch_id: str) -> list[CheckedInHost]:
        """Every check-in at a branch not yet followed by its check-out."""
        rows = await self._pool.fetch(_AT_BRANCH, tenant, branch_id)
        return [
            CheckedInHost(
                row["shift_id"], row["volunteer_id"], row["checked_in_at"], row["shift_ends_at"]
            )
            for row in rows
        ]
