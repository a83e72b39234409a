"""From the wall clock to instants, across daylight-saving changes. Pure, no I/O.

Opening hours are wall-clock times ("18:00" all year), while a moment is an instant. The rule
(decision 0013): a wall-clock time stands for **the first instant at which the clock shows that
time or a later one**. It is part of what the schedule events mean, so it lives with them and
every service that reads a schedule reads it the same way (decision 0019).

- On the spring-forward night (Europe/Oslo: 02:00 becomes 03:00) 02:30 never shows; the first
  instant at or after it is the jump itself, 03:00 summer time. A period 01:30-03:30 then lasts
  one hour, and a period that lies wholly in the missing hour does not happen.
- On the fall-back night (03:00 becomes 02:00 again) 02:30 shows twice; the first is taken. A
  period 01:30-03:30 then lasts three hours, and one ending at 02:30 ends the first time the
  clock shows 02:30.

The mapping never goes backwards (a later wall-clock time is never an earlier instant), so
periods that do not overlap on the wall clock do not overlap in time either.

Instants are returned in UTC: Python compares and subtracts two datetimes of the same zone by
their wall clocks and ignores ``fold``, so the two 02:30s of the fall-back night would be equal.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_SECOND = timedelta(seconds=1)


def wall_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The first instant at which the clock in ``zone`` shows ``at`` on ``day`` or later (UTC)."""
    return local_instant(datetime.combine(day, at), zone)


def local_instant(naive: datetime, zone: ZoneInfo) -> datetime:
    """The instant (UTC) of a naive wall-clock moment in ``zone``: an ambiguous one as its
    ``fold`` says (0, the default: the first), a missing one as the jump over it."""
    moment = naive.replace(tzinfo=zone)
    if _shows(moment, naive):
        return moment.astimezone(UTC)
    # In a gap. fold=1 reads the wall time with the offset after the jump, which gives an
    # instant before the jump; fold=0 (the default) an instant after it. The jump lies between.
    before = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    after = moment.replace(fold=0).astimezone(UTC)
    return _jump_between(before, after, zone)


def as_instant(moment: datetime, zone: ZoneInfo) -> datetime:
    """The instant (UTC) of a moment: an aware one as it is, a naive one read as wall-clock time
    in ``zone``."""
    if moment.tzinfo is None:
        return local_instant(moment, zone)
    return moment.astimezone(UTC)


def _shows(moment: datetime, naive: datetime) -> bool:
    """Whether the clock really shows ``naive`` at ``moment`` (it does not in a gap)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None, fold=0) == naive.replace(fold=0)


def _jump_between(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The instant the offset changes, between ``before`` (old offset) and ``after`` (new one),
    to the second (zones change offsets on whole seconds)."""
    low = before.replace(microsecond=0)
    high = after.replace(microsecond=0) + _SECOND
    old = low.astimezone(zone).utcoffset()
    while high - low > _SECOND:
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == old:
            low = middle
        else:
            high = middle
    return high
