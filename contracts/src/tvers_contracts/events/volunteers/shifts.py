"""A shift's life: proposed by the service or published by staff, claimed, released, waited
for, and cancelled. All on the shift's stream (``shift-<shift_id>``)."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from tvers_contracts.events.volunteers.base import (
    MOST_HOSTS,
    MOST_WAITING,
    ShiftRole,
    StaffRef,
    VolunteersEvent,
)
from tvers_contracts.values import Slug


class ShiftEvent(VolunteersEvent):
    """Base of the events on a shift's stream."""

    aggregate: ClassVar[str] = "shift"


class ShiftPublished(ShiftEvent):
    """A shift is open for claims: staff published it, or confirmed the service's proposal
    (``ShiftProposed``, earlier on the same stream). Version 2 adds ``role``; version 1 shifts
    were all hosting shifts and read as ``host``."""

    schema_version: ClassVar[int] = 2

    shift_id: UUID
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int = Field(ge=1, le=MOST_HOSTS)
    role: ShiftRole

    @model_validator(mode="after")
    def _ends_after_start(self) -> ShiftPublished:
        if self.ends_at <= self.starts_at:
            raise ValueError("a shift must end after it starts")
        return self


class HostingRuleApplied(BaseModel):
    """The branch's rule that made a proposal: the last ``last_minutes`` of each meirope period
    (none: the whole period), with ``hosts`` places."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    last_minutes: int | None = Field(ge=15, le=1440)
    hosts: int = Field(ge=1, le=MOST_HOSTS)


class ShiftProposed(ShiftEvent):
    """The service proposed a shift from a branch's meirope hours and its hosting rule. Nobody can
    claim it until staff confirm it (``ShiftPublished``) or it is withdrawn."""

    shift_id: UUID
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int = Field(ge=1, le=MOST_HOSTS)
    role: ShiftRole
    rule: HostingRuleApplied
    meirope_starts_at: AwareDatetime = Field(description="The meirope period's start.")
    meirope_ends_at: AwareDatetime = Field(description="The meirope period's end.")

    @model_validator(mode="after")
    def _within_its_meirope_period(self) -> ShiftProposed:
        if not self.meirope_starts_at <= self.starts_at < self.ends_at <= self.meirope_ends_at:
            raise ValueError(
                "a proposed shift lies within its meirope period, and ends after it starts"
            )
        return self


class WithdrawalReason(StrEnum):
    """Why a proposal was withdrawn: staff dismissed it; the meirope period it was proposed for
    is gone from the schedule (or changed); the branch's hosting rule now calls for another
    shift in that period."""

    DISMISSED_BY_STAFF = "dismissed_by_staff"
    MEIROPE_PERIOD_GONE = "meirope_period_gone"
    HOSTING_RULE_CHANGED = "hosting_rule_changed"


class ShiftProposalWithdrawn(ShiftEvent):
    """A proposed shift will not be published: staff dismissed it (``staff_id``), or, by rule (no
    ``staff_id``), the meirope period it was proposed for is gone from the schedule or the
    branch's hosting rule changed. Version 2 adds the reason ``hosting_rule_changed``; version 1
    reads the same in version 2."""

    schema_version: ClassVar[int] = 2

    shift_id: UUID
    branch_id: Slug
    reason: WithdrawalReason
    staff_id: StaffRef | None = Field(description="Who dismissed it; none when the rule did.")


class ShiftCancelled(ShiftEvent):
    """Staff cancelled a shift before it started. Everyone on it is told: ``volunteers`` held a
    place, ``waitlisted`` were waiting for one. Their places and waiting end with it."""

    shift_id: UUID
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    staff_id: StaffRef
    volunteers: list[UUID] = Field(max_length=MOST_HOSTS, description="Who held a place.")
    waitlisted: list[UUID] = Field(max_length=MOST_WAITING, description="Who was waiting.")


class ShiftPlaceEvent(ShiftEvent):
    """Something about one volunteer's place on a shift, with the shift's branch and times so
    that a consumer can count without keeping the shift."""

    shift_id: UUID
    volunteer_id: UUID
    branch_id: Slug
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class ShiftClaimed(ShiftPlaceEvent):
    """A volunteer took a place on a shift."""


class ShiftReleased(ShiftPlaceEvent):
    """A volunteer gave up their place on a shift before it started. When anyone was waiting, a
    ``PromotedFromWaitlist`` follows in the same append."""


class PromotedFromWaitlist(ShiftPlaceEvent):
    """A place freed, and the first volunteer on the waitlist who could take it got it, by rule
    and in the order they joined. It counts as a place taken, as ``ShiftClaimed`` does, and
    ends their waiting."""


class WaitlistJoined(ShiftEvent):
    """A volunteer joined a full shift's waitlist, behind those already on it."""

    shift_id: UUID
    volunteer_id: UUID


class WaitlistLeft(ShiftEvent):
    """A volunteer left a shift's waitlist."""

    shift_id: UUID
    volunteer_id: UUID


class ShiftReminderIssued(ShiftPlaceEvent):
    """A volunteer holding a place is reminded of the shift, the day before it (Europe/Oslo), or at
    once when they took the place later than that. Once per volunteer and shift; the e-mail is
    sent from this event."""
