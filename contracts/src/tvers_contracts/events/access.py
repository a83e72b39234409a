"""Events owned by ``access``: meirope (staffless opening hours), doors, agreements, entries."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, model_validator

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

    #: Strict, as the request bodies that carry periods are (decision 0017): "3" or true is no
    #: weekday. The JSON Schema is the same; events only ever hold JSON integers here.
    weekday: StrictInt = Field(
        ge=1, le=7, description="ISO weekday the period starts on, 1 = Monday."
    )
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


class AgreementStanding(StrEnum):
    """Where an agreement stands when it is carried over to a new patron key."""

    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


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


class AgreementMoved(AccessEvent):
    """The patron key was rotated: the agreement kept under ``patron_ref`` (the previous key's
    reference) goes on under ``new_ref`` (the current key's). Recorded on the old stream, which
    keeps its history; no card number, only the two keyed references."""

    aggregate: ClassVar[str] = "agreement"

    patron_ref: PatronRef
    new_ref: PatronRef


class AgreementRekeyed(AccessEvent):
    """The first event of an agreement carried over from ``previous_ref`` (the previous patron
    key's reference) to ``patron_ref`` (the current key's): the agreement as it stood there."""

    aggregate: ClassVar[str] = "agreement"

    patron_ref: PatronRef
    previous_ref: PatronRef
    standing: AgreementStanding
    guardian_consent: bool = False
    birth_date: dt.date | None = None
    guardian_ref: PatronRef | None = None
    suspension: SuspensionReason | None = None


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


# Occupancy, closing and alarms (decision 0015). None of these names a person: a counter counts
# passages, a door controller reports its door, and the scheduler speaks of the building.

#: The most passages one counter report may carry (a report covers seconds, not hours).
MAX_PASSAGES_PER_REPORT = 500


class PeopleCounted(AccessEvent):
    """A people counter at a door reported the passages it counted since its previous report:
    entries and exits, at the counter's own time and with its own sequence number (which may
    start again from 0 after the counter restarts). Occupancy follows from these reports."""

    aggregate: ClassVar[str] = "door"

    door_id: Slug
    branch_id: Slug
    entries: int = Field(ge=0, le=MAX_PASSAGES_PER_REPORT, description="People who came in.")
    exits: int = Field(ge=0, le=MAX_PASSAGES_PER_REPORT, description="People who went out.")
    counted_at: AwareDatetime = Field(description="When the counter counted them, by its clock.")
    sequence: int = Field(
        ge=0, le=2**53 - 1, description="The counter's own number of this report."
    )


class DoorAlarmKind(StrEnum):
    """What a door controller reports."""

    HELD_OPEN = "held_open"
    FORCED = "forced"


class DoorAlarmRaised(AccessEvent):
    """A door controller raised an alarm: the door was held open too long, or forced open."""

    aggregate: ClassVar[str] = "door"

    door_id: Slug
    branch_id: Slug
    kind: DoorAlarmKind
    raised_at: AwareDatetime = Field(description="When the controller raised it, by its clock.")


class TailgatingSuspected(AccessEvent):
    """In meirope hours a counter counted more people coming in at a door than the door let in:
    within the window before ``counted_at``, ``counted`` entries against ``granted`` entries.
    Who came in is not known, and no patron is named."""

    aggregate: ClassVar[str] = "door"

    door_id: Slug
    branch_id: Slug
    counted: int = Field(ge=1, description="Entries counted within the window.")
    granted: int = Field(ge=0, description="Entries the door granted within the window.")
    window_seconds: int = Field(ge=1, le=600)
    counted_at: AwareDatetime = Field(description="The counter report that did not add up.")


class OccupancyRulesSet(AccessEvent):
    """A branch's rules for closing and the counter were set: how many minutes before a meirope
    closing it is announced, how long after the closing the building is checked for people
    still inside, and the window in which counted entries must match granted ones."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    announce_minutes_before: list[int] = Field(
        max_length=6,
        description="Minutes before a meirope closing at which it is announced, each from 1 to "
        "120, distinct, largest first. Empty: no announcements.",
    )
    check_after_minutes: int = Field(
        ge=0,
        le=30,
        description="How long after a meirope closing the building-empty check runs; people "
        "counted out until then are not reported.",
    )
    tailgating_window_seconds: int = Field(ge=2, le=120)

    @model_validator(mode="after")
    def _minutes_in_order(self) -> OccupancyRulesSet:
        minutes = self.announce_minutes_before
        if any(not 1 <= m <= 120 for m in minutes):
            raise ValueError("each announcement is from 1 to 120 minutes before the closing")
        if minutes != sorted(set(minutes), reverse=True):
            raise ValueError("announcement minutes must be distinct, largest first")
        return self


class ClosingAnnounced(AccessEvent):
    """The building announces that meirope hours end: ``minutes_before`` minutes before
    ``period_ends``, the end of a meirope period followed by closed hours."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    period_ends: AwareDatetime = Field(description="When the meirope period ends.")
    minutes_before: int = Field(ge=1, le=120)
    due_at: AwareDatetime = Field(
        description="When the announcement was due; the envelope's occurred_at is when it was "
        "made (later, if the scheduler caught up after a pause)."
    )


class OccupantsRemainedAtClosing(AccessEvent):
    """The counter still saw people inside after a meirope period ended: ``count`` of them at
    ``checked_at``. The branch status shows it until staff clear it."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    period_ends: AwareDatetime
    checked_at: AwareDatetime = Field(description="The moment the count is for.")
    count: int = Field(ge=1)


class OccupantsCleared(AccessEvent):
    """Staff found the building empty (or saw the last people out): the open alerts of the
    closings listed are cleared, and occupancy counts from zero again from this moment."""

    aggregate: ClassVar[str] = "branch"

    branch_id: Slug
    closings: list[AwareDatetime] = Field(
        description="The period ends of the alerts cleared; empty when staff only set the count "
        "back to zero."
    )
    occupancy_before: int = Field(ge=0, description="What the counter said before the clear.")
    cleared_at: AwareDatetime = Field(description="From this moment occupancy counts from zero.")


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
    AgreementMoved,
    AgreementRekeyed,
    EntryGranted,
    EntryDenied,
    PeopleCounted,
    DoorAlarmRaised,
    TailgatingSuspected,
    OccupancyRulesSet,
    ClosingAnnounced,
    OccupantsRemainedAtClosing,
    OccupantsCleared,
)
