"""What the volunteers service takes from events (FastStream subscribers, run by the service
host; see :mod:`tvers_runtime.subscriber`).

- The branches, from access's ``BranchRegistered``: shifts may refer only to a branch known
  here (see :mod:`tvers_runtime.known_branches`).
- Its own ``VolunteerDeactivated`` and ``VolunteerErased`` (durable ``volunteers-leavers``): the
  volunteer's future places are given up, each to the next on the waitlist, and their waiting
  ends. From the event rather than in the command, so that it happens even when the process
  stops right after the command; doing it again finds nothing left to do.
- Mail to volunteers, from its own ``ShiftReminderIssued`` and ``ShiftCancelled`` (durable
  ``volunteers-mail``, see :mod:`.mail`).
"""

from __future__ import annotations

from collections.abc import Callable

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.events.volunteers import VolunteerDeactivated, VolunteerErased
from tvers_runtime.db.types import Connection
from tvers_runtime.known_branches import branches_subscriber
from tvers_runtime.subscriber import Subscriber
from tvers_volunteers.entrypoints.mail import MAIL
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


def subscribers(cases: Callable[[], PlaceCases]) -> tuple[Subscriber, ...]:
    """Every subscriber of the service."""
    return (branches_subscriber("volunteers"), leavers_subscriber(cases), MAIL)


def _not_wired() -> PlaceCases:
    raise RuntimeError("the subscribers run only in a wired service (see bootstrap.build_app)")


#: The service's subscribers as declared, for what needs only their names and subjects (the
#: NATS permissions); the bootstrap makes its own, wired to its use cases.
SUBSCRIBERS = subscribers(_not_wired)
