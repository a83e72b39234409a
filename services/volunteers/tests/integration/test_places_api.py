"""Places on shifts over HTTP on a real PostgreSQL and NATS: eligibility, overlaps, the
waitlist in order, fifty claims at once for the last place, places given up by those who leave,
and check-in, check-out, corrections and hours."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.testing.people import eligible_volunteer, register
from tvers_volunteers.testing.shifts import publish_shift

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
#: Shifts lie from here on; the service's clock starts a little later, at the test.
START = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "skodje")


async def publish(
    client: httpx.AsyncClient,
    starts: datetime,
    hours: float = 2,
    capacity: int = 2,
    role: str = "host",
) -> str:
    return await publish_shift(client, starts, hours=hours, capacity=capacity, role=role)


async def shift(client: httpx.AsyncClient, shift_id: str) -> dict[str, object]:
    response = await client.get(f"/shifts/{shift_id}", headers=STAFF)
    assert response.status_code == 200, response.text
    found: dict[str, object] = response.json()
    return found


async def events_of(app: FastAPI, event_type: str) -> int:
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = $1", event_type
    )
    return count


async def test_only_an_eligible_volunteer_claims_a_hosting_shift_and_anyone_active_helps(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    hosting = await publish(client, START + timedelta(days=2))
    helping = await publish(client, START + timedelta(days=3), role="helper")
    newcomer = UUID(await register(client))
    token = bearer(Role.VOLUNTEER, volunteer_id=newcomer)
    refused = await client.post(f"/shifts/{hosting}/claims", headers=token)
    assert refused.status_code == 409
    assert "only eligible volunteers may host" in refused.json()["detail"]
    assert "police certificate" in refused.json()["detail"]
    assert (await client.post(f"/shifts/{helping}/claims", headers=token)).status_code == 201
    assert await events_of(app, "ShiftClaimed") == 1


async def test_a_claim_overlapping_a_held_shift_is_refused_even_when_sent_at_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    starts = START + timedelta(days=2)
    overlapping = [await publish(client, starts + timedelta(minutes=15 * i)) for i in range(5)]
    touching = await publish(client, starts + timedelta(hours=3))
    _, token = await eligible_volunteer(client)
    claims = await asyncio.gather(
        *(client.post(f"/shifts/{s}/claims", headers=token) for s in overlapping)
    )
    assert sorted(r.status_code for r in claims) == [201, 409, 409, 409, 409]
    assert all("overlaps" in r.text for r in claims if r.status_code == 409)
    assert (await client.post(f"/shifts/{touching}/claims", headers=token)).status_code == 201
    assert await events_of(app, "ShiftClaimed") == 2


@pytest.mark.slow
async def test_fifty_claims_at_once_for_the_last_place_give_it_to_one_and_queue_the_rest(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish(client, START + timedelta(days=2), capacity=2)
    _, first = await eligible_volunteer(client)
    assert (await client.post(f"/shifts/{shift_id}/claims", headers=first)).status_code == 201
    crowd = [await eligible_volunteer(client) for _ in range(50)]
    answers = await asyncio.gather(
        *(
            client.post(f"/shifts/{shift_id}/claims", json={"or_wait": True}, headers=token)
            for _, token in crowd
        )
    )
    assert all(a.status_code == 201 for a in answers), [a.text for a in answers]
    holders = [a for a in answers if a.json()["mine"]]
    assert len(holders) == 1
    places = sorted(a.json()["my_place_in_waitlist"] for a in answers if not a.json()["mine"])
    assert places == list(range(1, 50))
    stored = await shift(client, shift_id)
    assert stored["places_left"] == 0
    # Each was told the place it got in the order stored: the waitlist is the arrival order.
    told = {
        volunteer_id: a.json()["my_place_in_waitlist"]
        for (volunteer_id, _), a in zip(crowd, answers, strict=True)
        if not a.json()["mine"]
    }
    waitlist = [UUID(str(v)) for v in stored["waitlist"]]  # type: ignore[attr-defined]
    assert [told[v] for v in waitlist] == list(range(1, 50))
    assert await events_of(app, "ShiftClaimed") == 2
    assert await events_of(app, "WaitlistJoined") == 49


@pytest.mark.slow
async def test_fifty_claims_at_once_without_waiting_give_one_place_and_a_clear_full(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish(client, START + timedelta(days=2), capacity=1)
    crowd = [await eligible_volunteer(client) for _ in range(50)]
    answers = await asyncio.gather(
        *(client.post(f"/shifts/{shift_id}/claims", headers=token) for _, token in crowd)
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * 49
    assert all("full" in a.json()["detail"] for a in answers if a.status_code == 409)
    assert await events_of(app, "ShiftClaimed") == 1


async def test_released_places_go_to_the_waitlist_in_the_order_it_was_joined(
    client: httpx.AsyncClient,
) -> None:
    shift_id = await publish(client, START + timedelta(days=2), capacity=1)
    (holder_id, holder), (a_id, a), (b_id, b) = [await eligible_volunteer(client) for _ in "hab"]
    assert (await client.post(f"/shifts/{shift_id}/claims", headers=holder)).status_code == 201
    for token in (a, b):
        joined = await client.post(f"/shifts/{shift_id}/waitlist", headers=token)
        assert joined.status_code == 201, joined.text
    released = await client.post(f"/shifts/{shift_id}/release", headers=holder)
    assert released.status_code == 200, released.text
    assert released.json()["mine"] is False
    after = await shift(client, shift_id)
    assert after["volunteers"] == [str(a_id)]
    assert after["waitlist"] == [str(b_id)]
    # Staff release for the volunteer; the next waiting one moves up.
    staff_release = await client.post(
        f"/shifts/{shift_id}/release", json={"volunteer_id": str(a_id)}, headers=STAFF
    )
    assert staff_release.status_code == 200, staff_release.text
    assert (await shift(client, shift_id))["volunteers"] == [str(b_id)]
    assert holder_id not in (a_id, b_id)


async def test_a_volunteer_token_acts_only_for_its_own_volunteer(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish(client, START + timedelta(days=2))
    other, _ = await eligible_volunteer(client)
    _, token = await eligible_volunteer(client)
    response = await client.post(
        f"/shifts/{shift_id}/claims", json={"volunteer_id": str(other)}, headers=token
    )
    assert response.status_code == 403
    staff_without_volunteer = await client.post(f"/shifts/{shift_id}/claims", headers=STAFF)
    assert staff_without_volunteer.status_code == 422
    assert "volunteer_id is required" in staff_without_volunteer.text
    hours = await client.get(f"/volunteers/{other}/hours", headers=token)
    assert hours.status_code == 403
    assert await events_of(app, "ShiftClaimed") == 0


async def access_stream_exists(nats_server: NatsUnderTest) -> None:
    owner = await connect_nats(nats_server.url, name="tests-access")
    try:
        await ensure_stream(owner.jsm(), "access")
    finally:
        await owner.close()


async def test_a_deactivated_volunteer_gives_up_future_places_to_the_waitlist(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    shift_id = await publish(client, START + timedelta(days=2), capacity=1)
    (leaving_id, leaving), (waiting_id, waiting) = [await eligible_volunteer(client) for _ in "lw"]
    assert (await client.post(f"/shifts/{shift_id}/claims", headers=leaving)).status_code == 201
    assert (await client.post(f"/shifts/{shift_id}/waitlist", headers=waiting)).status_code == 201
    await access_stream_exists(nats_server)  # the service's subscribers start once it does
    deactivated = await client.post(f"/volunteers/{leaving_id}/deactivate", headers=STAFF)
    assert deactivated.status_code == 200, deactivated.text
    assert deactivated.json()["standing"] == "deactivated"

    async def promoted() -> bool:
        return (await shift(client, shift_id))["volunteers"] == [str(waiting_id)]

    await eventually(promoted)
    refused = await client.post(f"/shifts/{shift_id}/waitlist", headers=leaving)
    assert refused.status_code == 409
    assert "deactivated" in refused.json()["detail"]


async def test_check_in_near_the_shift_check_out_and_hours_count_with_staff_corrections(
    client: httpx.AsyncClient, clock: SteppedClock
) -> None:
    starts = START + timedelta(days=1)
    shift_id = await publish(client, starts)
    volunteer_id, token = await eligible_volunteer(client)
    assert (await client.post(f"/shifts/{shift_id}/claims", headers=token)).status_code == 201
    early = await client.post(f"/shifts/{shift_id}/check-in", headers=token)
    assert early.status_code == 409
    assert "check-in opens at" in early.json()["detail"]
    clock.now = starts - timedelta(minutes=10)
    checked_in = await client.post(f"/shifts/{shift_id}/check-in", headers=token)
    assert checked_in.status_code == 200, checked_in.text
    assert checked_in.json()["checked_in"] is True
    clock.now = starts + timedelta(hours=2, minutes=5)
    checked_out = await client.post(f"/shifts/{shift_id}/check-out", headers=token)
    assert checked_out.status_code == 200, checked_out.text
    day = starts.date().isoformat()
    hours = await client.get(
        f"/volunteers/{volunteer_id}/hours", params={"from": day, "to": day}, headers=token
    )
    assert hours.status_code == 200, hours.text
    assert hours.json()["minutes"] == 135
    assert hours.json()["by_branch"] == {"skodje": 135}
    corrected = await client.post(
        f"/shifts/{shift_id}/corrections",
        json={
            "volunteer_id": str(volunteer_id),
            "checked_in_at": starts.isoformat(),
            "checked_out_at": (starts + timedelta(hours=2)).isoformat(),
            "reason": "wrong_time",
        },
        headers=STAFF,
    )
    assert corrected.status_code == 200, corrected.text
    again = await client.get(
        f"/volunteers/{volunteer_id}/hours", params={"from": day, "to": day}, headers=token
    )
    assert again.json()["minutes"] == 120
    mine = await client.get(
        f"/volunteers/{volunteer_id}/shifts", params={"from": day, "to": day}, headers=token
    )
    (listed,) = mine.json()
    assert listed["served"]["corrected"] is True
    assert listed["served"]["minutes"] == 120


async def test_open_shifts_are_listed_by_time_and_branch(client: httpx.AsyncClient) -> None:
    later = await publish(client, START + timedelta(days=3))
    sooner = await publish(client, START + timedelta(days=1))
    beyond = await publish(client, START + timedelta(days=40))
    listed = await client.get("/shifts", headers=bearer(Role.VIEWER))
    assert listed.status_code == 200, listed.text
    assert [s["shift_id"] for s in listed.json()] == [sooner, later]
    far = await client.get(
        "/shifts",
        params={"from": START.isoformat(), "to": (START + timedelta(days=60)).isoformat()},
        headers=STAFF,
    )
    assert beyond in [s["shift_id"] for s in far.json()]
    elsewhere = await client.get("/shifts", params={"branch_id": "haroy"}, headers=STAFF)
    assert elsewhere.json() == []
    backwards = await client.get(
        "/shifts",
        params={"from": START.isoformat(), "to": (START - timedelta(days=1)).isoformat()},
        headers=STAFF,
    )
    assert backwards.status_code == 422
