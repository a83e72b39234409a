"""Events owned by ``access``: meirope (staffless opening hours), doors, agreements, entries."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tvers_contracts.event import DomainEvent
from tvers_contracts.values import LocalTime, OpeningKind, PatronRef, Slug


class AccessEvent(DomainEvent):
    """Base of the events of the access service."""

    service: ClassVar[str] = "access"


class BranchRegistered(AccessEvent):
    """A library branch was set up for door access."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    name: str = Field(min_length=1, max_length=120)
    meirope_min_age: int = Field(ge=0, le=120, description="Minimum age for a meirope agreement.")


class SchedulePeriod(BaseModel):
    """One weekly period of a branch: ISO weekday (1 = Monday), start and end as local
    wall-clock times (Europe/Oslo, no offset), and the kind of opening."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    weekday: int = Field(ge=1, le=7)
    starts: LocalTime
    ends: LocalTime
    kind: OpeningKind

    @model_validator(mode="after")
    def _ends_after_start(self) -> SchedulePeriod:
        if self.ends <= self.starts:
            raise ValueError("a period must end after it starts")
        return self


class WeeklyScheduleSet(AccessEvent):
    """A branch's weekly schedule was replaced. Times not covered by a period are closed."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    periods: list[SchedulePeriod]


class DoorRegistered(AccessEvent):
    """A door panel was installed at a branch."""

    aggregate: ClassVar[str] = "door"

    door_id: Slug
    branch_id: Slug
    name: str = Field(min_length=1, max_length=120)


class AgreementSigned(AccessEvent):
    """A patron signed the meirope agreement (with a guardian's consent where under age)."""

    aggregate: ClassVar[str] = "agreement"

    patron_ref: PatronRef
    guardian_consent: bool = False


class DenialReason(StrEnum):
    """Why a door stayed shut."""

    OUTSIDE_MEIROPE_HOURS = "outside_meirope_hours"
    NO_AGREEMENT = "no_agreement"
    SUSPENDED = "suspended"
    WRONG_PIN = "wrong_pin"
    UNKNOWN_CARD = "unknown_card"
    UNDER_AGE = "under_age"
    LIBRARY_SYSTEM_UNREACHABLE = "library_system_unreachable"


class EntryGranted(AccessEvent):
    """A patron presented card and PIN at a door and was let in."""

    aggregate: ClassVar[str] = "door"

    door_id: Slug
    branch_id: Slug
    patron_ref: PatronRef
    opening: OpeningKind = Field(description="Staffed or meirope hours when the door opened.")


class EntryDenied(AccessEvent):
    """A patron presented card and PIN at a door and was refused, with the reason."""

    aggregate: ClassVar[str] = "door"

    door_id: Slug
    branch_id: Slug
    patron_ref: PatronRef
    opening: OpeningKind
    reason: DenialReason


ACCESS_EVENTS: tuple[type[DomainEvent], ...] = (
    BranchRegistered,
    WeeklyScheduleSet,
    DoorRegistered,
    AgreementSigned,
    EntryGranted,
    EntryDenied,
)
