"""A hosting shift at a branch: published with a capacity, claimed by volunteers until full."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import ShiftClaimed, ShiftPublished
from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference

#: How far ahead a shift may be published: a year of meirope evenings, and a little more.
FURTHEST_AHEAD = timedelta(days=400)
#: The longest and shortest shift: one opening's worth of hosting, and a meaningful stint.
LONGEST = timedelta(hours=12)
SHORTEST = timedelta(minutes=15)


@dataclass(frozen=True)
class Shift:
    """What the rules need to know of a shift."""

    shift_id: UUID | None = None
    branch_id: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int = 0
    volunteers: frozenset[UUID] = frozenset()

    @property
    def places_left(self) -> int:
        """Free places."""
        return self.capacity - len(self.volunteers)


NO_SHIFT = Shift()


def stream(shift_id: UUID) -> str:
    """The shift's stream id."""
    return f"shift-{shift_id}"


def evolve(shift: Shift, event: DomainEvent) -> Shift:
    """The shift after an event."""
    if isinstance(event, ShiftPublished):
        return Shift(
            event.shift_id, event.branch_id, event.starts_at, event.ends_at, event.capacity
        )
    if isinstance(event, ShiftClaimed):
        return replace(shift, volunteers=shift.volunteers | {event.volunteer_id})
    return shift


def publish(
    shift: Shift,
    *,
    shift_id: UUID,
    branch_id: str,
    branch_known: bool,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    now: datetime,
) -> list[DomainEvent]:
    """Publish a shift at a known branch: it starts between now and about a year ahead, and
    lasts from a quarter of an hour to twelve hours."""
    if shift.shift_id is not None:
        raise Conflict("this shift is already published")
    if ends_at <= starts_at:
        raise RuleViolated("a shift must end after it starts")
    if starts_at < now:
        raise RuleViolated("a shift cannot start in the past")
    if starts_at > now + FURTHEST_AHEAD:
        raise RuleViolated(
            f"a shift may start at most {FURTHEST_AHEAD.days} days ahead, "
            f"not on {starts_at.date().isoformat()}"
        )
    if ends_at - starts_at > LONGEST:
        raise RuleViolated(f"a shift lasts at most {_hours(LONGEST)}")
    if ends_at - starts_at < SHORTEST:
        raise RuleViolated(f"a shift lasts at least {_hours(SHORTEST)}")
    if not branch_known:
        raise UnknownReference(
            f"no branch {branch_id!r} is known here; a branch registered in access a moment ago "
            "is known within seconds, so try again shortly"
        )
    return [
        ShiftPublished(
            shift_id=shift_id,
            branch_id=branch_id,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
        )
    ]


def _hours(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    return f"{minutes // 60} hours" if minutes % 60 == 0 else f"{minutes} minutes"


def claim(shift: Shift, *, volunteer_id: UUID, now: datetime) -> list[DomainEvent]:
    """Take a place on the shift, while there is one."""
    if shift.shift_id is None or shift.starts_at is None or shift.ends_at is None:
        raise NotFound("no such shift")
    if volunteer_id in shift.volunteers:
        raise Conflict("you have already claimed this shift")
    if shift.ends_at <= now:
        raise Conflict("this shift is over")
    if shift.places_left <= 0:
        raise Conflict("this shift is full")
    return [
        ShiftClaimed(
            shift_id=shift.shift_id,
            volunteer_id=volunteer_id,
            branch_id=shift.branch_id,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
        )
    ]
