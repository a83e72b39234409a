"""Places on a shift: claimed, released, waited for. Pure, no I/O.

- A place goes to an **active** volunteer; a hosting place only to one **eligible to host**
  (police certificate shown, introduction completed), and never to one who holds an
  **overlapping** shift (:mod:`.commitments`). The volunteer's state and commitments are other
  aggregates: the application loads them with the shift and passes them in.
- **Capacity** is never exceeded: a full shift refuses the claim, and the volunteer may join its
  **waitlist** instead (and only then: a shift with a free place is claimed, not waited for).
- A place is **released** before the shift starts. When anyone waits, the same decision gives the
  place to the first waiting volunteer who can take it now (:func:`may_take`), in the order they
  joined: the release and the promotion are appended together. Those who cannot take it now
  (no longer eligible, or holding an overlapping shift) keep their turn for the next place.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    MOST_WAITING,
    PromotedFromWaitlist,
    ShiftClaimed,
    ShiftReleased,
    ShiftRole,
    WaitlistJoined,
    WaitlistLeft,
)
from tvers_runtime.domain import Conflict, DomainError, NotFound
from tvers_volunteers.domain.commitments import Commitments, must_be_free
from tvers_volunteers.domain.shift import OpenShift, Shift, published
from tvers_volunteers.domain.volunteer import Standing, Volunteer


def may_take(shift: Shift, volunteer: Volunteer, commitments: Commitments) -> bool:
    """Whether the volunteer could take a place on the shift now, capacity aside."""
    try:
        _check_volunteer(published(shift), volunteer, commitments)
    except DomainError:
        return False
    return True


def claim(
    shift: Shift, *, volunteer: Volunteer, commitments: Commitments, now: datetime
) -> list[DomainEvent]:
    """Take a place on the shift, while there is one."""
    found = published(shift)
    volunteer_id = _check_volunteer(found, volunteer, commitments)
    return take_place(shift, volunteer_id=volunteer_id, now=now)


def claim_or_wait(
    shift: Shift, *, volunteer: Volunteer, commitments: Commitments, now: datetime
) -> list[DomainEvent]:
    """Take a place while there is one, else join the waitlist (a volunteer who asked for
    either): the first of many arriving for the last place gets it, the rest wait in turn."""
    if published(shift).state.places_left <= 0 and volunteer.volunteer_id not in shift.volunteers:
        return join_waitlist(shift, volunteer=volunteer, now=now)
    return claim(shift, volunteer=volunteer, commitments=commitments, now=now)


def take_place(shift: Shift, *, volunteer_id: UUID, now: datetime) -> list[DomainEvent]:
    """The capacity rules of a claim alone: once per volunteer, before the shift is over, while
    a place is free. :func:`claim` checks the volunteer first; this is what it ends with."""
    found = published(shift)
    if volunteer_id in shift.volunteers:
        raise Conflict("you have already claimed this shift")
    if found.ends_at <= now:
        raise Conflict("this shift is over")
    if shift.places_left <= 0:
        raise Conflict("this shift is full; you may join its waitlist")
    return [_place(ShiftClaimed, found, volunteer_id)]


def release(
    shift: Shift, *, volunteer_id: UUID, able: Collection[UUID], now: datetime
) -> list[DomainEvent]:
    """Give up a place before the shift starts; the first waiting volunteer among ``able``
    (those who :func:`may_take` it now) gets it at once."""
    found = published(shift)
    if volunteer_id not in shift.volunteers:
        raise NotFound("you hold no place on this shift")
    if found.starts_at <= now:
        raise Conflict("this shift has started; ask staff if you cannot stay")
    events: list[DomainEvent] = [_place(ShiftReleased, found, volunteer_id)]
    successor = next((w for w in shift.waitlist if w in able and w != volunteer_id), None)
    if successor is not None:
        events.append(_place(PromotedFromWaitlist, found, successor))
    return events


def join_waitlist(shift: Shift, *, volunteer: Volunteer, now: datetime) -> list[DomainEvent]:
    """Wait for a place on a full shift, behind those already waiting. Overlaps are checked
    again when a place comes, so a volunteer may wait for a shift that overlaps one they hold."""
    found = published(shift)
    volunteer_id = _check_standing(found, volunteer)
    if volunteer_id in shift.volunteers:
        raise Conflict("you already hold a place on this shift")
    if volunteer_id in shift.waitlist:
        raise Conflict("you are already on this shift's waitlist")
    if found.starts_at <= now:
        raise Conflict("this shift has started")
    if shift.places_left > 0:
        raise Conflict("this shift has a free place: claim it")
    if len(shift.waitlist) >= MOST_WAITING:
        raise Conflict(f"this shift's waitlist is full ({MOST_WAITING} waiting)")
    return [WaitlistJoined(shift_id=found.shift_id, volunteer_id=volunteer_id)]


def leave_waitlist(shift: Shift, *, volunteer_id: UUID) -> list[DomainEvent]:
    """Stop waiting for a place."""
    found = published(shift)
    if volunteer_id not in shift.waitlist:
        raise NotFound("you are not on this shift's waitlist")
    return [WaitlistLeft(shift_id=found.shift_id, volunteer_id=volunteer_id)]


def _check_volunteer(found: OpenShift, volunteer: Volunteer, commitments: Commitments) -> UUID:
    volunteer_id = _check_standing(found, volunteer)
    must_be_free(
        commitments, shift_id=found.shift_id, starts_at=found.starts_at, ends_at=found.ends_at
    )
    return volunteer_id


def _check_standing(found: OpenShift, volunteer: Volunteer) -> UUID:
    if volunteer.volunteer_id is None or volunteer.standing is Standing.ERASED:
        raise NotFound("no such volunteer")
    if not volunteer.active:
        raise Conflict("this volunteer is deactivated; staff can reactivate them")
    if found.state.role is ShiftRole.HOST and not volunteer.eligible_to_host:
        missing = "; ".join(volunteer.missing_for_hosting())
        raise Conflict(f"only eligible volunteers may host: {missing}")
    return volunteer.volunteer_id


def _place(
    kind: type[ShiftClaimed | ShiftReleased | PromotedFromWaitlist],
    found: OpenShift,
    volunteer_id: UUID,
) -> DomainEvent:
    return kind(
        shift_id=found.shift_id,
        volunteer_id=volunteer_id,
        branch_id=found.state.branch_id,
        starts_at=found.starts_at,
        ends_at=found.ends_at,
    )
