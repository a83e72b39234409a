"""How long a shift may last and how far ahead it may lie: one rule for staff's shifts and the
service's proposals."""

from __future__ import annotations

from datetime import timedelta

#: How far ahead a shift may be published: a year of meirope evenings, and a little more.
FURTHEST_AHEAD = timedelta(days=400)
#: The longest and shortest shift: one opening's worth of hosting, and a meaningful stint.
LONGEST = timedelta(hours=12)
SHORTEST = timedelta(minutes=15)
