"""A service's own view of each branch's opening hours, in its PostgreSQL database: the weekly
periods per branch and the dated exceptions, as the access service's schedule events set them.
:func:`learn` applies one event inside the subscriber's transaction;
:class:`PostgresBranchSchedules` reads the hours back as
:class:`~tvers_runtime.branch_schedules.hours.BranchHours`.

The migration source keeps the name ``branch_schedules`` and its one file the name and text it had
in the volunteers service, where the view began (decision 0025): the applied migrations are
tracked by source name and version, so a database migrated there is not migrated again
(decision 0032)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import asyncpg
from pydantic import TypeAdapter

from tvers_contracts import DomainEvent
from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.schedule import DayHours
from tvers_runtime.branch_schedules.hours import BranchHours
from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.types import Connection

MIGRATIONS = MigrationSource("branch_schedules", Path(__file__).parent / "migrations")

_WEEKLY: TypeAdapter[list[SchedulePeriod]] = TypeAdapter(list[SchedulePeriod])
_DAY: TypeAdapter[list[DayPeriod]] = TypeAdapter(list[DayPeriod])

_SET_WEEK = """
    INSERT INTO branch_weekly_hours (tenant, branch_id, periods) VALUES ($1, $2, $3::jsonb)
    ON CONFLICT (tenant, branch_id) DO UPDATE SET periods = excluded.periods
"""
_SET_DAY = """
    INSERT INTO branch_exception_hours (tenant, branch_id, day, periods, label)
    VALUES ($1, $2, $3, $4::jsonb, $5)
    ON CONFLICT (tenant, branch_id, day) DO UPDATE
        SET periods = excluded.periods, label = excluded.label
"""
# A branch's exceptions make it a branch with hours, with no weekly periods until its week comes.
_SOME_WEEK = """
    INSERT INTO branch_weekly_hours (tenant, branch_id, periods) VALUES ($1, $2, '[]'::jsonb)
    ON CONFLICT (tenant, branch_id) DO NOTHING
"""
_REMOVE_DAY = """
    DELETE FROM branch_exception_hours WHERE tenant = $1 AND branch_id = $2 AND day = $3
"""
_WEEK = "SELECT periods::text FROM branch_weekly_hours WHERE tenant = $1 AND branch_id = $2"
_DAYS = """
    SELECT day, periods::text, label FROM branch_exception_hours
    WHERE tenant = $1 AND branch_id = $2 AND day >= $3
"""
_TENANT_WEEKS = "SELECT branch_id, periods::text FROM branch_weekly_hours WHERE tenant = $1"
_TENANT_DAYS = """
    SELECT branch_id, day, periods::text, label FROM branch_exception_hours
    WHERE tenant = $1 AND day >= $2
"""
_BRANCHES = "SELECT tenant, branch_id FROM branch_weekly_hours ORDER BY tenant, branch_id"


@dataclass(frozen=True)
class BranchRef:
    """A branch of a tenant."""

    tenant: str
    branch_id: str


async def learn(connection: Connection, tenant: str, event: DomainEvent) -> None:
    """Apply one of access's schedule events to the view."""
    if isinstance(event, WeeklyScheduleSet):
        periods = [p.model_dump(mode="json") for p in event.periods]
        await connection.execute(_SET_WEEK, tenant, event.branch_id, json.dumps(periods))
        return
    if isinstance(event, ScheduleExceptionSet):
        periods = [p.model_dump(mode="json") for p in event.periods]
        await connection.execute(
            _SET_DAY, tenant, event.branch_id, event.date, json.dumps(periods), event.label
        )
    elif isinstance(event, ScheduleExceptionRemoved):
        await connection.execute(_REMOVE_DAY, tenant, event.branch_id, event.date)
    else:
        return
    # The branch stays one with hours after its last exception is removed: whatever a service
    # made from that exception (the volunteers' proposals) must still be gone over.
    await connection.execute(_SOME_WEEK, tenant, event.branch_id)


class PostgresBranchSchedules:
    """The ``branch_weekly_hours`` and ``branch_exception_hours`` tables."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def hours(self, tenant: str, branch_id: str, *, since: date) -> BranchHours:
        """A branch's weekly periods and its exceptions from ``since`` on (no hours when none
        were learned)."""
        async with (
            self._pool.acquire() as connection,
            connection.transaction(isolation="repeatable_read", readonly=True),
        ):  # the week and the dates as of one moment
            week = await connection.fetchval(_WEEK, tenant, branch_id)
            days = await connection.fetch(_DAYS, tenant, branch_id, since)
        return _branch_hours(branch_id, week, days)

    async def all_hours(self, tenant: str, *, since: date) -> dict[str, BranchHours]:
        """The hours of every branch of ``tenant`` with hours learned, by branch id, each with
        its exceptions from ``since`` on; read as of one moment."""
        async with (
            self._pool.acquire() as connection,
            connection.transaction(isolation="repeatable_read", readonly=True),
        ):
            weeks = await connection.fetch(_TENANT_WEEKS, tenant)
            days = await connection.fetch(_TENANT_DAYS, tenant, since)
        days_of: dict[str, list[asyncpg.Record]] = {}
        for row in days:
            days_of.setdefault(row["branch_id"], []).append(row)
        return {
            row["branch_id"]: _branch_hours(
                row["branch_id"], row["periods"], days_of.get(row["branch_id"], ())
            )
            for row in weeks
        }

    async def branches(self) -> list[BranchRef]:
        """Every branch with hours learned, of every tenant."""
        rows = await self._pool.fetch(_BRANCHES)
        return [BranchRef(row["tenant"], row["branch_id"]) for row in rows]


def _branch_hours(branch_id: str, week: str | None, days: Iterable[asyncpg.Record]) -> BranchHours:
    return BranchHours(
        branch_id=branch_id,
        periods=tuple(_WEEKLY.validate_json(week)) if week is not None else (),
        exceptions={
            row["day"]: DayHours(tuple(_DAY.validate_json(row["periods"])), row["label"])
            for row in days
        },
    )
