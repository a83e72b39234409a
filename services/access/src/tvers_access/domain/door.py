"""A door panel, installed at a branch."""

from __future__ import annotations

from dataclasses import dataclass

from tvers_access.domain.branch import Branch
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import DoorRegistered
from tvers_runtime.domain import Conflict, NotFound


@dataclass(frozen=True)
class Door:
    """What the rules need to know of a door."""

    door_id: str | None = None
    branch_id: str | None = None


NO_DOOR = Door()


def evolve(door: Door, event: DomainEvent) -> Door:
    """The door after an event."""
    if isinstance(event, DoorRegistered):
        return Door(event.door_id, event.branch_id)
    return door


def register(door: Door, branch: Branch, *, door_id: str, name: str) -> list[DomainEvent]:
    """Register a door at an existing branch."""
    if door.door_id is not None:
        raise Conflict(f"door {door_id!r} is already registered")
    if branch.branch_id is None:
        raise NotFound("the door's branch is not registered")
    return [DoorRegistered(door_id=door_id, branch_id=branch.branch_id, name=name)]
