"""The branches' rooms for class visits: how many pupils each holds at once. One stream per
tenant (``visit-rooms-<tenant>``). Pure, no I/O.

A branch whose room was never set hosts one visit at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tvers_contracts import DomainEvent
from tvers_contracts.events.visits import VisitRoomSet


def stream(tenant: str) -> str:
    """The tenant's rooms' stream id."""
    return f"visit-rooms-{tenant}"


@dataclass(frozen=True)
class VisitRooms:
    """Pupils each branch's room holds, by branch id (unset: one visit at a time)."""

    pupils: dict[str, int] = field(default_factory=dict)

    def holds(self, branch_id: str) -> int | None:
        """The pupils the branch's room holds, or None: one visit at a time."""
        return self.pupils.get(branch_id)


NO_ROOMS = VisitRooms()


def evolve(rooms: VisitRooms, event: DomainEvent) -> VisitRooms:
    """The rooms after an event."""
    if isinstance(event, VisitRoomSet):
        return VisitRooms({**rooms.pupils, event.branch_id: event.pupils})
    return rooms


def set_room(rooms: VisitRooms, branch_id: str, pupils: int) -> list[DomainEvent]:
    """Say how many pupils a branch's room holds (no event when it already does)."""
    if rooms.holds(branch_id) == pupils:
        return []
    return [VisitRoomSet(branch_id=branch_id, pupils=pupils)]
