"""Events owned by ``access``: meirope (staffless opening hours), doors, agreements, entries."""

from __future__ import annotations

import datetime as dt
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
    wall-clock times (Europe/Oslo, no offset), and the kind of opening. An end at or before the
    start lies on the next day: Friday 22:00-02:00 ends on Saturday at 02:00, and 00:00-00:00
    is the whole day. A period lasts at most 24 hours of wall-clock time."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    weekday: int = Field(ge=1, le=7, description="ISO weekday the period starts on, 1 = Monday.")
    starts: LocalTime
    ends: LocalTime = Field(
        description="At or before `starts`: on the next day (the period runs past midnight)."
    )
    kind: OpeningKind

    @property
    def overnight(self) -> bool:
        """Whether the period runs past midnight into the next day."""
        return self.ends <= self.starts


class WeeklyScheduleSet(AccessEvent):
    """A branch's weekly schedule was replaced. Times not covered by a period are closed.
    Version 2: a period may run past midnight (its end at or before its start); version 1
    periods all end after they start on the same day, and read the same in version 2."""

    aggregate: ClassVar[str] = "branch"
    schema_version: ClassVar[int] = 2

    branch_id: Slug
    periods: list[SchedulePeriod]


class DayPeriod(BaseModel):
    """One period of a dated exception's day: start and end as local wall-clock times
    (Europe/Oslo, no offset) and the kind of opening. It ends after it starts on the same day,
    or at midnight (an end of 00:00): 20:00-00:00 runs to the end of the day, and 00:00-00:00
    is the whole day."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    starts: LocalTime
    ends: LocalTime = Field(description="After `starts`, or 00:00 for midnight at the day's end.")
    kind: OpeningKind

    @model_validator(mode="after")
    def _ends_within_the_day(self) -> DayPeriod:
        if self.ends <= self.starts and self.ends != dt.time(0):
            raise ValueError(
                "a period of a dated exception ends after it starts, or at midnight (00:00)"
            )
        return self

    @property
    def until_midnight(self) -> bool:
        """Whether the period ends at the day's end (an end of 00:00)."""
        return self.ends == dt.time(0)


class ScheduleExceptionSet(AccessEvent):
    """The hours of one date were set apart from the weekly schedule: a holiday, a closure,
    extra or changed hours. The exception decides the whole date, midnight to midnight: its
    periods replace the weekly ones, and a weekly period of the day before that runs past
    midnight ends at midnight. No periods: closed all day. Setting a date again replaces it."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    date: dt.date = Field(description="The local (Europe/Oslo) date the exception is for.")
    periods: list[DayPeriod]
    label: str | None = Field(
        default=None,
        min_length=1,
        max_length=80,
        description="What the day is, shown with the hours: Julaftan, Stengt grunna straumbrot. "
        "Never a person's name.",
    )


class ScheduleExceptionRemoved(AccessEvent):
    """A dated exception was removed: the date follows the weekly schedule again."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    date: dt.date


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
    birth_date: dt.date | None = None
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


class BranchRetentionSet(AccessEvent):
    """How long a branch keeps each kind of door log linkable or in detail, in days."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    door_decisions_days: int = Field(
        ge=1,
        le=3650,
        description="After this many days a month's patron references can no longer be linked "
        "to a card: the month's key is destroyed.",
    )
    counter_days: int = Field(ge=1, le=3650, description="How long counter readings are kept.")
    alarms_days: int = Field(ge=1, le=3650, description="How long door alarms are kept.")


class PatronKeyDestroyed(AccessEvent):
    """The key behind a branch's door references of one month was destroyed: those references
    can never again be computed from a card, while every count stays."""

    aggregate: ClassVar[str] = "retention"

    branch_id: Slug
    month: dt.date = Field(description="The first day of the month (Europe/Oslo).")
    retention_days: int = Field(ge=1, description="The retention it was destroyed under.")


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
    ScheduleExceptionSet,
    ScheduleExceptionRemoved,
    DoorRegistered,
    BranchAccessRulesSet,
    BranchRetentionSet,
    PatronKeyDestroyed,
    AgreementSigned,
    AgreementSuspended,
    AgreementRestored,
    AgreementWithdrawn,
    EntryGranted,
    EntryDenied,
)
