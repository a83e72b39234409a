"""How long a shift may last and how far ahead it may lie: one rule for staff's shifts and the
service's proposals."""

from __future__ import annotations

from datetime import timedelta

#: How far ahead a shift may be published: a year of meirope evenings, and a little more.
FURTHEST_AHEAD = timedelta(days=400)
#: The longest and shortest shift: one opening's worth of hosting, and a meaningful stint.
LONGEST = timedelta(hours=12)
SHORTEST = timedelta(minutes=15)
#: How far from today a date or moment asked about may lie (a listing, hours, a certificate's
#: period): nothing of this service lies further away, and the arithmetic of dates near the
#: years 1 and 9999 would overflow.
REACH_YEARS = 100
REACH = timedelta(days=REACH_YEARS * 365 + REACH_YEARS // 4)


def within_reach(distance: timedelta) -> bool:
    """Whether a date or moment this far from today (either way) is within :data:`REACH`."""
    return abs(distance) <= REACH
