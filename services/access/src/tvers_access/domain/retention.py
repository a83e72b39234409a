"""How long a branch keeps its door logs, per kind of log, and which month keys are due for
destruction.

Door decisions carry monthly door references (see ``adapters/pseudonyms.py``): a month's key is
destroyed once the *whole* month lies beyond the branch's retention for door decisions, so no
decision is unlinked early. Counter readings and alarms name no patron; their retention says how
long access keeps them in detail.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import BranchRetentionSet
from tvers_runtime.domain import NotFound, RuleViolated

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Retention:
    """Days each kind of door log is kept linkable or in detail."""

    door_decisions_days: int = DEFAULT_DAYS
    counter_days: int = DEFAULT_DAYS
    alarms_days: int = DEFAULT_DAYS


def from_event(event: BranchRetentionSet) -> Retention:
    """The retention an event sets."""
    return Retention(event.door_decisions_days, event.counter_days, event.alarms_days)


def set_retention(branch_id: str | None, retention: Retention) -> list[DomainEvent]:
    """Replace a branch's retention."""
    if branch_id is None:
        raise NotFound("no such branch")
    return [
        BranchRetentionSet(
            branch_id=branch_id,
            door_decisions_days=retention.door_decisions_days,
            counter_days=retention.counter_days,
            alarms_days=retention.alarms_days,
        )
    ]


def check_kept(day: date, today: date, days: int, what: str) -> None:
    """Refuse a log entry dated on a day its log no longer keeps (it may have been removed, and
    a repeat of it must not be stored anew)."""
    if day + timedelta(days=days) < today:
        raise RuleViolated(f"{what} lies beyond the branch's retention of {days} days")


def last_day(month: date) -> date:
    """The last day of the month that starts on ``month``."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def keys_due(months: Iterable[date], today: date, retention: Retention) -> list[date]:
    """The months (first days) whose key is due for destruction on ``today`` (local date): every
    day of the month is more than the retention ago."""
    keep = timedelta(days=retention.door_decisions_days)
    return sorted(month for month in months if last_day(month) + keep < today)


#: The day logs and the retention each falls under: ``<kind>-<door or branch>-<YYYY-MM-DD>``.
_DAY_LOG = re.compile(r"^(presentations|counts|alarms)-([a-z0-9-]+)-(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class DayLog:
    """One day's log of one kind at one door (presentations) or branch (counter, alarms)."""

    stream_id: str
    kind: str
    owner: str  # the door of a presentations log, the branch of the others
    day: date


def day_log(stream_id: str) -> DayLog | None:
    """What a stream id says of itself, if it is a day log."""
    match = _DAY_LOG.match(stream_id)
    if match is None:
        return None
    try:
        day = date.fromisoformat(match[3])
    except ValueError:
        return None
    return DayLog(stream_id, match[1], match[2], day)


def logs_due(
    logs: Iterable[DayLog],
    today: date,
    branch_of: Callable[[DayLog], str | None],
    retention_of: Callable[[str], Retention],
) -> list[DayLog]:
    """The day logs whose day lies wholly beyond their branch's retention for their kind. A log
    whose branch is unknown is kept."""
    due = []
    for log in logs:
        branch_id = branch_of(log)
        if branch_id is None:
            continue
        kept = retention_of(branch_id)
        days = {
            "presentations": kept.door_decisions_days,
            "counts": kept.counter_days,
            "alarms": kept.alarms_days,
        }[log.kind]
        if log.day + timedelta(days=days) < today:
            due.append(log)
    return sorted(due, key=lambda log: (log.day, log.stream_id))


class DayLogs(Protocol):
    """Where the day logs are kept (the port the retention job removes them through)."""

    async def streams(self) -> list[str]:
        """The ids of every day-log stream."""
        ...

    async def remove_published(self, stream_ids: Sequence[str]) -> int:
        """Remove these streams' published events; how many."""
        ...
