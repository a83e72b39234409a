"""A shift at a branch, as its events leave it: proposed or published, its places and waitlist,
who is checked in, and what the time-driven rules have already done. Pure, no I/O.

The decisions about a shift live beside it: :mod:`.publishing` (publish, propose, confirm,
withdraw, cancel), :mod:`.claims` (claim, release, waitlist), :mod:`.attendance` (check-in,
check-out, corrections) and :mod:`.time_driven` (what falls due by the clock).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    AttendanceCorrected,
    NoShowRecorded,
    PresentHost,
    PromotedFromWaitlist,
    ShiftCancelled,
    ShiftClaimed,
    ShiftProposalWithdrawn,
    ShiftProposed,
    ShiftPublished,
    ShiftReleased,
    ShiftReminderIssued,
    ShiftRole,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
    WaitlistJoined,
    WaitlistLeft,
    WithdrawalReason,
)
from tvers_runtime.domain import Conflict, NotFound


class Stage(StrEnum):
    """Where a shift stands."""

    NONE = "none"
    PROPOSED = "proposed"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Served:
    """The time a volunteer served on a shift: from check-in to check-out, as the volunteer, the
    rule (``closed_by_rule``) or staff (``corrected``) last set it."""

    volunteer_id: UUID
    checked_in_at: datetime
    checked_out_at: datetime
    closed_by_rule: bool = False
    corrected: bool = False

    @property
    def duration(self) -> timedelta:
        """How long the volunteer served."""
        return self.checked_out_at - self.checked_in_at


@dataclass(frozen=True)
class Shift:
    """What the rules need to know of a shift. ``volunteers`` hold places, in the order they
    took them; ``waitlist`` waits, in the order they joined."""

    shift_id: UUID | None = None
    branch_id: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int = 0
    role: ShiftRole = ShiftRole.HOST
    stage: Stage = Stage.NONE
    volunteers: tuple[UUID, ...] = ()
    waitlist: tuple[UUID, ...] = ()
    present: tuple[PresentHost, ...] = ()
    served: tuple[Served, ...] = ()
    no_shows: frozenset[UUID] = frozenset()
    reminded: frozenset[UUID] = frozenset()
    #: A proposal's meirope period (start, end), as it was when proposed.
    meirope: tuple[datetime, datetime] | None = None
    #: Why a proposal was withdrawn.
    withdrawal: WithdrawalReason | None = None

    @property
    def places_left(self) -> int:
        """Free places."""
        return max(self.capacity - len(self.volunteers), 0)

    def is_present(self, volunteer_id: UUID) -> bool:
        """Whether the volunteer is checked in and not checked out."""
        return any(host.volunteer_id == volunteer_id for host in self.present)

    def served_by(self, volunteer_id: UUID) -> Served | None:
        """The volunteer's served time, once they checked out (or staff set it)."""
        return next((s for s in self.served if s.volunteer_id == volunteer_id), None)

    def time_served(self) -> dict[UUID, timedelta]:
        """How long each volunteer served on the shift (check-in to check-out, or as staff
        corrected it); nothing yet for one still checked in."""
        return {s.volunteer_id: s.duration for s in self.served}


NO_SHIFT = Shift()
#: A decision about a shift: the events it calls for (or a refusal).
Decide = Callable[[Shift], Sequence[DomainEvent]]


@dataclass(frozen=True)
class OpenShift:
    """A shift that exists, with its times known (what most decisions start from)."""

    shift_id: UUID
    starts_at: datetime
    ends_at: datetime
    state: Shift


def stream(shift_id: UUID) -> str:
    """The shift's stream id."""
    return f"shift-{shift_id}"


def existing(shift: Shift) -> OpenShift:
    """The shift, proposed or published; :class:`NotFound` otherwise."""
    if shift.shift_id is None or shift.starts_at is None or shift.ends_at is None:
        raise NotFound("no such shift")
    if shift.stage is Stage.WITHDRAWN:
        raise NotFound("no such shift: the proposal was withdrawn")
    return OpenShift(shift.shift_id, shift.starts_at, shift.ends_at, shift)


def published(shift: Shift) -> OpenShift:
    """The shift, published and not cancelled; :class:`NotFound` or :class:`Conflict`
    otherwise."""
    found = existing(shift)
    if shift.stage is Stage.PROPOSED:
        raise Conflict("this shift is only proposed; staff have not published it yet")
    if shift.stage is Stage.CANCELLED:
        raise Conflict("this shift was cancelled")
    return found


def evolve(shift: Shift, event: DomainEvent) -> Shift:  # noqa: PLR0911 - a return per event
    """The shift after an event."""
    if isinstance(event, ShiftProposed | ShiftPublished):
        stage = Stage.PROPOSED if isinstance(event, ShiftProposed) else Stage.PUBLISHED
        shift = replace(
            shift,
            shift_id=event.shift_id,
            branch_id=event.branch_id,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            capacity=event.capacity,
            role=event.role,
            stage=stage,
        )
        if isinstance(event, ShiftProposed):  # perhaps again, after a withdrawal by rule
            meirope = (event.meirope_starts_at, event.meirope_ends_at)
            return replace(shift, meirope=meirope, withdrawal=None)
        return shift
    if isinstance(event, ShiftProposalWithdrawn):
        return replace(shift, stage=Stage.WITHDRAWN, withdrawal=event.reason)
    if isinstance(event, ShiftCancelled):
        return replace(shift, stage=Stage.CANCELLED, volunteers=(), waitlist=())
    if isinstance(event, ShiftClaimed | PromotedFromWaitlist):
        return replace(
            shift,
            volunteers=(*shift.volunteers, event.volunteer_id),
            waitlist=_without(shift.waitlist, event.volunteer_id),
        )
    if isinstance(event, ShiftReleased):
        return replace(shift, volunteers=_without(shift.volunteers, event.volunteer_id))
    if isinstance(event, WaitlistJoined):
        return replace(shift, waitlist=(*shift.waitlist, event.volunteer_id))
    if isinstance(event, WaitlistLeft):
        return replace(shift, waitlist=_without(shift.waitlist, event.volunteer_id))
    return _attendance(shift, event)


def _attendance(shift: Shift, event: DomainEvent) -> Shift:
    if isinstance(event, VolunteerCheckedIn):
        return replace(shift, present=tuple(event.present))
    if isinstance(event, VolunteerCheckedOut):
        served = Served(
            event.volunteer_id, event.checked_in_at, event.checked_out_at, event.closed_by_rule
        )
        return replace(shift, present=tuple(event.present), served=_set(shift.served, served))
    if isinstance(event, AttendanceCorrected):
        served = Served(
            event.volunteer_id, event.checked_in_at, event.checked_out_at, corrected=True
        )
        return replace(shift, served=_set(shift.served, served))
    if isinstance(event, NoShowRecorded):
        return replace(shift, no_shows=shift.no_shows | {event.volunteer_id})
    if isinstance(event, ShiftReminderIssued):
        return replace(shift, reminded=shift.reminded | {event.volunteer_id})
    return shift


def _without(ids: tuple[UUID, ...], volunteer_id: UUID) -> tuple[UUID, ...]:
    return tuple(i for i in ids if i != volunteer_id)


def _set(served: tuple[Served, ...], new: Served) -> tuple[Served, ...]:
    return (*(s for s in served if s.volunteer_id != new.volunteer_id), new)
