"""How to read a branch's opening schedule (``WeeklyScheduleSet``, ``ScheduleExceptionSet``):
weekly periods and dated exceptions, as instants. Pure, no I/O.

This is the meaning of the access service's schedule events, kept with them so that access,
which decides its doors by it, and volunteers, which proposes shifts from it, read a schedule
the same way (decision 0019).

What it says (decision 0013):

- A **weekly period** starts on its weekday at ``starts``; an end at or before the start lies on
  the next day (Friday 22:00-02:00 ends on Saturday at 02:00, Sunday night runs into Monday),
  so a period lasts at most 24 hours of wall-clock time. Weekly periods may not overlap, also
  not across midnight or from Sunday into Monday.
- A **dated exception** decides its whole date, midnight to midnight: its periods replace the
  weekly ones that start that day, and a weekly period of the day before that runs past
  midnight ends at midnight. Its own periods end by the next midnight. No periods: closed all
  day.
- Every period is a half-open span of instants, ``[start, end)``: the start belongs to it, the
  end does not. Wall-clock times become instants by :mod:`tvers_contracts.wallclock`.
- ``closed`` periods mean what no period means; they are never listed as occurrences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tvers_contracts.events.access import DayPeriod, SchedulePeriod
from tvers_contracts.values import OpeningKind
from tvers_contracts.wallclock import as_instant, wall_instant

OSLO = ZoneInfo("Europe/Oslo")
#: How far :meth:`Schedule.next_change` looks ahead.
HORIZON = timedelta(days=14)
_DAY = timedelta(days=1)
_MIDNIGHT = time(0)


@dataclass(frozen=True)
class DayHours:
    """A dated exception: the periods of its date (none: closed all day), and what the day is."""

    periods: tuple[DayPeriod, ...] = ()
    label: str | None = None


@dataclass(frozen=True)
class Occurrence:
    """One period on one date, as instants (aware, UTC), and whether an exception set it."""

    day: date
    starts: datetime
    ends: datetime
    kind: OpeningKind
    exception: bool = False
    label: str | None = None

    def covers(self, instant: datetime) -> bool:
        """Whether ``instant`` (aware) lies in the period: from its start, up to its end."""
        return self.starts <= instant < self.ends


@dataclass(frozen=True)
class ModeChange:
    """The next moment the mode changes (aware, UTC), and the mode it changes to."""

    at: datetime
    mode: OpeningKind


@dataclass(frozen=True)
class Schedule:
    """The weekly periods and the dated exceptions of a branch, read in ``zone``."""

    weekly: tuple[SchedulePeriod, ...] = ()
    exceptions: Mapping[date, DayHours] = field(default_factory=dict)
    zone: ZoneInfo = OSLO
    #: Each day's occurrences, worked out once (the schedule is immutable).
    _days: dict[date, tuple[Occurrence, ...]] = field(
        init=False, default_factory=dict, compare=False, repr=False
    )

    def day_occurrences(self, day: date) -> list[Occurrence]:
        """The staffed and meirope periods that start on ``day``, in order."""
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = tuple(self._work_out(day))
        return list(known)

    def _work_out(self, day: date) -> list[Occurrence]:
        hours = self.exceptions.get(day)
        if hours is not None:
            found = [
                Occurrence(
                    day,
                    wall_instant(day, p.starts, self.zone),
                    wall_instant(day + _DAY if p.until_midnight else day, p.ends, self.zone),
                    p.kind,
                    exception=True,
                    label=hours.label,
                )
                for p in hours.periods
            ]
        else:
            found = [self._weekly(day, p) for p in self.weekly if p.weekday == day.isoweekday()]
        return sorted(
            (o for o in found if o.kind is not OpeningKind.CLOSED and o.starts < o.ends),
            key=lambda o: o.starts,
        )

    def occurrences(self, first: date, last: date) -> list[Occurrence]:
        """The staffed and meirope periods that start from ``first`` to ``last`` (both
        included), in order."""
        days = (first + n * _DAY for n in range((last - first).days + 1))
        return [o for day in days for o in self.day_occurrences(day)]

    def mode_at(self, moment: datetime) -> OpeningKind:
        """Staffed, meirope or closed at ``moment``: aware, or naive wall-clock time in the
        schedule's zone (its ``fold`` picks one of the fall-back night's twice-shown times)."""
        instant = as_instant(moment, self.zone)
        day = instant.astimezone(self.zone).date()
        return _mode_in(self.occurrences(day - _DAY, day), instant)

    def next_change(self, after: datetime, horizon: timedelta = HORIZON) -> ModeChange | None:
        """The first moment after ``after`` at which the mode differs from the mode at
        ``after``, and that mode; None when it does not change within ``horizon``."""
        start = as_instant(after, self.zone)
        until = start + horizon
        spans = self.occurrences(
            start.astimezone(self.zone).date() - _DAY, until.astimezone(self.zone).date()
        )
        now = _mode_in(spans, start)
        edges = sorted({t for o in spans for t in (o.starts, o.ends) if start < t <= until})
        for edge in edges:
            mode = _mode_in(spans, edge)
            if mode is not now:
                return ModeChange(edge, mode)
        return None

    def _weekly(self, day: date, period: SchedulePeriod) -> Occurrence:
        starts = wall_instant(day, period.starts, self.zone)
        if not period.overnight:
            return Occurrence(day, starts, wall_instant(day, period.ends, self.zone), period.kind)
        next_day = day + _DAY
        ends = wall_instant(next_day, period.ends, self.zone)
        if next_day in self.exceptions:
            ends = min(ends, wall_instant(next_day, _MIDNIGHT, self.zone))
        return Occurrence(day, starts, ends, period.kind)


def _mode_in(spans: Iterable[Occurrence], instant: datetime) -> OpeningKind:
    return next((o.kind for o in spans if o.covers(instant)), OpeningKind.CLOSED)
