"""Volunteers who leave give up their future places (decision 0021).

The service's own ``VolunteerDeactivated`` and ``VolunteerErased`` (durable
``volunteers-leavers``) queue the volunteer, in the subscriber's inbox transaction; a task of
the service then gives up their places on shifts not yet started (each to the next able
volunteer on the waitlist) and ends their waiting, outside any transaction. From the event
rather than in the command, so that it happens even when the process stops right after the
command; doing it again finds nothing left to do.
"""

from __future__ import annotations

import structlog

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.volunteers import VolunteerDeactivated, VolunteerErased
from tvers_runtime.aio import repeat
from tvers_runtime.db.types import Connection
from tvers_runtime.subscriber import Subscriber
from tvers_volunteers.adapters.leavers import PostgresLeavers, note_leaver
from tvers_volunteers.place_cases import PlaceCases

log = structlog.get_logger(__name__)


async def _queue(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    event = envelope.payload
    assert isinstance(event, VolunteerDeactivated | VolunteerErased)
    await note_leaver(connection, volunteer_id=event.volunteer_id, tenant=envelope.tenant)


LEAVERS = Subscriber(
    durable="volunteers-leavers",
    source="volunteers",
    events=(VolunteerDeactivated, VolunteerErased),
    effect=_queue,
)


async def give_up_places_of_leavers(
    leavers: PostgresLeavers, cases: PlaceCases, *, interval: float = 1.0
) -> None:
    """Work off the queue until cancelled."""

    async def work_off() -> None:
        for leaver in await leavers.lease():
            changed = await cases.give_up_future_places(leaver.tenant, leaver.volunteer_id)
            await leavers.done(leaver)
            log.info(
                "places_of_leaver_given_up", volunteer_id=str(leaver.volunteer_id), shifts=changed
            )

    await repeat(work_off, interval=interval, failed="giving_up_places_failed")
