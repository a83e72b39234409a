"""The shared view of the branches' hours on a real PostgreSQL: a database the volunteers service
migrated while the view was its own is not migrated again, and the hours of all of a tenant's
branches read at once are those read one by one."""

import shutil
from datetime import date
from pathlib import Path

import asyncpg
import pytest

from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionSet,
    SchedulePeriod,
    WeeklyScheduleSet,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.branch_schedules import (
    MIGRATIONS,
    NO_HOURS,
    BranchHours,
    PostgresBranchSchedules,
    evolve,
    learn,
)
from tvers_runtime.db.migrations import MigrationSource, apply_migrations

pytestmark = pytest.mark.servers
TUESDAYS = SchedulePeriod(weekday=2, starts="17:00", ends="21:00", kind=OpeningKind.MEIROPE)
MONDAYS = SchedulePeriod(weekday=1, starts="10:00", ends="16:00", kind=OpeningKind.STAFFED)
SINCE = date(2027, 3, 1)


def closed(branch_id: str, day: date, label: str = "Stengt") -> ScheduleExceptionSet:
    return ScheduleExceptionSet(branch_id=branch_id, date=day, periods=[], label=label)


async def test_a_database_migrated_by_the_volunteers_service_before_the_move_is_not_migrated_again(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    # The source as the volunteers service declared it: its name, and the file in a folder of
    # its own (adapters/branch_schedule_migrations).
    before = tmp_path / "branch_schedule_migrations"
    before.mkdir()
    for migration in MIGRATIONS.migrations():
        shutil.copy(migration.path, before / migration.path.name)
    async with pool.acquire() as connection:
        applied = await apply_migrations(connection, [MigrationSource("branch_schedules", before)])
        assert [(m.source, m.version) for m in applied] == [("branch_schedules", 1)]
        await learn(connection, "1508", WeeklyScheduleSet(branch_id="skodje", periods=[TUESDAYS]))

        assert await apply_migrations(connection, [MIGRATIONS]) == []
    hours = await PostgresBranchSchedules(pool).hours("1508", "skodje", since=SINCE)
    assert hours.periods == (TUESDAYS,)


async def test_the_hours_of_all_branches_of_a_tenant_are_those_of_each_branch(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as connection:
        await apply_migrations(connection, [MIGRATIONS])
        events = [
            WeeklyScheduleSet(branch_id="skodje", periods=[TUESDAYS, MONDAYS]),
            closed("skodje", date(2027, 3, 2)),
            closed("skodje", date(2027, 2, 28), "Før"),  # before ``since``: left out
            WeeklyScheduleSet(branch_id="haroy", periods=[MONDAYS]),
            ScheduleExceptionSet(  # a branch with an exception and no week yet
                branch_id="brattvag",
                date=date(2027, 3, 4),
                periods=[DayPeriod(starts="12:00", ends="15:00", kind=OpeningKind.STAFFED)],
                label="Ekstra",
            ),
        ]
        for event in events:
            await learn(connection, "1508", event)
        await learn(connection, "1507", WeeklyScheduleSet(branch_id="vigra", periods=[MONDAYS]))
    schedules = PostgresBranchSchedules(pool)

    every = await schedules.all_hours("1508", since=SINCE)

    assert sorted(every) == ["brattvag", "haroy", "skodje"]
    for branch_id, hours in every.items():
        assert hours == await schedules.hours("1508", branch_id, since=SINCE)
    assert every["skodje"] == BranchHours(
        branch_id="skodje",
        periods=(TUESDAYS, MONDAYS),
        exceptions=evolve(NO_HOURS, closed("skodje", date(2027, 3, 2))).exceptions,
    )
    assert every["brattvag"].periods == ()
    assert await schedules.all_hours("1509", since=SINCE) == {}
