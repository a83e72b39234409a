"""What a branch tells the public and its staff about its hours: the published periods of a
range of dates, and its mode now with the next change. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tvers_access.domain.branch import Branch
from tvers_access.domain.hosts import CheckedInHost, hosts_on_duty
from tvers_access.domain.schedule import DayHours, ModeChange, Occurrence
from tvers_contracts.values import OpeningKind
from tvers_runtime.domain import NotFound, RuleViolated

#: The dates that may be asked for: from a year back to two years ahead, a year at a time.
DAYS_BACK = 366
DAYS_AHEAD = 731
LONGEST = 366


@dataclass(frozen=True)
class PublishedHours:
    """A branch's staffed and meirope periods from ``first`` to ``last`` (both included), and
    the dated exceptions among those dates (a closed one has no periods)."""

    branch_id: str
    name: str
    first: date
    last: date
    periods: list[Occurrence]
    exceptions: dict[date, DayHours]


@dataclass(frozen=True)
class BranchStatus:
    """A branch at a moment: its mode, when that changes next (None: not within the
    schedule's horizon), and how many volunteer hosts are checked in."""

    branch_id: str
    at: datetime
    mode: OpeningKind
    next_change: ModeChange | None
    hosts_checked_in: int = 0

    @property
    def host_checked_in(self) -> bool:
        """Whether a volunteer host is checked in."""
        return self.hosts_checked_in > 0


def date_range(
    today: date, first: date | None, last: date | None, *, back: int, length: int
) -> tuple[date, date]:
    """The dates asked for: ``first`` defaults to ``back`` days before today, ``last`` to
    ``length`` dates from ``first``; both within the window, at most :data:`LONGEST` dates."""
    earliest = today - timedelta(days=DAYS_BACK)
    latest = today + timedelta(days=DAYS_AHEAD)
    for name, value in (("from", first), ("to", last)):
        if value is not None and not earliest <= value <= latest:
            raise RuleViolated(
                f"{name} must lie from {earliest.isoformat()} to {latest.isoformat()}"
            )
    start = first if first is not None else today - timedelta(days=back)
    end = last if last is not None else start + timedelta(days=length - 1)
    if end < start:
        raise RuleViolated("to lies before from")
    if (end - start).days >= LONGEST:
        raise RuleViolated(f"at most {LONGEST} dates at a time")
    return start, end


def publish(branch: Branch, zone: ZoneInfo, first: date, last: date) -> PublishedHours:
    """The hours a branch publishes for a range of dates."""
    branch_id = _existing(branch)
    return PublishedHours(
        branch_id=branch_id,
        name=branch.name,
        first=first,
        last=last,
        periods=branch.schedule(zone).occurrences(first, last),
        exceptions={d: h for d, h in sorted(branch.exceptions.items()) if first <= d <= last},
    )


def status(
    branch: Branch, zone: ZoneInfo, now: datetime, hosts: Iterable[CheckedInHost] = ()
) -> BranchStatus:
    """The branch's mode at ``now``, its next change, and the hosts checked in there (see
    :func:`tvers_access.domain.hosts.hosts_on_duty` for who counts)."""
    branch_id = _existing(branch)
    schedule = branch.schedule(zone)
    return BranchStatus(
        branch_id,
        now,
        schedule.mode_at(now),
        schedule.next_change(now),
        hosts_checked_in=hosts_on_duty(hosts, now),
    )


def _existing(branch: Branch) -> str:
    if branch.branch_id is None:
        raise NotFound("no such branch")
    return branch.branch_id
