"""The subscriber that keeps a service's view of each branch's hours, from the access service's
schedule events (durable ``<service>-schedules``), and may wake the service for the branch whose
hours changed (the volunteers' proposer).

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
from tvers_runtime.branch_schedules.view import learn
from tvers_runtime.db.types import Connection
from tvers_runtime.subscriber import Subscriber

#: Told the tenant and branch whose hours changed (from inside the subscriber's transaction,
#: which commits a moment later).
Wake = Callable[[str, str], None]


def schedule_key(envelope: Envelope[DomainEvent]) -> str:
    """The key an event sets all of: the branch's week, or one of its dates."""
    event = envelope.payload
    if isinstance(event, ScheduleExceptionSet | ScheduleExceptionRemoved):
        return f"{envelope.stream_id}/{event.date.isoformat()}"
    return f"{envelope.stream_id}/weekly"


def schedules_subscriber(service: str, wake: Wake | None = None) -> Subscriber:
    """Keep ``service``'s view of the branches' hours (durable ``<service>-schedules``);
    ``wake`` it for the branch whose hours changed, if it asks to be woken."""

    async def learn_hours(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
        event = envelope.payload
        assert isinstance(
            event, WeeklyScheduleSet | ScheduleExceptionSet | ScheduleExceptionRemoved
        )
        await learn(connection, envelope.tenant, event)
        if wake is not None:
            wake(envelope.tenant, event.branch_id)

    return Subscriber(
        durable=f"{service}-schedules",
        source="access",
        events=(WeeklyScheduleSet, ScheduleExceptionSet, ScheduleExceptionRemoved),
        effect=learn_hours,
        version_key=schedule_key,
    )
