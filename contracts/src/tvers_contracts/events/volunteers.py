"""Events owned by ``volunteers``: bibliotekvenn shifts. No personal data ever: volunteers are
opaque ids here, and their names and contact details stay in the volunteers service."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from tvers_contracts.event import DomainEvent
from tvers_contracts.values import Slug


class VolunteersEvent(DomainEvent):
    """Base of the events of the volunteers service."""

    service: ClassVar[str] = "volunteers"


class ShiftPublished(VolunteersEvent):
    """Staff published a hosting shift at a branch, for a number of volunteers."""

    aggregate: ClassVar[str] = "shift"

    shift_id: UUID
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int = Field(ge=1, le=20)

    @model_validator(mode="after")
    def _ends_after_start(self) -> ShiftPublished:
        if self.ends_at <= self.starts_at:
            raise ValueError("a shift must end after it starts")
        return self


class ShiftClaimed(VolunteersEvent):
    """A volunteer took a place on a shift."""

    aggregate: ClassVar[str] = "shift"

    shift_id: UUID
    volunteer_id: UUID
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime


VOLUNTEERS_EVENTS: tuple[type[DomainEvent], ...] = (ShiftPublished, ShiftClaimed)
