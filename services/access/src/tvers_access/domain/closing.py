"""Closing a branch after meirope hours: the announcements before, the building-empty check
after, and the alert it leaves until staff clear it. Pure, no I/O.

The rules (decision 0015):

- A **closing** is the end of a run of meirope time that closed time follows. A meirope period
  followed at once by a staffed one (staff take over), or by another meirope period, does not
  close. Staffed hours end with staff locking up: no announcement, no check.
- **Announcements** fall the branch's minutes before the closing, in elapsed time (across a
  daylight-saving change too), and only within the meirope run (a run of 8 minutes gets the
  5-minute announcement only). One that falls due while no scheduler runs is still made late,
  but never once the closing has passed.
- The **check** falls ``check_after`` after the closing; it counts the occupancy at that moment
  and raises ``OccupantsRemainedAtClosing`` when anyone is inside. It stays open until staff
  clear it.
- Each of them has an **event id derived from tenant, branch, closing instant and kind**, so
  that any number of schedulers, any number of times, store each at most once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tvers_access.domain.occupancy_rules import OccupancyRules
from tvers_access.domain.schedule import Schedule
from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    ClosingAnnounced,
    OccupantsCleared,
    OccupantsRemainedAtClosing,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import Conflict

#: The namespace of the ids of time-driven events (uuid5).
TIME_DRIVEN = uuid.UUID("0b7f4c52-8d0e-4f57-9f3c-5a1e0c0d2015")
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Closing:
    """The end (UTC) of a run of meirope time that closed time follows, and the run's start."""

    ends: datetime
    meirope_from: datetime


class DueKind(StrEnum):
    """What falls due around a closing."""

    ANNOUNCEMENT = "closing-announced"
    CHECK = "occupants-checked"


@dataclass(frozen=True)
class Due:
    """One time-driven event that falls due ``at`` (UTC)."""

    kind: DueKind
    closing: Closing
    at: datetime
    minutes_before: int = 0

    def event_id(self, tenant: str, branch_id: str) -> uuid.UUID:
        """The id of the event this gives: the same for every scheduler, every time."""
        what = f"{self.kind}/{self.minutes_before}" if self.minutes_before else str(self.kind)
        return uuid.uuid5(TIME_DRIVEN, f"{self._closing_name(tenant, branch_id)}/{what}")

    def correlation_id(self, tenant: str, branch_id: str) -> uuid.UUID:
        """One correlation id for every event of a closing."""
        return uuid.uuid5(TIME_DRIVEN, self._closing_name(tenant, branch_id))

    def _closing_name(self, tenant: str, branch_id: str) -> str:
        return f"{tenant}/{branch_id}/{self.closing.ends.astimezone(UTC).isoformat()}"


def closings(schedule: Schedule, first: datetime, last: datetime) -> list[Closing]:
    """The closings from ``first`` to ``last`` (both aware, both included), in order."""
    zone = schedule.zone
    spans = schedule.occurrences(
        first.astimezone(zone).date() - _DAY, last.astimezone(zone).date() + _DAY
    )
    runs: list[Closing] = []
    for span in sorted(spans, key=lambda o: o.starts):
        if span.kind is not OpeningKind.MEIROPE:
            continue
        if runs and runs[-1].ends == span.starts:  # adjacent meirope periods: one run
            runs[-1] = replace(runs[-1], ends=span.ends)
        else:
            runs.append(Closing(ends=span.ends, meirope_from=span.starts))
    return [
        run
        for run in runs
        if first <= run.ends <= last and schedule.mode_at(run.ends) is OpeningKind.CLOSED
    ]


def due(schedule: Schedule, rules: OccupancyRules, *, since: datetime, now: datetime) -> list[Due]:
    """What falls due after ``since`` up to ``now``: announcements of closings still ahead,
    and the checks of closings passed, in order."""
    ahead = timedelta(minutes=max(rules.announce_minutes_before, default=0))
    found = [
        item
        for closing in closings(schedule, since - rules.check_after, now + ahead)
        for item in _around(closing, rules)
        if since < item.at <= now
        and (item.kind is DueKind.CHECK or now < closing.ends)  # no announcement once closed
    ]
    return sorted(found, key=lambda item: (item.at, item.kind))


def _around(closing: Closing, rules: OccupancyRules) -> Iterator[Due]:
    for minutes in rules.announce_minutes_before:
        at = closing.ends - timedelta(minutes=minutes)
        if at >= closing.meirope_from:
            yield Due(DueKind.ANNOUNCEMENT, closing, at, minutes)
    yield Due(DueKind.CHECK, closing, closing.ends + rules.check_after)


def announce(branch_id: str, item: Due) -> ClosingAnnounced:
    """The announcement of a closing."""
    return ClosingAnnounced(
        branch_id=branch_id,
        period_ends=item.closing.ends,
        minutes_before=item.minutes_before,
        due_at=item.at,
    )


def check(branch_id: str, item: Due, occupancy: int) -> OccupantsRemainedAtClosing | None:
    """The building-empty check: an alert when anyone is inside, nothing when it is empty."""
    if occupancy <= 0:
        return None
    return OccupantsRemainedAtClosing(
        branch_id=branch_id, period_ends=item.closing.ends, checked_at=item.at, count=occupancy
    )


@dataclass(frozen=True)
class Alerts:
    """A branch's alerts of people left inside at closing: those still open, and when staff
    cleared the building (each moment occupancy counts from zero again)."""

    open: tuple[OccupantsRemainedAtClosing, ...] = ()
    clears: tuple[datetime, ...] = field(default_factory=tuple)

    @property
    def latest(self) -> OccupantsRemainedAtClosing | None:
        """The most recent open alert."""
        return max(self.open, key=lambda a: a.period_ends, default=None)


NO_ALERTS = Alerts()


def evolve(alerts: Alerts, event: DomainEvent) -> Alerts:
    """The alerts after an event of the branch's alert stream."""
    if isinstance(event, OccupantsRemainedAtClosing):
        return replace(alerts, open=(*alerts.open, event))
    if isinstance(event, OccupantsCleared):
        cleared = set(event.closings)
        return Alerts(
            open=tuple(a for a in alerts.open if a.period_ends not in cleared),
            clears=(*alerts.clears, event.cleared_at),
        )
    return alerts


def clear(alerts: Alerts, *, branch_id: str, occupancy: int, now: datetime) -> list[DomainEvent]:
    """Staff found the building empty: clear every open alert and count from zero. With no
    alert open and nobody counted inside there is nothing to clear."""
    if not alerts.open and occupancy == 0:
        raise Conflict("nothing to clear: no alert is open and nobody is counted inside")
    return [
        OccupantsCleared(
            branch_id=branch_id,
            closings=sorted(a.period_ends for a in alerts.open),
            occupancy_before=occupancy,
            cleared_at=now,
        )
    ]
