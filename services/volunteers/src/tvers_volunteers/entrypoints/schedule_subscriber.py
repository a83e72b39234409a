"""The service's own view of each branch's hours, from the access service's schedule events
(durable ``volunteers-schedules``; decision 0025), and a wake-up for the proposer.

Each event carries all it sets of one key: ``WeeklyScheduleSet`` the branch's whole week,
``ScheduleExceptionSet`` and ``ScheduleExceptionRemoved`` one date. All three travel on the
branch's stream (``branch-<id>``), so a version guard per stream would let a later exception make
an earlier week stale when they arrive out of order. The guard here is per key instead: the week
(``branch-<id>/weekly``) and each date (``branch-<id>/<date>``). The newest event of each key
wins, in any order of arrival; a copy of an event changes nothing (the inbox).
"""

from __future__ import annotations

from collections.abc import Callable

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.access import (
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    WeeklyScheduleSet,
)
from tvers_runtime.db.types import Connection
from tvers_runtime.subscriber import Subscriber
from tvers_volunteers.adapters import branch_schedules

#: Told the tenant and branch whose hours changed.
Wake = Callable[[str, str], None]


def schedule_key(envelope: Envelope[DomainEvent]) -> str:
    """The key an event sets all of: the branch's week, or one of its dates."""
    event = envelope.payload
    if isinstance(event, ScheduleExceptionSet | ScheduleExceptionRemoved):
        return f"{envelope.stream_id}/{event.date.isoformat()}"
    return f"{envelope.stream_id}/weekly"


def schedules_subscriber(wake: Wake) -> Subscriber:
    """Keep the branches' hours; ``wake`` the proposer for the branch whose hours changed."""

    async def learn_hours(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
        event = envelope.payload
        assert isinstance(
            event, WeeklyScheduleSet | ScheduleExceptionSet | ScheduleExceptionRemoved
        )
        await branch_schedules.learn(connection, envelope.tenant, event)
        wake(envelope.tenant, event.branch_id)

    return Subscriber(
        durable="volunteers-schedules",
        source="access",
        events=(WeeklyScheduleSet, ScheduleExceptionSet, ScheduleExceptionRemoved),
        effect=learn_hours,
        version_key=schedule_key,
    )
