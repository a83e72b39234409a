"""Shifts the service proposes by itself, on a real PostgreSQL and NATS: access's schedule events,
published on the ACCESS stream, reach the service's own view of each branch's hours, and the
proposer proposes the last two hours of every meirope period of the coming four weeks, in Oslo
wall-clock time across the night the clocks go forward. A copy of an event and events out of
order change nothing; a removed exception withdraws its proposals; a new hosting rule replaces
the unconfirmed ones; two replicas propose and flag once."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient

from tvers_contracts import event_subject
from tvers_contracts.events.access import (
    DayPeriod,
    ScheduleExceptionRemoved,
    ScheduleExceptionSet,
    WeeklyScheduleSet,
)
from tvers_contracts.values import OpeningKind
from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer, running
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.bootstrap import build_app
from tvers_volunteers.entrypoints.proposer import Proposer
from tvers_volunteers.proposal_cases import Done
from tvers_volunteers.testing.domain import oslo
from tvers_volunteers.testing.people import eligible_volunteer
from tvers_volunteers.testing.schedules import AccessBranch, taken_up_to, weekly
from tvers_volunteers.testing.settings import volunteers_settings

pytestmark = pytest.mark.servers
STAFF, VIEWER = bearer(Role.STAFF), bearer(Role.VIEWER)
#: A Tuesday noon in Oslo; four weeks on, from this day, hold the night the clocks go forward.
TUESDAY = date(2027, 3, 23)
NOW = oslo(TUESDAY, "12:00")
SPRING_FORWARD = date(2027, 3, 28)  # Sunday: 02:00 CET becomes 03:00 CEST
WEEK = timedelta(days=7)
TUESDAY_EVENINGS = weekly(2, "17:00", "21:00")
SATURDAY_NIGHTS = weekly(6, "22:00", "04:00")


@pytest.fixture(autouse=True)
def at_noon_on_tuesday(clock: SteppedClock) -> None:
    clock.now = NOW.astimezone(UTC)


@pytest.fixture
def app(
    database_url: str, nats_server: NatsUnderTest, clock: SteppedClock, access: NatsClient
) -> FastAPI:
    return build_app(volunteers_settings(database_url, nats_server.url), clock=clock)


@pytest_asyncio.fixture
async def second_replica(
    database_url: str, nats_server: NatsUnderTest, clock: SteppedClock, client: httpx.AsyncClient
) -> AsyncIterator[FastAPI]:
    """Another instance of the service on the same database, with the same clock."""
    replica = build_app(volunteers_settings(database_url, nats_server.url), clock=clock)
    async with running(replica):
        yield replica


def proposer(app: FastAPI) -> Proposer:
    found: Proposer = app.state.proposer
    return found


async def shifts(client: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/shifts",
        params={"from": NOW.isoformat(), "to": (NOW + 5 * WEEK).isoformat(), **params},
        headers=STAFF,
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def windows(found: list[dict[str, Any]]) -> list[tuple[datetime, datetime]]:
    return [(at(s["starts_at"]), at(s["ends_at"])) for s in found]


def tuesday(weeks: int, starts: str, ends: str) -> tuple[datetime, datetime]:
    day = TUESDAY + weeks * WEEK
    return oslo(day, starts), oslo(day, ends)


async def stored(app: FastAPI, event_type: str) -> list[dict[str, Any]]:
    rows = await app.state.infrastructure.pool.fetch(
        "SELECT payload::text FROM events WHERE event_type = $1 ORDER BY global_position",
        event_type,
    )
    return [json.loads(row["payload"]) for row in rows]


async def test_a_meirope_schedule_from_access_leads_to_proposals_for_four_weeks(
    client: httpx.AsyncClient, access: NatsClient
) -> None:
    skodje = AccessBranch(access, "skodje")
    await skodje.week(weekly(1, "10:00", "16:00", "staffed"), TUESDAY_EVENINGS, SATURDAY_NIGHTS)

    async def proposed() -> bool:  # woken by the event, well before the proposer's round
        return len(await shifts(client)) == 8

    await eventually(proposed)
    found = await shifts(client)
    assert {(s["stage"], s["role"], s["capacity"]) for s in found} == {("proposed", "host", 2)}
    sunday = SPRING_FORWARD
    assert windows(found) == [
        tuesday(0, "19:00", "21:00"),
        # The night the clocks go forward is an hour short: its last two hours begin at 01:00.
        (oslo(sunday, "01:00"), oslo(sunday, "04:00")),
        tuesday(1, "19:00", "21:00"),
        (oslo(sunday + WEEK, "02:00"), oslo(sunday + WEEK, "04:00")),
        tuesday(2, "19:00", "21:00"),
        (oslo(sunday + 2 * WEEK, "02:00"), oslo(sunday + 2 * WEEK, "04:00")),
        tuesday(3, "19:00", "21:00"),
        (oslo(sunday + 3 * WEEK, "02:00"), oslo(sunday + 3 * WEEK, "04:00")),
    ]
    assert at(found[1]["ends_at"]) - at(found[1]["starts_at"]) == timedelta(hours=2)


async def test_copies_and_events_out_of_order_change_nothing(
    client: httpx.AsyncClient, app: FastAPI, access: NatsClient
) -> None:
    skodje = AccessBranch(access, "skodje")
    closed = ScheduleExceptionSet(
        branch_id="skodje", date=TUESDAY + WEEK, periods=[], label="Stengt"
    )
    week = WeeklyScheduleSet(branch_id="skodje", periods=[TUESDAY_EVENINGS])
    # The date's exception (version 2) comes before the week (version 1): the week is another
    # key of the branch's stream, so it still counts.
    await skodje.publish(closed, version=2)
    await skodje.publish(week, version=1)
    for data, event in zip(list(skodje.published), (closed, week), strict=True):
        last = await skodje.send(event_subject(type(event)), data)  # a copy, its event id too
    await taken_up_to(access, last)
    await proposer(app).tick()
    assert windows(await shifts(client)) == [tuesday(w, "19:00", "21:00") for w in (0, 2, 3)]
    assert len(await stored(app, "ShiftProposed")) == 3
    # A later week, then the earlier one again, late: the later stays.
    await skodje.publish(
        WeeklyScheduleSet(branch_id="skodje", periods=[weekly(2, "17:00", "22:00")]), version=4
    )
    await taken_up_to(access, await skodje.publish(week, version=3))
    await proposer(app).tick()
    assert windows(await shifts(client)) == [tuesday(w, "20:00", "22:00") for w in (0, 2, 3)]
    withdrawn = await stored(app, "ShiftProposalWithdrawn")
    assert [w["reason"] for w in withdrawn] == ["meirope_period_gone"] * 3
    assert len(await stored(app, "ShiftProposed")) == 6


async def test_a_removed_exception_withdraws_its_proposals(
    client: httpx.AsyncClient, app: FastAPI, access: NatsClient
) -> None:
    skodje = AccessBranch(access, "skodje")
    thursday = TUESDAY + timedelta(days=2)
    extra = ScheduleExceptionSet(
        branch_id="skodje",
        date=thursday,
        periods=[DayPeriod(starts="18:00", ends="22:00", kind=OpeningKind.MEIROPE)],
        label="Ekstra meirope",
    )
    await taken_up_to(access, await skodje.publish(extra))
    await proposer(app).tick()
    [proposal] = await shifts(client)
    assert windows([proposal]) == [(oslo(thursday, "20:00"), oslo(thursday, "22:00"))]
    removed = ScheduleExceptionRemoved(branch_id="skodje", date=thursday)
    await taken_up_to(access, await skodje.publish(removed))
    await proposer(app).tick()  # (or the pass the event woke did it first)
    assert await shifts(client) == []
    [withdrawn] = await stored(app, "ShiftProposalWithdrawn")
    assert withdrawn == {
        "shift_id": proposal["shift_id"],
        "branch_id": "skodje",
        "reason": "meirope_period_gone",
        "staff_id": None,
    }
    gone = await client.get(f"/shifts/{proposal['shift_id']}", headers=STAFF)
    assert gone.status_code == 404
    assert await proposer(app).tick() == Done()


async def test_two_replicas_propose_and_flag_once(
    client: httpx.AsyncClient,
    app: FastAPI,
    second_replica: FastAPI,
    access: NatsClient,
    clock: SteppedClock,
) -> None:
    skodje = AccessBranch(access, "skodje")
    await taken_up_to(access, await skodje.week(TUESDAY_EVENINGS, SATURDAY_NIGHTS))
    replicas = [proposer(app), proposer(second_replica)]
    for _ in range(3):
        await asyncio.gather(*(replica.tick() for replica in replicas))
    assert len(await stored(app, "ShiftProposed")) == 8
    # This evening's two hosted hours start within 48 hours, with no host yet (a proposal hosts
    # no one until confirmed and claimed): each flagged once, whoever comes first.
    flags = await stored(app, "HostsBelowMinimumFlagged")
    assert [(at(f["hour_starts_at"]), f["hosts"], f["minimum"]) for f in flags] == [
        (oslo(TUESDAY, "19:00"), 0, 2),
        (oslo(TUESDAY, "20:00"), 0, 2),
    ]
    # Saturday night's hours come within 48 hours on Friday: flagged then, once.
    clock.now = oslo(SPRING_FORWARD - timedelta(days=2), "03:00").astimezone(UTC)
    for _ in range(3):
        await asyncio.gather(*(replica.tick() for replica in replicas))
    flags = await stored(app, "HostsBelowMinimumFlagged")
    assert [at(f["hour_starts_at"]) for f in flags[2:]] == [
        oslo(SPRING_FORWARD, "01:00"),
        oslo(SPRING_FORWARD, "03:00"),  # an hour of elapsed time later: 02:00 does not exist
    ]


async def test_hosts_holding_places_on_a_confirmed_proposal_cover_its_hours(
    client: httpx.AsyncClient, app: FastAPI, access: NatsClient, clock: SteppedClock
) -> None:
    await learn_branches(app, "skodje")
    skodje = AccessBranch(access, "skodje")
    saturday = TUESDAY - timedelta(days=3)
    clock.now = oslo(saturday, "12:00").astimezone(UTC)  # no hosted hour within 48 hours
    await taken_up_to(access, await skodje.week(TUESDAY_EVENINGS))
    await proposer(app).tick()
    this_evening = next(
        s for s in await shifts(client) if at(s["starts_at"]) == oslo(TUESDAY, "19:00")
    )
    confirmed = await client.post(f"/shifts/{this_evening['shift_id']}/confirm", headers=STAFF)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["stage"] == "published"
    for _ in range(2):
        _, token = await eligible_volunteer(client, today=saturday)
        claim = await client.post(f"/shifts/{this_evening['shift_id']}/claims", headers=token)
        assert claim.status_code == 201, claim.text
    clock.now = NOW.astimezone(UTC)
    assert (await proposer(app).tick()).flagged == 0
    assert await stored(app, "HostsBelowMinimumFlagged") == []


async def test_staff_set_the_hosting_rule_and_the_unconfirmed_proposals_follow_it(
    client: httpx.AsyncClient, app: FastAPI, access: NatsClient
) -> None:
    await learn_branches(app, "skodje")
    skodje = AccessBranch(access, "skodje")
    await taken_up_to(access, await skodje.week(TUESDAY_EVENINGS))
    await proposer(app).tick()
    first, dismissed, *_ = await shifts(client)
    assert (await client.post(f"/shifts/{first['shift_id']}/confirm", headers=STAFF)).is_success
    dismissing = await client.post(f"/shifts/{dismissed['shift_id']}/withdraw", headers=STAFF)
    assert dismissing.status_code == 200, dismissing.text
    assert dismissing.json()["stage"] == "withdrawn"
    assert (await client.get(f"/shifts/{dismissed['shift_id']}", headers=STAFF)).status_code == 404

    default = await client.get("/branches/skodje/hosting-rule", headers=VIEWER)
    assert default.json() == {
        "branch_id": "skodje",
        "last_minutes": 120,
        "hosts": 2,
        "minimum_hosts": 2,
    }
    rule = {"last_minutes": 60, "hosts": 3, "minimum_hosts": 2}
    response = await client.put("/branches/skodje/hosting-rule", json=rule, headers=STAFF)
    assert response.status_code == 200, response.text
    assert response.json() == {"branch_id": "skodje", **rule}
    assert (await client.get("/branches/skodje/hosting-rule", headers=STAFF)).json() == {
        "branch_id": "skodje",
        **rule,
    }
    [event] = await stored(app, "HostingRuleSet")
    assert event == {"branch_id": "skodje", **rule, "staff_id": event["staff_id"]}

    await proposer(app).tick()
    found = await shifts(client)
    # The confirmed shift is staff's and stays; the dismissed one stays dismissed (its window is
    # another than the new rule's, which is proposed); the others follow the rule.
    assert [(s["stage"], s["capacity"]) for s in found] == [
        ("published", 2),
        ("proposed", 3),
        ("proposed", 3),
        ("proposed", 3),
    ]
    assert windows(found) == [
        tuesday(0, "19:00", "21:00"),
        tuesday(1, "20:00", "21:00"),
        tuesday(2, "20:00", "21:00"),
        tuesday(3, "20:00", "21:00"),
    ]
    reasons = [w["reason"] for w in await stored(app, "ShiftProposalWithdrawn")]
    assert reasons == ["dismissed_by_staff", "hosting_rule_changed", "hosting_rule_changed"]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"hosts": 2, "minimum_hosts": 3}, 422, "minimum_hosts must be at most hosts"),
        ({"last_minutes": 10}, 422, "last_minutes"),
        ({"hosts": 21}, 422, "hosts"),
        ({"hosts": "3"}, 422, "hosts"),
        ({"surprise": 1}, 422, "surprise"),
    ],
)
async def test_a_bad_hosting_rule_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI, body: dict[str, Any], status: int, says: str
) -> None:
    await learn_branches(app, "skodje")
    response = await client.put("/branches/skodje/hosting-rule", json=body, headers=STAFF)
    assert response.status_code == status, response.text
    assert says in response.text
    assert await stored(app, "HostingRuleSet") == []


async def test_a_hosting_rule_is_for_a_known_branch_and_only_staff_set_it(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await learn_branches(app, "skodje")
    unknown = await client.put("/branches/nowhere/hosting-rule", json={}, headers=STAFF)
    assert unknown.status_code == 422
    assert unknown.json()["error"] == "unknown_reference"
    assert (await client.get("/branches/nowhere/hosting-rule", headers=STAFF)).status_code == 404
    viewer = await client.put("/branches/skodje/hosting-rule", json={}, headers=VIEWER)
    assert viewer.status_code == 403
    volunteer = bearer(Role.VOLUNTEER, volunteer_id=uuid4())
    assert (await client.get("/branches/skodje/hosting-rule", headers=volunteer)).status_code == 403
    assert (await client.get("/branches/skodje/hosting-rule")).status_code == 401
    assert await stored(app, "HostingRuleSet") == []
