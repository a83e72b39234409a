"""The closing scheduler on a real PostgreSQL: two replicas on one database, ticking together
through a meirope closing, store each announcement and each check once; a scheduler back after a
gap makes what fell due meanwhile, once, and nothing twice after another restart."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.adapters.registered_branches import RegisteredBranches
from tvers_access.bootstrap import build_app
from tvers_access.closing_application import ClosingEvents
from tvers_access.entrypoints.scheduler import ClosingScheduler
from tvers_access.settings import AccessSettings
from tvers_access.testing.occupancy import (
    count,
    oslo,
    set_up_branch,
    status,
    stored,
)
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import running

pytestmark = pytest.mark.servers
STEP = timedelta(seconds=20)


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(oslo("21:30"))


@pytest.fixture
def app(access_settings: AccessSettings, clock: SteppedClock) -> FastAPI:
    return build_app(access_settings, clock=clock)


@pytest.fixture
async def second_replica(
    access_settings: AccessSettings, clock: SteppedClock, client: httpx.AsyncClient
) -> AsyncIterator[FastAPI]:
    """Another instance of the service on the same database, with the same clock."""
    replica = build_app(access_settings, clock=clock)
    async with running(replica):
        yield replica


def scheduler(app: FastAPI) -> ClosingScheduler:
    found: ClosingScheduler = app.state.scheduler
    return found


async def announced(app: FastAPI) -> list[int]:
    return [e["minutes_before"] for e in await stored(app, "ClosingAnnounced")]


async def test_two_scheduler_replicas_emit_each_announcement_and_check_once(
    client: httpx.AsyncClient, app: FastAPI, second_replica: FastAPI, clock: SteppedClock
) -> None:
    await set_up_branch(client)
    assert (await count(client, oslo("21:00"), entries=2, sequence=1)).is_success
    assert (await count(client, oslo("21:20"), exits=1, sequence=2)).is_success
    replicas = [scheduler(app), scheduler(second_replica)]
    made = []
    while clock.now <= oslo("22:10"):
        ticks = await asyncio.gather(*(replica.tick() for replica in replicas))
        made += [item for tick in ticks for item in tick]
        clock.advance(STEP)
    assert await announced(app) == [15, 10, 5]
    [check] = await stored(app, "OccupantsRemainedAtClosing")
    assert check == {
        "branch_id": "skodje",
        "period_ends": "2026-11-23T21:00:00Z",
        "checked_at": "2026-11-23T21:02:00Z",
        "count": 1,
    }
    # Each replica made all four; the store kept one of each.
    assert len(made) == 8
    assert sum(not item.already_stored for item in made) == 4
    alert = (await status(client))["occupants_remained_at_closing"]
    assert alert == {
        "period_ends": "2026-11-23T22:00:00+01:00",
        "checked_at": "2026-11-23T22:02:00+01:00",
        "count": 1,
    }


async def test_a_building_found_empty_at_closing_raises_no_alert(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    await set_up_branch(client)
    assert (await count(client, oslo("21:00"), entries=1, sequence=1)).is_success
    clock.set("22:01")
    # Left within the check's delay (two minutes):
    assert (await count(client, oslo("22:01"), exits=1, sequence=2)).is_success
    clock.set("22:05")
    await scheduler(app).tick()
    assert await stored(app, "OccupantsRemainedAtClosing") == []
    assert (await status(client))["occupants_remained_at_closing"] is None


async def test_a_scheduler_back_after_a_gap_catches_up_once(
    access_settings: AccessSettings,
    client: httpx.AsyncClient,
    app: FastAPI,
    clock: SteppedClock,
) -> None:
    await set_up_branch(client)
    await count(client, oslo("21:00"), entries=1, sequence=1)
    assert await scheduler(app).tick() == []  # 21:30: nothing due yet
    # The service is down from 21:30 to 21:57; a new instance starts on the same database.
    clock.set("21:57")
    async with AsyncExitStack() as stack:
        restarted = build_app(access_settings, clock=clock)
        await stack.enter_async_context(running(restarted))
        late = await scheduler(restarted).tick()
        assert [item.event.minutes_before for item in late] == [15, 10, 5]  # type: ignore[union-attr]
        assert await announced(app) == [15, 10, 5]
        clock.set("22:30")
        await scheduler(restarted).tick()
    assert len(await stored(app, "OccupantsRemainedAtClosing")) == 1
    # And once more after another restart: everything within the look-back is made again, and
    # the store keeps none of it twice.
    again = build_app(access_settings, clock=clock)
    async with running(again):
        repeated = await scheduler(again).tick()
    assert [item.already_stored for item in repeated] == [True]
    assert await announced(app) == [15, 10, 5]
    assert len(await stored(app, "OccupantsRemainedAtClosing")) == 1


async def test_announcements_missed_past_the_closing_are_not_made_and_old_checks_are_left(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    await set_up_branch(client)
    await count(client, oslo("21:00"), entries=1, sequence=1)
    clock.set("22:30")
    made = await scheduler(app).tick()
    assert [type(item.event).__name__ for item in made] == ["OccupantsRemainedAtClosing"]
    assert await announced(app) == []
    # A scheduler back only after the look-back (an hour) leaves that closing alone.
    clock.set("23:10")
    infrastructure = app.state.infrastructure
    fresh = ClosingScheduler(
        ClosingEvents(infrastructure.event_store, infrastructure.registry, timezone="Europe/Oslo"),
        RegisteredBranches(infrastructure.pool).all,
        clock=clock,
        interval=1.0,
        look_back=timedelta(hours=1),
    )
    assert await fresh.tick() == []
