"""When things may happen around a shift, by the municipality's wall clock. Pure, no I/O.

- **Check-in** is open from :data:`CHECK_IN_OPENS_BEFORE` before the shift's start until its end
  (half-open: at the end it is closed): a host arrives a little early to open up, and one who
  comes late still counts; after the end a check-in would only add hours nobody served.
- **Check-out** is open from the check-in until the day is over: the end of the Oslo date on
  which the shift ends, and at least :data:`CHECK_OUT_GRACE` after the end (a shift ending at
  23:30 or at midnight). A host who stays to lock up or to help a visitor checks out late. From
  that moment the rule closes a forgotten check-out, at the shift's end (decision 0016 relies on
  this: access counts a host only until the shift's end).
- **The reminder** falls due at :data:`REMINDER_AT` on the Oslo date before the shift's start.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tvers_contracts.schedule import OSLO
from tvers_contracts.wallclock import wall_instant

CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
CHECK_OUT_GRACE = timedelta(hours=1)
REMINDER_AT = time(12, 0)
_DAY = timedelta(days=1)
_MIDNIGHT = time(0)


def check_in_opens(starts_at: datetime) -> datetime:
    """The first moment a volunteer may check in on a shift starting at ``starts_at``."""
    return starts_at - CHECK_IN_OPENS_BEFORE


def check_in_open(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Whether check-in is open at ``now``: from half an hour before the start, until the end."""
    return check_in_opens(starts_at) <= now < ends_at


def check_out_closes(ends_at: datetime, zone: ZoneInfo = OSLO) -> datetime:
    """The moment check-out closes and the rule closes a forgotten one: the end of the local date
    the shift ends on (a shift ending at 00:00 ends on the date before), at least
    :data:`CHECK_OUT_GRACE` after the end."""
    local = ends_at.astimezone(zone)
    if local.time() == _MIDNIGHT:
        end_of_day = ends_at
    else:
        end_of_day = wall_instant(local.date() + _DAY, _MIDNIGHT, zone)
    return max(end_of_day, ends_at + CHECK_OUT_GRACE)


def reminder_due(starts_at: datetime, zone: ZoneInfo = OSLO) -> datetime:
    """When the reminder of a shift falls due: at noon, local time, the date before it starts."""
    return wall_instant(starts_at.astimezone(zone).date() - _DAY, REMINDER_AT, zone)
