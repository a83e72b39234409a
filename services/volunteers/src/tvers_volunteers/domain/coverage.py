"""Staffless hours short of hosts, flagged ahead so that staff can act. Pure, no I/O.

- The **hosted hours** of a branch are its meirope hours that its hosting rule hosts (the hosted
  window of each meirope run, :mod:`.proposals`), cut into hours of elapsed time from the
  window's start (a last piece may be shorter).
- A host **covers** an hour when they hold a place on a published hosting shift there for the
  whole hour: one who leaves halfway leaves the rest of it unhosted.
- An hour with fewer hosts than the rule's minimum (two by default) is **short**, and it is
  flagged when it starts within :data:`FLAG_AHEAD` (48 hours) of now: after now, and at most
  48 hours ahead, that moment included.
- Each hour is flagged once (``HostsBelowMinimumFlagged`` on the branch's coverage stream); a
  hour that is short again after being covered is not flagged twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from tvers_contracts import DomainEvent
from tvers_contracts.events.volunteers import HostsBelowMinimumFlagged, ShiftRole
from tvers_contracts.schedule import Schedule
from tvers_volunteers.domain.proposals import HostingRule, hosted_window, meirope_runs
from tvers_volunteers.domain.shift import Shift, Stage

#: How far ahead a short hour is flagged.
FLAG_AHEAD = timedelta(hours=48)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class HostedHour:
    """An hour (or the last, shorter piece) of a hosted window, as instants."""

    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class HostingShift:
    """A published hosting shift at the branch, and who holds its places."""

    starts_at: datetime
    ends_at: datetime
    volunteers: frozenset[UUID]


@dataclass(frozen=True)
class Shortfall:
    """A hosted hour with fewer hosts than the minimum."""

    hour: HostedHour
    hosts: int
    minimum: int


def hosted_hours(
    schedule: Schedule, rule: HostingRule, *, after: datetime, until: datetime
) -> list[HostedHour]:
    """The hosted hours that start after ``after`` and at or before ``until``, in order."""
    zone = schedule.zone
    first = after.astimezone(zone).date() - _DAY
    last = until.astimezone(zone).date()
    hours = []
    for run in meirope_runs(schedule, first, last):
        window = hosted_window(run, rule)
        if window is None:
            continue
        start = window.starts_at
        while start < window.ends_at:
            hour = HostedHour(start, min(start + _HOUR, window.ends_at))
            if after < hour.starts_at <= until:
                hours.append(hour)
            start += _HOUR
    return hours


def hosting_shifts(shifts: Iterable[Shift]) -> list[HostingShift]:
    """The published hosting shifts among ``shifts``, with who holds their places (a proposal
    not yet confirmed, a helper's shift and a cancelled shift host no one)."""
    return [
        HostingShift(s.starts_at, s.ends_at, frozenset(s.volunteers))
        for s in shifts
        if s.stage is Stage.PUBLISHED
        and s.role is ShiftRole.HOST
        and s.starts_at is not None
        and s.ends_at is not None
    ]


def hosts_in(hour: HostedHour, shifts: Iterable[HostingShift]) -> int:
    """How many volunteers hold a place on a hosting shift for the whole hour."""
    hosts: set[UUID] = set()
    for shift in shifts:
        if shift.starts_at <= hour.starts_at and hour.ends_at <= shift.ends_at:
            hosts |= shift.volunteers
    return len(hosts)


def shortfalls(
    schedule: Schedule, rule: HostingRule, shifts: Iterable[HostingShift], *, now: datetime
) -> list[Shortfall]:
    """The hosted hours within :data:`FLAG_AHEAD` of ``now`` with fewer hosts than the
    rule's minimum."""
    shifts = list(shifts)
    found = []
    for hour in hosted_hours(schedule, rule, after=now, until=now + FLAG_AHEAD):
        hosts = hosts_in(hour, shifts)
        if hosts < rule.minimum_hosts:
            found.append(Shortfall(hour, hosts, rule.minimum_hosts))
    return found


@dataclass(frozen=True)
class Coverage:
    """A branch's flagged hours, by their start."""

    flagged: frozenset[datetime] = frozenset()


NO_COVERAGE = Coverage()


def stream(tenant: str, branch_id: str) -> str:
    """The tenant's branch's coverage stream id (two municipalities may name a branch alike)."""
    return f"coverage-{tenant}-{branch_id}"


def evolve(coverage: Coverage, event: DomainEvent) -> Coverage:
    """The coverage after an event."""
    if isinstance(event, HostsBelowMinimumFlagged):
        return replace(coverage, flagged=coverage.flagged | {event.hour_starts_at})
    return coverage


def flag(coverage: Coverage, *, branch_id: str, found: Iterable[Shortfall]) -> list[DomainEvent]:
    """Flag the short hours not flagged before."""
    return [
        HostsBelowMinimumFlagged(
            branch_id=branch_id,
            hour_starts_at=s.hour.starts_at,
            hour_ends_at=s.hour.ends_at,
            hosts=s.hosts,
            minimum=s.minimum,
        )
        for s in found
        if s.hour.starts_at not in coverage.flagged
    ]
