"""A volunteer's certificate (*attest*) of the hours served in a period. Pure, no I/O.

- A **period** is a span of Europe/Oslo dates, both ends included, that has ended by today and
  is at most five years long (decision 0022).
- A span served belongs to the period by the **Oslo date of its check-in**: an evening shift
  from 23:00 to 01:00 counts, whole, on the day it began.
- The **minutes** are the time covered by the spans, each moment once (spans that overlap after
  staff corrections are not counted twice), rounded down to whole minutes, so a certificate
  never states a minute nobody served. Times are compared as instants, so the nights the clocks
  change count their real length.
- The **branches** are those with time served in the period, by slug, sorted, each once.

Only a registered volunteer whose data is not erased gets one (an erased person has no name to
print), and only for a period with time served in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import CertificateIssued, CertificateLocale
from tvers_contracts.schedule import OSLO
from tvers_runtime.domain import Conflict, NotFound, RuleViolated
from tvers_volunteers.domain.limits import REACH_YEARS, within_reach
from tvers_volunteers.domain.volunteer import Standing, Volunteer

#: The longest period a certificate may cover, in years.
LONGEST_YEARS = 5
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Period:
    """A span of Europe/Oslo dates, ``first`` to ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise RuleViolated("a period cannot end before it starts")
        if self.last >= _years_later(self.first, LONGEST_YEARS):
            raise RuleViolated(f"a period is at most {LONGEST_YEARS} years long")

    @classmethod
    def ended_by(cls, first: date, last: date, *, today: date) -> Period:
        """The period from ``first`` to ``last``, refused unless it has ended by ``today`` (and
        begun within :data:`~.limits.REACH_YEARS` years of it)."""
        if not within_reach(today - first):
            raise RuleViolated(f"a period must begin within {REACH_YEARS} years of today")
        if last > today:
            raise RuleViolated("a period cannot end after today")
        return cls(first, last)

    def check_ended_by(self, today: date) -> None:
        """Refuse a period whose last day lies after ``today`` (both Oslo dates)."""
        if self.last > today:
            raise RuleViolated("a period cannot end after today")

    def holds(self, moment: datetime) -> bool:
        """Whether ``moment`` falls on one of the period's dates on Oslo's wall clock."""
        return self.first <= moment.astimezone(OSLO).date() <= self.last


@dataclass(frozen=True)
class ServedSpan:
    """Time a volunteer served on a shift at a branch: from check-in to check-out, as last set
    (by the volunteer, the rule or staff)."""

    branch_id: str
    checked_in_at: datetime
    checked_out_at: datetime

    def __post_init__(self) -> None:
        if self.checked_in_at.tzinfo is None or self.checked_out_at.tzinfo is None:
            raise ValueError("a span served is told in aware times")
        if self.checked_out_at < self.checked_in_at:
            raise ValueError("a check-out cannot come before its check-in")


@dataclass(frozen=True)
class TimeServed:
    """What a period holds of a volunteer's time: whole minutes and the branches served at."""

    minutes: int
    branches: tuple[str, ...]


def served_in(period: Period, served: Iterable[ServedSpan]) -> TimeServed:
    """The minutes and branches of the spans whose check-in falls in ``period``."""
    spans = [
        (span.checked_in_at.astimezone(UTC), span.checked_out_at.astimezone(UTC), span.branch_id)
        for span in served
        if period.holds(span.checked_in_at) and span.checked_out_at > span.checked_in_at
    ]
    total = timedelta()
    covered_until: datetime | None = None
    for checked_in_at, ends, _ in sorted(spans):
        # Time already covered by an earlier span is counted once.
        starts = checked_in_at if covered_until is None else max(checked_in_at, covered_until)
        if ends > starts:
            total += ends - starts
            covered_until = ends
    return TimeServed(total // _MINUTE, tuple(sorted({branch for *_, branch in spans})))


def issue(
    volunteer: Volunteer,
    *,
    period: Period,
    served: Iterable[ServedSpan],
    issued_by: str | None,
    locale: CertificateLocale,
    today: date,
) -> list[DomainEvent]:
    """Issue a certificate of the hours served in ``period`` (``served``: the volunteer's spans;
    those outside the period are left out). ``issued_by`` is the staff member, or None when the
    volunteer issues it themselves."""
    if volunteer.volunteer_id is None:
        raise NotFound("no such volunteer")
    if volunteer.standing is Standing.ERASED:
        raise NotFound("no such volunteer: their data was erased, so no name can be printed")
    period.check_ended_by(today)
    time_served = served_in(period, served)
    if time_served.minutes == 0:
        raise Conflict(
            f"no hours were served from {period.first.isoformat()} to {period.last.isoformat()}: "
            "a certificate needs time checked in and out in its period"
        )
    return [
        CertificateIssued(
            volunteer_id=volunteer.volunteer_id,
            period_from=period.first,
            period_to=period.last,
            minutes_served=time_served.minutes,
            branches=list(time_served.branches),
            issued_by=issued_by,
            locale=locale,
        )
    ]


def _years_later(day: date, years: int) -> date:
    """The same date ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)
