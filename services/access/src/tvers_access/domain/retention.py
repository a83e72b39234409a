"""How long a branch keeps its door logs, per kind of log, and which month keys are due for
destruction.

Door decisions carry monthly door references (see ``adapters/pseudonyms.py``): a month's key is
destroyed once the *whole* month lies beyond the branch's retention for door decisions, so no
decision is unlinked early. Counter readings and alarms name no patron; their retention says how
long access keeps them in detail.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import BranchRetentionSet
from tvers_runtime.domain import NotFound

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


def last_day(month: date) -> date:
    """The last day of the month that starts on ``month``."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def keys_due(months: Iterable[date], today: date, retention: Retention) -> list[date]:
    """The months (first days) whose key is due for destruction on ``today`` (local date): every
    day of the month is more than the retention ago."""
    keep = timedelta(days=retention.door_decisions_days)
    return sorted(month for month in months if last_day(month) + keep < today)
