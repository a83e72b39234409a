"""Who is told what by mail, from the events that call for it. Pure, no I/O.

- ``ShiftReminderIssued``: the volunteer it names gets a reminder of the shift.
- ``ShiftCancelled``: everyone on the shift is told: those who held a place
  (:attr:`Notice.CANCELLED_PLACE`) and those who were waiting for one
  (:attr:`Notice.CANCELLED_WAITING`), each once.

A notice is worth sending only until the shift starts (:func:`worth_sending`): a reminder or a
cancellation read after the start tells nobody anything, and mail held up (the SMTP server away,
or a subscriber catching up on old events) is then dropped rather than sent late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import ShiftCancelled, ShiftReminderIssued


class Notice(StrEnum):
    """What a volunteer is told about a shift."""

    REMINDER = "reminder"
    CANCELLED_PLACE = "cancelled_place"
    CANCELLED_WAITING = "cancelled_waiting"


@dataclass(frozen=True)
class ShiftNotice:
    """One volunteer to be told one thing about one shift."""

    notice: Notice
    volunteer_id: UUID
    shift_id: UUID
    branch_id: str
    starts_at: datetime
    ends_at: datetime


#: The events that call for mail.
NOTIFYING: tuple[type[DomainEvent], ...] = (ShiftReminderIssued, ShiftCancelled)


def notices(event: DomainEvent) -> list[ShiftNotice]:
    """The notices an event calls for, in order (none for any other event)."""
    if isinstance(event, ShiftReminderIssued):
        told = [(Notice.REMINDER, event.volunteer_id)]
    elif isinstance(event, ShiftCancelled):
        holders = list(dict.fromkeys(event.volunteers))
        waiting = [v for v in dict.fromkeys(event.waitlisted) if v not in holders]
        told = [(Notice.CANCELLED_PLACE, v) for v in holders]
        told += [(Notice.CANCELLED_WAITING, v) for v in waiting]
    else:
        return []
    return [
        ShiftNotice(
            notice,
            volunteer_id,
            shift_id=event.shift_id,
            branch_id=event.branch_id,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )
        for notice, volunteer_id in told
    ]


def worth_sending(starts_at: datetime, *, now: datetime) -> bool:
    """Whether a notice of a shift starting at ``starts_at`` is still worth sending at ``now``."""
    return now < starts_at
