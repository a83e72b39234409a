"""Events owned by ``access``: meirope (staffless opening hours), doors, agreements, entries."""

from __future__ import annotations

from datetime import date
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


class UnreachablePolicy(StrEnum):
    """What a branch's doors do in meirope hours while the library system cannot be asked."""

    FAIL_CLOSED = "fail_closed"
    AGREEMENT_HOLDERS = "agreement_holders"


class BranchAccessRulesSet(AccessEvent):
    """A branch's rules for meirope entry were set: the ages, the guardian window, and what the
    doors do while the library system is unreachable."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    meirope_min_age: int = Field(
        ge=0, le=120, description="Below this age the agreement needs a guardian's consent."
    )
    unaccompanied_min_age: int = Field(
        ge=0,
        le=120,
        description="Below this age a patron comes in only just after their guardian, at the "
        "same door. At most meirope_min_age.",
    )
    guardian_window_seconds: int = Field(
        ge=5, le=600, description="How long after the guardian's entry the child may follow."
    )
    when_unreachable: UnreachablePolicy

    @model_validator(mode="after")
    def _ages_in_order(self) -> BranchAccessRulesSet:
        if self.unaccompanied_min_age > self.meirope_min_age:
            raise ValueError("unaccompanied_min_age cannot be above meirope_min_age")
        return self


class AgreementSigned(AccessEvent):
    """A patron signed the meirope agreement (with a guardian's consent where under age).

    ``patron_ref`` is the patron's stable agreement reference (not the monthly one door events
    carry). ``birth_date`` is what staff saw when signing, used when the library system sends no
    birth date; ``guardian_ref`` is the agreement reference of the guardian a child comes in with.
    """

    aggregate: ClassVar[str] = "agreement"

    patron_ref: PatronRef
    guardian_consent: bool = False
    birth_date: date | None = None
    guardian_ref: PatronRef | None = None


class SuspensionReason(StrEnum):
    """Why staff suspended an agreement: a closed list, so no free text (and no personal data)
    travels with it."""

    LET_OTHERS_IN = "let_others_in"
    RULES_BROKEN = "rules_broken"
    DAMAGE = "damage"
    OTHER = "other"


class AgreementSuspended(AccessEvent):
    """Staff suspended a patron's meirope access."""

    aggregate: ClassVar[str] = "agreement"

    patron_ref: PatronRef
    reason: SuspensionReason


class AgreementRestored(AccessEvent):
    """Staff restored a suspended agreement."""

    aggregate: ClassVar[str] = "agreement"

    patron_ref: PatronRef


class AgreementWithdrawn(AccessEvent):
    """The agreement ended (the patron or staff withdrew it); signing again starts a new one."""

    aggregate: ClassVar[str] = "agreement"

    patron_ref: PatronRef


class DenialReason(StrEnum):
    """Why a door stayed shut."""

    OUTSIDE_MEIROPE_HOURS = "outside_meirope_hours"
    NO_AGREEMENT = "no_agreement"
    SUSPENDED = "suspended"
    WRONG_PIN = "wrong_pin"
    UNKNOWN_CARD = "unknown_card"
    BLOCKED_CARD = "blocked_card"
    UNDER_AGE = "under_age"
    LIBRARY_SYSTEM_UNREACHABLE = "library_system_unreachable"


class EntryGranted(AccessEvent):
    """A patron presented card and PIN at a door and was let in."""

    aggregate: ClassVar[str] = "door"

    door_id: Slug
    branch_id: Slug
    patron_ref: PatronRef
    opening: OpeningKind = Field(description="Staffed or meirope hours when the door opened.")
    verified: bool = Field(
        default=False,
        description="Whether the library system confirmed card and PIN. It is asked in meirope "
        "hours only; false also when it was unreachable and the branch lets agreement holders in "
        "regardless.",
    )


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
    BranchAccessRulesSet,
    AgreementSigned,
    AgreementSuspended,
    AgreementRestored,
    AgreementWithdrawn,
    EntryGranted,
    EntryDenied,
)
