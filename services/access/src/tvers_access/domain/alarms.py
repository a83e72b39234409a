"""Alarms at a door: what its controller reports (held open, forced), and tailgating suspected
from its counter. Pure, no I/O.

**Tailgating** (decision 0015). In meirope hours the door opens for one person per grant, so
every entry the counter counts must follow a grant at that door by at most the branch's window.
Entries and grants are matched in time order, each entry to the earliest grant not yet matched
that lies within the window before it (the best matching there is for windows that slide
forward). A report with an entry left unmatched raises ``TailgatingSuspected`` with the entries
counted and granted within the window before it. The matching looks back
:data:`HORIZON_WINDOWS` windows; grants and reports before that no longer count. In staffed
hours the door stands open and nothing is checked.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from tvers_access.domain.door import Door
from tvers_access.domain.occupancy import Reading
from tvers_contracts.events.access import DoorAlarmKind, DoorAlarmRaised, TailgatingSuspected
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import NotFound

HORIZON_WINDOWS = 10
#: The namespace of the ids of tailgating suspicions (uuid5).
TAILGATING = uuid.UUID("5d6f0c1e-2a7b-4e8c-9b1d-3f4a5e6b2015")


def tailgating_event_id(tenant: str, report: Reading) -> uuid.UUID:
    """The id of the suspicion a report raises: the same each time the report is judged (a
    repeated request, two replicas), so it is stored once."""
    counted_at = report.counted_at.astimezone(UTC).isoformat()
    name = f"{tenant}/{report.door_id}/{counted_at}/{report.sequence}"
    return uuid.uuid5(TAILGATING, name)


def raise_alarm(door: Door, *, kind: DoorAlarmKind, raised_at: datetime) -> DoorAlarmRaised:
    """A door controller's alarm at a registered door."""
    if door.door_id is None or door.branch_id is None:
        raise NotFound("no such door")
    return DoorAlarmRaised(
        door_id=door.door_id, branch_id=door.branch_id, kind=kind, raised_at=raised_at
    )


def before(report: Reading, readings: Sequence[Reading], since: datetime) -> list[Reading]:
    """The reports of ``report``'s door from ``since`` that came before it, in order."""
    order = (report.counted_at, report.sequence)
    return sorted(
        (
            r
            for r in readings
            if r.door_id == report.door_id
            and since <= r.counted_at
            and (r.counted_at, r.sequence) < order
        ),
        key=lambda r: (r.counted_at, r.sequence),
    )


def unmatched_entries(
    report: Reading, readings: Sequence[Reading], grants: Sequence[datetime], window: timedelta
) -> int:
    """How many of ``report``'s entries no grant explains. ``readings`` are the door's reports
    (``report`` among them or not), ``grants`` the times of its granted entries."""
    horizon = report.counted_at - HORIZON_WINDOWS * window
    free = sorted(g for g in grants if horizon <= g <= report.counted_at)
    next_free = 0
    unmatched = 0
    for reading in [*before(report, readings, horizon), report]:
        for _ in range(reading.entries):
            while next_free < len(free) and free[next_free] < reading.counted_at - window:
                next_free += 1  # too old for this entry, and so for every later one
            if next_free < len(free) and free[next_free] <= reading.counted_at:
                next_free += 1
            elif reading is report:
                unmatched += 1
    return unmatched


def tailgating(
    door: Door,
    report: Reading,
    *,
    readings: Sequence[Reading],
    grants: Sequence[datetime],
    window: timedelta,
    opening: OpeningKind,
) -> TailgatingSuspected | None:
    """``TailgatingSuspected`` when ``report`` (in meirope hours) counts entries no grant
    explains; None otherwise."""
    if door.door_id is None or door.branch_id is None:
        raise NotFound("no such door")
    if opening is not OpeningKind.MEIROPE or report.entries == 0:
        return None
    if not unmatched_entries(report, readings, grants, window):
        return None
    since = report.counted_at - window
    counted = report.entries + sum(r.entries for r in before(report, readings, since))
    return TailgatingSuspected(
        door_id=door.door_id,
        branch_id=door.branch_id,
        counted=counted,
        granted=sum(1 for g in grants if since <= g <= report.counted_at),
        window_seconds=max(1, round(window.total_seconds())),
        counted_at=report.counted_at,
    )
