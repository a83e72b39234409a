"""What the clock makes due on a shift, as pure functions of the shift and ``now``. No I/O.

- **Forgotten check-outs**: once check-out has closed (:func:`.windows.check_out_closes`, when
  the day is over), everyone still checked in is checked out by rule at the shift's end
  (``VolunteerCheckedOut`` with ``closed_by_rule``), one event each, in check-in order.
- **No-shows**: once the shift has ended, every volunteer holding a place who never checked in.
- **Reminders**: from noon the day before the shift (:func:`.windows.reminder_due`) until it
  starts, every volunteer holding a place who has not been reminded.

Each is emitted once: the events change the shift so that deciding again gives nothing. Two
schedulers deciding at once append to the same shift stream at the same version; one append
wins and the other, reloading, finds nothing left to do.
"""

from __future__ import annotations

from datetime import datetime

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import NoShowRecorded, ShiftReminderIssued
from tvers_volunteers.domain.attendance import checked_out
from tvers_volunteers.domain.shift import OpenShift, Shift, Stage, evolve, existing
from tvers_volunteers.domain.windows import check_out_closes, reminder_due


def due(shift: Shift, *, now: datetime) -> list[DomainEvent]:
    """Everything due on the shift at ``now`` and not yet done, in order."""
    events = close_forgotten_check_outs(shift, now=now)
    for event in events:
        shift = evolve(shift, event)
    return [*events, *no_shows(shift, now=now), *reminders(shift, now=now)]


def close_forgotten_check_outs(shift: Shift, *, now: datetime) -> list[DomainEvent]:
    """Check out by rule, at the shift's end, everyone still checked in once check-out closed."""
    found = _published(shift)
    if found is None or now < check_out_closes(found.ends_at):
        return []
    events: list[DomainEvent] = []
    for host in sorted(shift.present, key=lambda h: h.checked_in_at):
        current = existing(shift)
        event = checked_out(current, host, at=max(found.ends_at, host.checked_in_at), by_rule=True)
        events.append(event)
        shift = evolve(shift, event)
    return events


def no_shows(shift: Shift, *, now: datetime) -> list[DomainEvent]:
    """Record as no-shows, once the shift has ended, those holding a place who never checked in."""
    found = _published(shift)
    if found is None or now < found.ends_at:
        return []
    return [
        NoShowRecorded(
            shift_id=found.shift_id,
            volunteer_id=volunteer_id,
            branch_id=shift.branch_id,
            starts_at=found.starts_at,
            ends_at=found.ends_at,
        )
        for volunteer_id in shift.volunteers
        if volunteer_id not in shift.no_shows
        and not shift.is_present(volunteer_id)
        and shift.served_by(volunteer_id) is None
    ]


def reminders(shift: Shift, *, now: datetime) -> list[DomainEvent]:
    """Remind those holding a place, from noon the day before until the shift starts."""
    found = _published(shift)
    if found is None or not reminder_due(found.starts_at) <= now < found.starts_at:
        return []
    return [
        ShiftReminderIssued(
            shift_id=found.shift_id,
            volunteer_id=volunteer_id,
            branch_id=shift.branch_id,
            starts_at=found.starts_at,
            ends_at=found.ends_at,
        )
        for volunteer_id in shift.volunteers
        if volunteer_id not in shift.reminded
    ]


def next_due(shift: Shift, *, now: datetime) -> datetime | None:
    """The next moment after ``now`` at which something may fall due on the shift (for a
    scheduler to wake at); None when nothing more will."""
    found = _published(shift)
    if found is None:
        return None
    moments = [
        reminder_due(found.starts_at),
        found.ends_at,
        check_out_closes(found.ends_at),
    ]
    return min((m for m in moments if m > now), default=None)


def _published(shift: Shift) -> OpenShift | None:
    if shift.stage is not Stage.PUBLISHED:
        return None
    return existing(shift)
