"""Attendance on a shift: check-in and check-out (which ``access`` subscribes to, decision
0016), no-shows, and staff corrections of the hours served. All on the shift's stream."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from tvers_contracts.events.volunteers.base import MOST_HOSTS, StaffRef, VolunteersEvent
from tvers_contracts.values import Slug


class PresentHost(BaseModel):
    """A volunteer checked in on a shift and not checked out: who (an opaque id) and since when."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    volunteer_id: UUID
    checked_in_at: AwareDatetime


class ShiftAttendanceEvent(VolunteersEvent):
    """A check-in or a check-out on a shift.

    Published on the shift's own stream (``shift-<shift_id>``), in the order they happened, and
    each carries ``present``: every volunteer checked in on the shift once the event has happened.
    A subscriber that keeps only the newest of a shift's events (a version guard per stream)
    therefore still knows the whole shift, however the events of two volunteers on one shift
    reach it.
    """

    aggregate: ClassVar[str] = "shift"

    shift_id: UUID
    branch_id: Slug
    volunteer_id: UUID
    starts_at: AwareDatetime = Field(description="The shift's start.")
    ends_at: AwareDatetime = Field(description="The shift's end.")
    present: list[PresentHost] = Field(
        max_length=MOST_HOSTS,
        description="Every volunteer checked in on the shift once this event has happened, "
        "each once: the newest check-in or check-out of a shift (stream shift-<shift_id>) says "
        "who is there, whatever order a subscriber receives them in.",
    )

    @model_validator(mode="after")
    def _a_shift_and_its_hosts(self) -> ShiftAttendanceEvent:
        if self.ends_at <= self.starts_at:
            raise ValueError("a shift must end after it starts")
        ids = [host.volunteer_id for host in self.present]
        if len(set(ids)) != len(ids):
            raise ValueError("a volunteer is present on a shift at most once")
        return self

    def present_host(self, volunteer_id: UUID) -> PresentHost | None:
        """A volunteer's entry in ``present``, if they are there."""
        return next((host for host in self.present if host.volunteer_id == volunteer_id), None)


class VolunteerCheckedIn(ShiftAttendanceEvent):
    """A volunteer who holds a place on a shift checked in at the branch, near the shift's time.
    Published on the shift's stream; ``present`` includes them."""

    checked_in_at: AwareDatetime

    @model_validator(mode="after")
    def _present_after_check_in(self) -> VolunteerCheckedIn:
        host = self.present_host(self.volunteer_id)
        if host is None or host.checked_in_at != self.checked_in_at:
            raise ValueError("present must include the volunteer who checked in, since then")
        return self


class VolunteerCheckedOut(ShiftAttendanceEvent):
    """A volunteer checked out of a shift, or was checked out by rule (``closed_by_rule``): a
    check-out forgotten by the end of the day is closed at the shift's end. Published on the
    shift's stream; ``present`` no longer includes them. The hours served run from
    ``checked_in_at`` to ``checked_out_at``."""

    checked_in_at: AwareDatetime
    checked_out_at: AwareDatetime
    closed_by_rule: bool = Field(
        description="True when nobody checked out and the rule closed the check-out at the "
        "shift's end.",
    )

    @model_validator(mode="after")
    def _gone_after_check_out(self) -> VolunteerCheckedOut:
        if self.checked_out_at < self.checked_in_at:
            raise ValueError("a check-out cannot come before its check-in")
        if self.present_host(self.volunteer_id) is not None:
            raise ValueError("present must not include the volunteer who checked out")
        return self


class NoShowRecorded(VolunteersEvent):
    """A volunteer held a place on a shift and never checked in by its end: recorded by rule at
    the shift's end, once. A later staff correction (``AttendanceCorrected``) can still give them
    hours; reporting counts a no-show so corrected as attended."""

    aggregate: ClassVar[str] = "shift"

    shift_id: UUID
    volunteer_id: UUID
    branch_id: Slug
    starts_at: AwareDatetime = Field(description="The shift's start.")
    ends_at: AwareDatetime = Field(description="The shift's end.")


class CorrectionReason(StrEnum):
    """Why staff corrected a volunteer's hours on a shift: a closed list, so no free text (and no
    personal data) enters the events."""

    FORGOT_CHECK_IN = "forgot_check_in"
    FORGOT_CHECK_OUT = "forgot_check_out"
    WRONG_TIME = "wrong_time"
    DID_NOT_ATTEND = "did_not_attend"
    OTHER = "other"


class AttendanceCorrected(VolunteersEvent):
    """Staff set the time a volunteer served on a shift, replacing what check-in and check-out
    (or the rule, or an earlier correction) said. The hours served on the shift are from
    ``checked_in_at`` to ``checked_out_at``; equal times mean none (``did_not_attend``). Only for
    a volunteer not checked in at the time, so it never changes who is present."""

    aggregate: ClassVar[str] = "shift"

    shift_id: UUID
    volunteer_id: UUID
    branch_id: Slug
    checked_in_at: AwareDatetime
    checked_out_at: AwareDatetime
    staff_id: StaffRef
    reason: CorrectionReason

    @model_validator(mode="after")
    def _out_after_in(self) -> AttendanceCorrected:
        if self.checked_out_at < self.checked_in_at:
            raise ValueError("a check-out cannot come before its check-in")
        return self
