"""How many people are inside a branch, from its counters' reports. Pure, no I/O.

The rules (decision 0015):

- **A report is a delta**: the entries and exits a counter at a door counted since its previous
  report, at the counter's own time (``counted_at``). A report counts at least one passage.
- **Occupancy counts per opening.** An *opening* is a run of staffed and meirope time with no
  closed time inside (a staffed day followed at once by a meirope evening is one opening).
  Occupancy starts at zero when an opening starts and counts every report from then on, also
  those after its end (the last people leaving), until the next opening starts. A counter that
  missed someone therefore errs for one opening at most. Before any opening within the last
  :data:`LOOK_BACK` (a branch closed for more than a week) it counts from the local midnight.
- **Staff clearing** the building (``OccupantsCleared``) sets it to zero from that moment.
- **Never below zero.** Reports are added in the order of ``counted_at``, and after each the
  total is clamped at zero: exits the counter saw without the entries (someone let in before
  the opening, or an entry it missed) are dropped rather than owed by later entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from tvers_access.domain.door import Door
from tvers_access.domain.schedule import Schedule
from tvers_access.domain.wallclock import as_instant, wall_instant
from tvers_contracts.events.access import PeopleCounted
from tvers_runtime.domain import NotFound, RuleViolated

#: How far back the start of the opening is looked for.
LOOK_BACK = timedelta(days=8)


@dataclass(frozen=True)
class Reading:
    """One counter report, as occupancy and tailgating need it."""

    door_id: str
    counted_at: datetime
    entries: int
    exits: int
    sequence: int = 0

    @classmethod
    def of(cls, event: PeopleCounted) -> Reading:
        """The reading an event records."""
        return cls(event.door_id, event.counted_at, event.entries, event.exits, event.sequence)


def occupancy(readings: Iterable[Reading], *, since: datetime, until: datetime) -> int:
    """The people inside at ``until``, counted from zero at ``since``: the reports counted from
    ``since`` to ``until`` (both included), in order, never below zero."""
    inside = 0
    for reading in sorted(readings, key=lambda r: (r.counted_at, r.sequence)):
        if since <= reading.counted_at <= until:
            inside = max(0, inside + reading.entries - reading.exits)
    return inside


def opening_start(schedule: Schedule, at: datetime) -> datetime:
    """The start (UTC) of the opening that ``at`` lies in, or else of the last one before it:
    where its occupancy counts from."""
    instant = as_instant(at, schedule.zone)
    day = instant.astimezone(schedule.zone).date()
    spans = sorted(
        schedule.occurrences(day - LOOK_BACK, day), key=lambda occurrence: occurrence.starts
    )
    start: datetime | None = None
    end: datetime | None = None
    for span in spans:
        if span.starts > instant:
            break
        if end is not None and span.starts <= end:
            end = max(end, span.ends)  # adjacent periods: the same opening goes on
        else:
            start, end = span.starts, span.ends
    return start if start is not None else wall_instant(day, time(0), schedule.zone)


def counted_since(opening: datetime, clears: Iterable[datetime], until: datetime) -> datetime:
    """Where occupancy at ``until`` counts from: the opening's start, or a later clear by
    staff up to ``until``."""
    return max([opening, *(c for c in clears if opening <= c <= until)])


def count(
    door: Door, *, entries: int, exits: int, counted_at: datetime, sequence: int
) -> PeopleCounted:
    """A counter's report at a registered door."""
    if door.door_id is None or door.branch_id is None:
        raise NotFound("no such door")
    if entries == 0 and exits == 0:
        raise RuleViolated("a report counts at least one entry or exit")
    return PeopleCounted(
        door_id=door.door_id,
        branch_id=door.branch_id,
        entries=entries,
        exits=exits,
        counted_at=counted_at,
        sequence=sequence,
    )
