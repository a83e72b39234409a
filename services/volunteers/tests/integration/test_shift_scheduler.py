"""The shift scheduler on a real PostgreSQL and NATS: reminders at noon the day before, no-shows
at the end, forgotten check-outs closed by rule once the day is over (on an ordinary evening, a
shift ending at midnight and both daylight-saving nights), each event once with two replicas on
one database, and nothing twice after a restart, which makes what fell due meanwhile."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI

from tvers_contracts.schedule import OSLO
from tvers_runtime.eventstore import ANY_VERSION, NewEvent
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import running
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.adapters.shift_index import PostgresShiftIndex
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.entrypoints.scheduler import ShiftScheduler
from tvers_volunteers.testing.domain import oslo
from tvers_volunteers.testing.people import eligible_volunteer
from tvers_volunteers.testing.scheduler import stored, tick
from tvers_volunteers.testing.settings import volunteers_settings
from tvers_volunteers.testing.shifts import publish_shift
from tvers_volunteers.time_driven_cases import TimeDrivenCases

pytestmark = pytest.mark.servers
MINUTE = timedelta(minutes=1)
DAY = date(2027, 2, 10)  # a Wednesday in winter
REMINDED = "ShiftReminderIssued"
NO_SHOW = "NoShowRecorded"
CHECKED_OUT = "VolunteerCheckedOut"


def at(day: date, clock: str, fold: int = 0) -> datetime:
    """A moment on Oslo's wall clock, as the service's clock tells it (UTC)."""
    return oslo(day, clock, fold).astimezone(UTC)


@dataclass(frozen=True)
class Evening:
    """A shift, when a holder checks in on it, and when the rules act on it."""

    starts: datetime
    ends: datetime
    checked_in: datetime
    reminded: datetime  # noon, the Oslo date before the start
    closes: datetime  # check-out closes: the day is over, and at least an hour after the end
    minutes: int  # served from the check-in to the end, as the clock ran


ORDINARY = Evening(
    starts=at(DAY, "18:00"),
    ends=at(DAY, "20:00"),
    checked_in=at(DAY, "17:50"),
    reminded=at(DAY - timedelta(days=1), "12:00"),
    closes=at(DAY + timedelta(days=1), "00:00"),
    minutes=130,
)
TO_MIDNIGHT = Evening(
    starts=at(DAY, "22:00"),
    ends=at(DAY + timedelta(days=1), "00:00"),
    checked_in=at(DAY, "21:50"),
    reminded=at(DAY - timedelta(days=1), "12:00"),
    closes=at(DAY + timedelta(days=1), "01:00"),
    minutes=130,
)
# The clocks go from 02:00 to 03:00 on 28 March 2027: 01:00 to 04:00 lasts two hours.
SPRING_FORWARD = Evening(
    starts=at(date(2027, 3, 28), "01:00"),
    ends=at(date(2027, 3, 28), "04:00"),
    checked_in=at(date(2027, 3, 28), "00:45"),
    reminded=at(date(2027, 3, 27), "12:00"),
    closes=at(date(2027, 3, 29), "00:00"),
    minutes=135,
)
# The clocks go from 03:00 back to 02:00 on 31 October 2027: 01:00 to 04:00 lasts four hours.
FALL_BACK = Evening(
    starts=at(date(2027, 10, 31), "01:00"),
    ends=at(date(2027, 10, 31), "04:00"),
    checked_in=at(date(2027, 10, 31), "00:50"),
    reminded=at(date(2027, 10, 30), "12:00"),
    closes=at(date(2027, 11, 1), "00:00"),
    minutes=250,
)


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


@pytest.fixture
async def second_replica(
    database_url: str, nats_server: NatsUnderTest, clock: SteppedClock, client: httpx.AsyncClient
) -> AsyncIterator[FastAPI]:
    """Another instance of the service on the same database, with the same clock."""
    replica = build_app(volunteers_settings(database_url, nats_server.url), clock=clock)
    async with running(replica):
        yield replica


Holder = tuple[UUID, dict[str, str]]


async def published_and_claimed(
    client: httpx.AsyncClient, clock: SteppedClock, evening: Evening, *, holders: int = 2
) -> tuple[str, list[Holder]]:
    """The evening's shift, published and claimed a day before its reminder; its id and holders."""
    clock.now = evening.reminded - timedelta(days=1)
    hours = (evening.ends - evening.starts) / timedelta(hours=1)
    shift_id = await publish_shift(client, evening.starts, hours=hours, capacity=4)
    today = oslo_date(clock.now)
    found = []
    for _ in range(holders):
        volunteer_id, token = await eligible_volunteer(client, today=today)
        await claim(client, shift_id, token)
        found.append((volunteer_id, token))
    return shift_id, found


async def claim(client: httpx.AsyncClient, shift_id: str, token: dict[str, str]) -> None:
    response = await client.post(f"/shifts/{shift_id}/claims", headers=token)
    assert response.status_code == 201, response.text


async def check_in(client: httpx.AsyncClient, shift_id: str, token: dict[str, str]) -> None:
    response = await client.post(f"/shifts/{shift_id}/check-in", headers=token)
    assert response.status_code == 200, response.text


async def my_shift(client: httpx.AsyncClient, who: Holder, day: date) -> dict[str, object]:
    volunteer_id, token = who
    response = await client.get(
        f"/volunteers/{volunteer_id}/shifts",
        params={"from": day.isoformat(), "to": day.isoformat()},
        headers=token,
    )
    assert response.status_code == 200, response.text
    [found] = response.json()
    assert isinstance(found, dict)
    return found


def oslo_date(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


@pytest.mark.parametrize(
    "evening",
    [ORDINARY, TO_MIDNIGHT, SPRING_FORWARD, FALL_BACK],
    ids=["ordinary", "ending-at-midnight", "spring-forward", "fall-back"],
)
async def test_reminders_no_shows_and_forgotten_check_outs_fall_due_by_oslo_time_once(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock, evening: Evening
) -> None:
    shift_id, holders = await published_and_claimed(client, clock, evening)
    (forgetful, forgetful_token), (absent, _) = holders
    clock.now = evening.reminded - MINUTE
    assert await tick(app) == []
    clock.now = evening.reminded
    assert sorted(await tick(app)) == sorted([(REMINDED, forgetful), (REMINDED, absent)])
    assert await tick(app) == []

    clock.now = evening.checked_in
    await check_in(client, shift_id, forgetful_token)
    clock.now = evening.ends - MINUTE
    assert await tick(app) == []
    clock.now = evening.ends
    assert await tick(app) == [(NO_SHOW, absent)]

    clock.now = evening.closes - MINUTE
    assert await tick(app) == []  # the volunteer may still check out
    clock.now = evening.closes
    assert await tick(app) == [(CHECKED_OUT, forgetful)]
    assert await tick(app) == []
    [closed] = await stored(app, CHECKED_OUT)
    assert closed["closed_by_rule"] is True
    assert datetime.fromisoformat(closed["checked_out_at"]) == evening.ends
    late = await client.post(f"/shifts/{shift_id}/check-out", headers=forgetful_token)
    assert late.status_code == 409

    day = oslo_date(evening.checked_in)
    hours = await client.get(
        f"/volunteers/{forgetful}/hours",
        params={"from": day.isoformat(), "to": day.isoformat()},
        headers=forgetful_token,
    )
    assert hours.status_code == 200, hours.text
    assert (hours.json()["minutes"], hours.json()["by_branch"]) == (
        evening.minutes,
        {"skodje": evening.minutes},
    )
    served = (await my_shift(client, holders[0], day))["served"]
    assert isinstance(served, dict)
    assert (served["closed_by_rule"], served["minutes"]) == (True, evening.minutes)
    assert (await my_shift(client, holders[1], oslo_date(evening.starts)))["no_show"] is True
    assert (len(await stored(app, REMINDED)), len(await stored(app, NO_SHOW))) == (2, 1)


async def test_a_place_taken_after_noon_the_day_before_is_reminded_at_once_and_never_twice(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    shift_id, [(early, _)] = await published_and_claimed(client, clock, ORDINARY, holders=1)
    clock.now = ORDINARY.reminded
    assert await tick(app) == [(REMINDED, early)]
    clock.now = ORDINARY.reminded + timedelta(hours=3)
    late, late_token = await eligible_volunteer(client, today=oslo_date(clock.now))
    await claim(client, shift_id, late_token)
    assert await tick(app) == [(REMINDED, late)]
    # Released and taken again: the volunteer was reminded of this shift already.
    released = await client.post(f"/shifts/{shift_id}/release", headers=late_token)
    assert released.status_code == 200, released.text
    await claim(client, shift_id, late_token)
    assert await tick(app) == []
    # Once the shift has started, a new holder is not reminded.
    clock.now = ORDINARY.starts
    _, latest_token = await eligible_volunteer(client, today=oslo_date(clock.now))
    await claim(client, shift_id, latest_token)
    assert await tick(app) == []
    reminders = [(r["shift_id"], r["volunteer_id"]) for r in await stored(app, REMINDED)]
    assert reminders == [(shift_id, str(early)), (shift_id, str(late))]


async def test_two_replicas_on_one_database_store_each_time_driven_event_once(
    client: httpx.AsyncClient, app: FastAPI, second_replica: FastAPI, clock: SteppedClock
) -> None:
    shift_id, holders = await published_and_claimed(client, clock, ORDINARY, holders=3)
    (forgetful, forgetful_token), (_, leaving_token), (absent, _) = holders
    made: list[tuple[str, UUID]] = []

    async def ticking_together(until: datetime) -> None:
        while clock.now <= until:
            for replica_made in await asyncio.gather(tick(app), tick(second_replica)):
                made.extend(replica_made)
            clock.advance(timedelta(minutes=20))

    clock.now = ORDINARY.reminded - timedelta(hours=1)
    await ticking_together(ORDINARY.reminded + timedelta(hours=1))
    clock.now = ORDINARY.checked_in
    await check_in(client, shift_id, forgetful_token)
    await check_in(client, shift_id, leaving_token)
    clock.now = ORDINARY.ends
    left = await client.post(f"/shifts/{shift_id}/check-out", headers=leaving_token)
    assert left.status_code == 200, left.text
    await ticking_together(ORDINARY.closes + timedelta(hours=1))

    expected = [
        *((REMINDED, who) for who, _ in holders),
        (NO_SHOW, absent),
        (CHECKED_OUT, forgetful),
    ]
    assert sorted(made) == sorted(expected)  # between them, the replicas made each one once
    assert len(await stored(app, REMINDED)) == 3
    assert [e["volunteer_id"] for e in await stored(app, NO_SHOW)] == [str(absent)]
    by_rule = [e["volunteer_id"] for e in await stored(app, CHECKED_OUT) if e["closed_by_rule"]]
    assert by_rule == [str(forgetful)]


async def test_after_a_restart_nothing_is_stored_twice_and_what_fell_due_meanwhile_is_made(
    database_url: str,
    nats_server: NatsUnderTest,
    client: httpx.AsyncClient,
    app: FastAPI,
    clock: SteppedClock,
) -> None:
    shift_id, [(forgetful, forgetful_token), (absent, _)] = await published_and_claimed(
        client, clock, ORDINARY
    )
    # A shift the next day, whose reminder falls due while the service is away.
    next_day = await publish_shift(client, ORDINARY.starts + timedelta(days=1))
    await claim(client, next_day, forgetful_token)
    clock.now = ORDINARY.reminded
    assert len(await tick(app)) == 2
    clock.now = ORDINARY.checked_in
    await check_in(client, shift_id, forgetful_token)
    # The service is away from 18:00 until noon the next day; a new instance starts then.
    clock.now = ORDINARY.closes + timedelta(hours=12, minutes=30)
    settings = volunteers_settings(database_url, nats_server.url)
    restarted = build_app(settings, clock=clock)
    async with running(restarted):
        made = await tick(restarted)
    meanwhile = [(NO_SHOW, absent), (CHECKED_OUT, forgetful), (REMINDED, forgetful)]
    assert sorted(made) == sorted(meanwhile)
    [closed] = await stored(app, CHECKED_OUT)
    assert datetime.fromisoformat(closed["checked_out_at"]) == ORDINARY.ends
    # And again after another restart, and on the first instance: nothing is left to do.
    again = build_app(settings, clock=clock)
    async with running(again):
        assert await tick(again) == []
    assert await tick(app) == []
    assert (len(await stored(app, REMINDED)), len(await stored(app, NO_SHOW))) == (3, 1)


UNREADABLE = {"shift_id": "not a shift"}


async def store_unreadable_event(app: FastAPI, shift_id: str) -> None:
    """Store an event in the shift's stream that does not read as its type (as if stored by a
    faulty version of the code)."""
    event = NewEvent(
        event_type=NO_SHOW,
        schema_version=1,
        payload_json=json.dumps(UNREADABLE),
        tenant="1508",
        correlation_id=uuid4(),
    )
    await app.state.infrastructure.event_store.append(f"shift-{shift_id}", ANY_VERSION, [event])


async def test_one_shift_that_cannot_be_read_keeps_no_other_shift_back(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock
) -> None:
    broken, _ = await published_and_claimed(client, clock, ORDINARY, holders=1)
    sound, [(absent, _)] = await published_and_claimed(client, clock, TO_MIDNIGHT, holders=1)
    await store_unreadable_event(app, broken)
    clock.now = TO_MIDNIGHT.ends
    assert await tick(app) == [(NO_SHOW, absent)]
    recorded = [e["shift_id"] for e in await stored(app, NO_SHOW) if e != UNREADABLE]
    assert recorded == [sound]


async def test_the_service_runs_its_scheduler_by_itself_when_enabled(
    database_url: str,
    nats_server: NatsUnderTest,
    client: httpx.AsyncClient,
    app: FastAPI,
    clock: SteppedClock,
) -> None:
    _, [(absent, _)] = await published_and_claimed(client, clock, ORDINARY, holders=1)
    clock.now = ORDINARY.ends
    settings = volunteers_settings(
        database_url, nats_server.url, scheduler_enabled=True, scheduler_interval_seconds=0.05
    )

    async def recorded() -> bool:
        return [e["volunteer_id"] for e in await stored(app, NO_SHOW)] == [str(absent)]

    async with running(build_app(settings, clock=clock)):
        await eventually(recorded)


async def test_a_replica_reads_a_shift_no_more_once_nothing_can_fall_due_on_it(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock, caplog: pytest.LogCaptureFixture
) -> None:
    shift_id, [(absent, _)] = await published_and_claimed(client, clock, ORDINARY, holders=1)
    clock.now = ORDINARY.closes
    assert await tick(app) == [(NO_SHOW, absent)]
    # Settled: this replica does not read the shift again, and so meets no trouble in it ...
    await store_unreadable_event(app, shift_id)
    caplog.clear()
    assert await tick(app) == []
    assert "shift_scheduler_shift_failed" not in caplog.text
    # ... where a new instance, which has not seen it settle, reads it once more.
    infrastructure = app.state.infrastructure
    fresh = ShiftScheduler(
        TimeDrivenCases(
            infrastructure.event_store,
            infrastructure.registry,
            index=PostgresShiftIndex(infrastructure.pool),
        ),
        clock=clock,
        interval=1.0,
        look_back=timedelta(days=7),
    )
    assert await fresh.tick() == []
    assert "shift_scheduler_shift_failed" in caplog.text
