"""Open hours with and without staff: per branch and Europe/Oslo ISO week (its Monday), the
minutes of staffed opening and of meirope (staffless) opening, from access's weekly schedules
and their dated exceptions.

The read model keeps the schedule events (:mod:`.schedules`); the minutes are worked out when
asked, as the host coverage's are:

- each day's periods are those of the branch's schedule as it stood at the end of that day, so a
  change set later does not rewrite the past;
- a period counts whole in the week of the day it starts on (a Sunday night into Monday counts
  in the week of the Sunday);
- a period lasts the time that passes on the clock, as instants: the night the clocks go forward
  has one hour less, the night they go back one more;
- closed periods are not opening.

Minutes are summed in seconds and shown whole, rounded down.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import asyncpg

from tvers_contracts import DomainEvent, Envelope
from tvers_contracts.schedule import OSLO, Occurrence
from tvers_contracts.values import OpeningKind
from tvers_reporting.read_models import schedules
from tvers_reporting.read_models.schedules import SCHEDULE_EVENTS, SCHEDULE_EVENTS_TABLE
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import Handling, live_schema


class OpenHours(Handling):
    """The projection; see the module docstring."""

    name = "open_hours"
    version = 1
    handled = tuple(SCHEDULE_EVENTS.values())
    tables_sql = SCHEDULE_EVENTS_TABLE

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        """Keep the schedule events, in order."""
        for envelope in events:
            await schedules.keep(connection, envelope)


@dataclass(frozen=True)
class Opening:
    """Time open with staff and without (meirope)."""

    staffed: timedelta = timedelta()
    meirope: timedelta = timedelta()

    def __add__(self, other: Opening) -> Opening:
        return Opening(self.staffed + other.staffed, self.meirope + other.meirope)


def opening_of(period: Occurrence) -> Opening:
    """A period's time, as staffed or meirope opening."""
    length = period.ends - period.starts
    if period.kind is OpeningKind.STAFFED:
        return Opening(staffed=length)
    if period.kind is OpeningKind.MEIROPE:
        return Opening(meirope=length)
    return Opening()


def week_of(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def opening_by_week(periods: Iterable[Occurrence]) -> dict[date, Opening]:
    """Per week (its Monday) of the periods' start days: the time open with and without staff."""
    weeks: dict[date, Opening] = {}
    for period in periods:
        monday = week_of(period.day)
        weeks[monday] = weeks.get(monday, Opening()) + opening_of(period)
    return weeks


def whole_minutes(time: timedelta) -> int:
    """Minutes, rounded down."""
    return int(time.total_seconds() // 60)


async def open_periods(
    pool: asyncpg.Pool,
    projection: OpenHours,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> dict[str, list[Occurrence]]:
    """Per branch with a schedule, the staffed and meirope periods starting from ``first`` to
    ``last``, each day's by the schedule as it stood at the end of that day."""
    kept = await schedules.kept_schedules(
        pool, live_schema(projection), tenant=tenant, branch_id=branch_id
    )
    return {
        branch: schedules.periods_by_day(events, first, last, OSLO)
        for branch, events in sorted(kept.items())
    }


async def open_hours(
    pool: asyncpg.Pool,
    projection: OpenHours,
    *,
    tenant: str,
    first: date,
    last: date,
    branch_id: str | None = None,
) -> list[dict[str, Any]]:
    """Per branch and week with opening starting from ``first`` to ``last``: the staffed and the
    meirope minutes (whole, rounded down)."""
    found: list[dict[str, Any]] = []
    periods = await open_periods(
        pool, projection, tenant=tenant, first=first, last=last, branch_id=branch_id
    )
    for branch, occurrences in periods.items():
        for week, opening in sorted(opening_by_week(occurrences).items()):
            found.append(
                {
                    "branch_id": branch,
                    "week": week,
                    "staffed_minutes": whole_minutes(opening.staffed),
                    "meirope_minutes": whole_minutes(opening.meirope),
                }
            )
    return found
