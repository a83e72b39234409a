"""Older schema versions of ``volunteers`` events, kept so that stored and published events of
those versions can still be read, and with their upcasters to the current version.

Each class keeps the name, docstring and fields it was published with, so that its generated JSON
Schema (``schemas/volunteers/<Event>.v<N>.json``) stays exactly what was published. Import this
module as ``volunteers_v1`` and name its classes through it: ``volunteers_v1.ShiftPublished``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from tvers_contracts.event import DomainEvent
from tvers_contracts.events.volunteers.base import ShiftRole, StaffRef
from tvers_contracts.registry import EventRegistry
from tvers_contracts.values import Slug


class ShiftPublished(DomainEvent):
    """Staff published a hosting shift at a branch, for a number of volunteers."""

    service: ClassVar[str] = "volunteers"
    aggregate: ClassVar[str] = "shift"
    schema_version: ClassVar[int] = 1
    type_name: ClassVar[str | None] = "ShiftPublished"

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


class WithdrawalReason(StrEnum):
    """Why a proposal was withdrawn."""

    DISMISSED_BY_STAFF = "dismissed_by_staff"
    MEIROPE_PERIOD_GONE = "meirope_period_gone"


class ShiftProposalWithdrawn(DomainEvent):
    """A proposed shift will not be published: staff dismissed it (``staff_id``), or the meirope
    period it was proposed for is gone from the schedule (no ``staff_id``)."""

    service: ClassVar[str] = "volunteers"
    aggregate: ClassVar[str] = "shift"
    schema_version: ClassVar[int] = 1
    type_name: ClassVar[str | None] = "ShiftProposalWithdrawn"

    shift_id: UUID
    branch_id: Slug
    reason: WithdrawalReason
    staff_id: StaffRef | None = Field(description="Who dismissed it; none when the rule did.")


#: The older versions, for the registry.
VOLUNTEERS_OLDER_VERSIONS: tuple[type[DomainEvent], ...] = (ShiftPublished, ShiftProposalWithdrawn)


def register_upcasters(registry: EventRegistry) -> None:
    """Add the upcasters of ``volunteers`` events to ``registry``."""

    @registry.upcaster("ShiftPublished", from_version=1)
    def hosting_shifts(payload: dict[str, Any]) -> dict[str, Any]:
        # Version 1 shifts were all hosting shifts ("a hosting shift at a branch").
        return {**payload, "role": ShiftRole.HOST.value}

    @registry.upcaster("ShiftProposalWithdrawn", from_version=1)
    def one_more_reason(payload: dict[str, Any]) -> dict[str, Any]:
        # Version 2 only adds a reason: a version 1 payload reads the same.
        return payload
