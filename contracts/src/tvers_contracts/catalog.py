"""The registry of every published event of Samarbeid på tvers, with their upcasters."""

from __future__ import annotations

from tvers_contracts.events import access_v1
from tvers_contracts.events.access import ACCESS_EVENTS
from tvers_contracts.events.desk import DESK_EVENTS
from tvers_contracts.events.visits import VISITS_EVENTS
from tvers_contracts.events.visits import v1 as visits_v1
from tvers_contracts.events.volunteers import VOLUNTEERS_EVENTS
from tvers_contracts.events.volunteers import v1 as volunteers_v1
from tvers_contracts.registry import EventRegistry

#: Owning services, in the order their streams are listed.
SERVICES: tuple[str, ...] = ("access", "volunteers", "visits", "desk")

REGISTRY = EventRegistry(
    (
        *ACCESS_EVENTS,
        *access_v1.ACCESS_OLDER_VERSIONS,
        *VOLUNTEERS_EVENTS,
        *volunteers_v1.VOLUNTEERS_OLDER_VERSIONS,
        *VISITS_EVENTS,
        *visits_v1.VISITS_OLDER_VERSIONS,
        *DESK_EVENTS,
    )
)
access_v1.register_upcasters(REGISTRY)
volunteers_v1.register_upcasters(REGISTRY)
visits_v1.register_upcasters(REGISTRY)
