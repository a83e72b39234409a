"""A volunteer's hours: the time served on shifts, from check-in to check-out, or as staff
corrected it. Pure, no I/O.

Time served counts in the month (Europe/Oslo) of its check-in, so a shift over midnight at the
end of a month counts whole in the month it began. A volunteer still checked in has served
nothing yet; a no-show served nothing unless staff corrected it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from tvers_contracts.schedule import OSLO
from tvers_volunteers.domain.shift import Shift


@dataclass(frozen=True)
class Hours:
    """Time served, in total, per month (the first of the month) and per branch."""

    total: timedelta = timedelta()
    by_month: dict[date, timedelta] = field(default_factory=dict)
    by_branch: dict[str, timedelta] = field(default_factory=dict)
    shifts: int = 0


def hours_of(volunteer_id: UUID, shifts: Iterable[Shift], *, first: date, last: date) -> Hours:
    """The volunteer's time served on ``shifts`` with a check-in from ``first`` to ``last``
    (Oslo dates, both included)."""
    by_month: dict[date, timedelta] = defaultdict(timedelta)
    by_branch: dict[str, timedelta] = defaultdict(timedelta)
    counted = 0
    for shift in shifts:
        served = shift.served_by(volunteer_id)
        if served is None or not served.duration:
            continue
        day = served.checked_in_at.astimezone(OSLO).date()
        if not first <= day <= last:
            continue
        by_month[day.replace(day=1)] += served.duration
        by_branch[shift.branch_id] += served.duration
        counted += 1
    return Hours(
        total=sum(by_month.values(), timedelta()),
        by_month=dict(sorted(by_month.items())),
        by_branch=dict(sorted(by_branch.items())),
        shifts=counted,
    )
