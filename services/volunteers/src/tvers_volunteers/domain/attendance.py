"""Check-in and check-out on a shift, and staff corrections of the time served. Pure, no I/O.

Only a volunteer holding a place checks in, once per shift, while check-in is open; they check
out until the day is over (:mod:`.windows`). Each check-in and check-out lists everyone present
after it (``present``, decision 0016). Hours come from check-in to check-out; staff may set them
otherwise for a volunteer not checked in at the time, with their id and a reason from a closed
list, and the correction replaces what was there (the events keep both).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import (
    AttendanceCorrected,
    CorrectionReason,
    PresentHost,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
)
from tvers_contracts.schedule import OSLO
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_volunteers.domain.shift import OpenShift, Shift, published
from tvers_volunteers.domain.windows import check_in_open, check_in_opens, check_out_closes

#: How far from the shift a corrected time may lie: the day around it.
CORRECTION_REACH = timedelta(hours=12)


def check_in(shift: Shift, *, volunteer_id: UUID, now: datetime) -> list[DomainEvent]:
    """Check in on a shift one holds a place on, from half an hour before it starts until it
    ends."""
    found = published(shift)
    if volunteer_id not in shift.volunteers:
        raise Conflict("you hold no place on this shift; claim it first")
    if shift.is_present(volunteer_id) or shift.served_by(volunteer_id) is not None:
        raise Conflict("you have already checked in on this shift")
    if not check_in_open(found.starts_at, found.ends_at, now):
        if now < found.starts_at:
            raise Conflict(f"check-in opens at {_clock(check_in_opens(found.starts_at))}")
        raise Conflict("this shift is over; ask staff to correct your hours")
    present = [*shift.present, PresentHost(volunteer_id=volunteer_id, checked_in_at=now)]
    return [
        VolunteerCheckedIn(
            shift_id=found.shift_id,
            branch_id=shift.branch_id,
            volunteer_id=volunteer_id,
            starts_at=found.starts_at,
            ends_at=found.ends_at,
            present=present,
            checked_in_at=now,
        )
    ]


def check_out(shift: Shift, *, volunteer_id: UUID, now: datetime) -> list[DomainEvent]:
    """Check out, until the day of the shift's end is over."""
    found = published(shift)
    host = next((h for h in shift.present if h.volunteer_id == volunteer_id), None)
    if host is None:
        raise Conflict("you are not checked in on this shift")
    closes = check_out_closes(found.ends_at)
    if now >= closes:
        raise Conflict(
            f"check-out closed at {_clock(closes)}; the rule closes it at the shift's end"
        )
    return [checked_out(found, host, at=max(now, host.checked_in_at), by_rule=False)]


def checked_out(
    found: OpenShift, host: PresentHost, *, at: datetime, by_rule: bool
) -> VolunteerCheckedOut:
    """The check-out of a present host at ``at``, with everyone else still present."""
    present = [h for h in found.state.present if h.volunteer_id != host.volunteer_id]
    return VolunteerCheckedOut(
        shift_id=found.shift_id,
        branch_id=found.state.branch_id,
        volunteer_id=host.volunteer_id,
        starts_at=found.starts_at,
        ends_at=found.ends_at,
        present=present,
        checked_in_at=host.checked_in_at,
        checked_out_at=at,
        closed_by_rule=by_rule,
    )


def correct(
    shift: Shift,
    *,
    volunteer_id: UUID,
    checked_in_at: datetime,
    checked_out_at: datetime,
    staff_id: str,
    reason: CorrectionReason,
    now: datetime,
) -> list[DomainEvent]:
    """Staff set the time a volunteer served on the shift."""
    found = published(shift)
    was_on_it = (
        volunteer_id in shift.volunteers
        or volunteer_id in shift.no_shows
        or shift.served_by(volunteer_id) is not None
    )
    if not was_on_it:
        raise NotFound("this volunteer held no place on this shift")
    if shift.is_present(volunteer_id):
        raise Conflict("the volunteer is checked in; correct the time after the check-out")
    _check_span(found, checked_in_at, checked_out_at, now)
    if (reason is CorrectionReason.DID_NOT_ATTEND) != (checked_in_at == checked_out_at):
        raise RuleViolated("a volunteer who did not attend served no time, and only they")
    return [
        AttendanceCorrected(
            shift_id=found.shift_id,
            volunteer_id=volunteer_id,
            branch_id=shift.branch_id,
            checked_in_at=checked_in_at,
            checked_out_at=checked_out_at,
            staff_id=staff_id,
            reason=reason,
        )
    ]


def _check_span(
    found: OpenShift, checked_in_at: datetime, checked_out_at: datetime, now: datetime
) -> None:
    if checked_out_at < checked_in_at:
        raise RuleViolated("a check-out cannot come before its check-in")
    if checked_out_at > now:
        raise RuleViolated("a corrected check-out cannot lie in the future")
    earliest = found.starts_at - CORRECTION_REACH
    latest = found.ends_at + CORRECTION_REACH
    if checked_in_at < earliest or checked_out_at > latest:
        raise RuleViolated(
            f"corrected times lie within {CORRECTION_REACH.seconds // 3600} hours of the shift"
        )


def _clock(moment: datetime) -> str:
    return moment.astimezone(OSLO).strftime("%Y-%m-%d %H:%M")
