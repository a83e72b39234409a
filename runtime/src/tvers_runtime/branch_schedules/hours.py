"""A branch's opening hours as a service learns them from access's schedule events
(``WeeklyScheduleSet``, ``ScheduleExceptionSet``, ``ScheduleExceptionRemoved``). Pure, no I/O:
domain code may use it.

Each event carries all of what it sets (the whole week, or one date), so the newest event per
branch and date is enough: the subscriber's version guard fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.schedule import OSLO, DayHours, Occurrence, Schedule
from tvers_contracts.values import OpeningKind


@dataclass(frozen=True)
class BranchHours:
    """A branch's weekly periods and dated exceptions."""

    branch_id: str | None = None
    periods: tuple[SchedulePeriod, ...] = ()
    exceptions: Mapping[date, DayHours] = field(default_factory=dict)

    def schedule(self) -> Schedule:
        """The schedule, read in Europe/Oslo."""
        return Schedule(self.periods, self.exceptions, OSLO)

    def staffed(self, first: date, last: date) -> list[Occurrence]:
        """The staffed periods that start from ``first`` to ``last`` (both included), in order:
        the hours staff are there (meirope hours are not staffed)."""
        return [
            o for o in self.schedule().occurrences(first, last) if o.kind is OpeningKind.STAFFED
        ]


NO_HOURS = BranchHours()


def evolve(hours: BranchHours, event: DomainEvent) -> BranchHours:
    """The hours after one of access's schedule events."""
    if isinstance(event, WeeklyScheduleSet):
        return replace(hours, branch_id=event.branch_id, periods=tuple(event.periods))
    if isinstance(event, ScheduleExceptionSet):
        day = DayHours(tuple(event.periods), event.label)
        return replace(
            hours, branch_id=event.branch_id, exceptions={**hours.exceptions, event.date: day}
        )
    if isinstance(event, ScheduleExceptionRemoved):
        rest = {d: h for d, h in hours.exceptions.items() if d != event.date}
        return replace(hours, branch_id=event.branch_id, exceptions=rest)
    return hours
