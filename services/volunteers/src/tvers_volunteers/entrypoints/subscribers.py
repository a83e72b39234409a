"""What the volunteers service takes from events (FastStream subscribers, run by the service
host; see :mod:`tvers_runtime.subscriber`).

- The branches, from access's ``BranchRegistered``: shifts may refer only to a branch known
  here (see :mod:`tvers_runtime.known_branches`).
- Its own ``VolunteerDeactivated`` and ``VolunteerErased`` (durable ``volunteers-leavers``): the
  volunteer's future places are given up, each to the next on the waitlist, and their waiting
  ends. From the event rather than in the command, so that it happens even when the process
  stops right after the command; doing it again finds nothing left to do.
- The branches' hours, from access's schedule events (durable ``volunteers-schedules``, see
  :mod:`.schedule_subscriber`): the proposer proposes shifts from them.
"""

from __future__ import annotations

from collections.abc import Callable

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.volunteers import VolunteerDeactivated, VolunteerErased
from tvers_runtime.db.types import Connection
from tvers_runtime.known_branches import branches_subscriber
from tvers_runtime.subscriber import Subscriber
from tvers_volunteers.entrypoints.schedule_subscriber import Wake, schedules_subscriber
from tvers_volunteers.place_cases import PlaceCases


def leavers_subscriber(cases: Callable[[], PlaceCases]) -> Subscriber:
    """Give up the future places of volunteers who were deactivated or erased. ``cases`` gives
    the use cases once the service has wired them."""

    async def give_up_places(_: Connection, envelope: Envelope[DomainEvent]) -> None:
        event = envelope.payload
        assert isinstance(event, VolunteerDeactivated | VolunteerErased)
        await cases().give_up_future_places(envelope.tenant, event.volunteer_id)

    return Subscriber(
        durable="volunteers-leavers",
        source="volunteers",
        events=(VolunteerDeactivated, VolunteerErased),
        effect=give_up_places,
    )


def _no_wake(_tenant: str, _branch_id: str) -> None:
    """No proposer to wake (the declared subscribers, for their names and subjects)."""


def subscribers(cases: Callable[[], PlaceCases], wake: Wake = _no_wake) -> tuple[Subscriber, ...]:
    """Every subscriber of the service (``wake`` is the proposer's)."""
    return (
        branches_subscriber("volunteers"),
        leavers_subscriber(cases),
        schedules_subscriber(wake),
    )


def _not_wired() -> PlaceCases:
    raise RuntimeError("the subscribers run only in a wired service (see bootstrap.build_app)")


#: The service's subscribers as declared, for what needs only their names and subjects (the
#: NATS permissions); the bootstrap makes its own, wired to its use cases.
SUBSCRIBERS = subscribers(_not_wired)
