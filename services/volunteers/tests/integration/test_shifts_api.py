"""Shifts over HTTP on a real PostgreSQL and NATS: capacity holds under concurrent claims."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.testing.branches import learn_branches, publish_branch_registered
from tvers_runtime.testing.http import assert_every_route_is_guarded, bearer
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest
from tvers_volunteers.testing.people import eligible_volunteer

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)


@pytest.fixture(autouse=True)
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> None:
    await learn_branches(app, "brattvag")


async def publish(client: httpx.AsyncClient, capacity: int = 2) -> str:
    starts = datetime.now(UTC) + timedelta(days=2)
    response = await client.post(
        "/shifts",
        json={
            "branch_id": "brattvag",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "capacity": capacity,
        },
        headers=STAFF,
    )
    assert response.status_code == 201, response.text
    shift_id: str = response.json()["shift_id"]
    return shift_id


async def test_a_volunteer_claims_a_place_on_a_shift(client: httpx.AsyncClient) -> None:
    shift_id = await publish(client)
    _, volunteer = await eligible_volunteer(client)
    claimed = await client.post(f"/shifts/{shift_id}/claims", headers=volunteer)
    assert claimed.status_code == 201
    assert claimed.json()["places_left"] == 1
    assert claimed.json()["mine"] is True
    again = await client.post(f"/shifts/{shift_id}/claims", headers=volunteer)
    assert again.status_code == 409
    assert "already claimed" in again.text


async def test_capacity_holds_when_many_claim_at_once(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    shift_id = await publish(client, capacity=2)
    volunteers = [await eligible_volunteer(client) for _ in range(12)]
    claims = await asyncio.gather(
        *(client.post(f"/shifts/{shift_id}/claims", headers=headers) for _, headers in volunteers)
    )
    statuses = sorted(response.status_code for response in claims)
    assert statuses == [201, 201] + [409] * 10
    assert all("full" in r.text for r in claims if r.status_code == 409)
    stored = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'ShiftClaimed'"
    )
    assert stored == 2


async def test_a_shift_that_does_not_exist_cannot_be_claimed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"/shifts/{uuid4()}/claims", headers=bearer(Role.VOLUNTEER, volunteer_id=uuid4())
    )
    assert response.status_code == 404


async def test_bad_shifts_are_refused_with_the_reason(client: httpx.AsyncClient) -> None:
    now = datetime.now(UTC)
    cases = [
        ({"branch_id": "b", "starts_at": now.isoformat()}, 422, "ends_at"),
        (
            {
                "branch_id": "b",
                "starts_at": (now + timedelta(hours=3)).isoformat(),
                "ends_at": (now + timedelta(hours=1)).isoformat(),
            },
            422,
            "end after",
        ),
        (
            {
                "branch_id": "b",
                "starts_at": "2026-12-01T10:00:00",
                "ends_at": "2026-12-01T12:00:00",
            },
            422,
            "timezone",
        ),
        (
            {
                "branch_id": "b",
                "starts_at": (now + timedelta(hours=1)).isoformat(),
                "ends_at": (now + timedelta(hours=3)).isoformat(),
                "capacity": 0,
            },
            422,
            "capacity",
        ),
    ]
    for body, status, says in cases:
        response = await client.post("/shifts", json=body, headers=STAFF)
        assert response.status_code == status, (body, response.text)
        assert says in response.text


async def shifts_stored(app: FastAPI) -> int:
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'ShiftPublished'"
    )
    return count


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"capacity": "2"}, "Input should be a valid integer"),
        ({"capacity": True}, "Input should be a valid integer"),
        ({"starts_at": 1_900_000_000}, "Input should be a date and time as a JSON string"),
        ({"branch_id": 7}, "Input should be a valid string"),
    ],
)
async def test_a_value_of_another_json_type_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI, changes: dict[str, object], says: str
) -> None:
    starts = datetime.now(UTC) + timedelta(days=2)
    body = {
        "branch_id": "brattvag",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        **changes,
    }
    response = await client.post("/shifts", json=body, headers=STAFF)
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem == {"location": ["body", next(iter(changes))], "problem": problem["problem"]}
    assert says in problem["problem"]
    assert await shifts_stored(app) == 0


async def test_a_shift_with_a_key_given_twice_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    starts = datetime.now(UTC) + timedelta(days=2)
    ends = starts + timedelta(hours=2)
    body = (
        f'{{"branch_id": "brattvag", "starts_at": "{starts.isoformat()}", '
        f'"ends_at": "{ends.isoformat()}", "capacity": 2, "capacity": 20}}'
    )
    response = await client.post(
        "/shifts", content=body, headers={**STAFF, "Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_json"
    assert '"capacity" is given twice' in response.json()["detail"]
    assert await shifts_stored(app) == 0


async def test_a_volunteer_token_without_a_volunteer_cannot_claim(
    client: httpx.AsyncClient,
) -> None:
    shift_id = await publish(client)
    response = await client.post(f"/shifts/{shift_id}/claims", headers=bearer(Role.VOLUNTEER))
    assert response.status_code == 403
    assert "names no volunteer" in response.text


async def test_shifts_are_refused_outside_a_sane_window_and_store_nothing(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    now = datetime.now(UTC)
    cases = [
        ("0001-01-01T10:00:00+00:00", "9999-12-31T10:00:00+00:00", "in the past"),
        (
            (now + timedelta(days=1)).isoformat(),
            "9999-12-31T10:00:00+00:00",
            "at most 12 hours",
        ),
        ("9999-12-31T10:00:00+00:00", "9999-12-31T12:00:00+00:00", "at most 400 days ahead"),
        (
            (now - timedelta(hours=1)).isoformat(),
            (now + timedelta(hours=1)).isoformat(),
            "in the past",
        ),
    ]
    for starts, ends, says in cases:
        body = {"branch_id": "brattvag", "starts_at": starts, "ends_at": ends}
        response = await client.post("/shifts", json=body, headers=STAFF)
        assert response.status_code == 422, (body, response.text)
        assert says in response.json()["detail"]
    assert await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events") == 0


async def test_a_shift_at_a_branch_not_known_here_is_refused(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    starts = datetime.now(UTC) + timedelta(days=2)
    body = {
        "branch_id": "nowhere",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
    }
    response = await client.post("/shifts", json=body, headers=STAFF)
    assert response.status_code == 422
    assert response.json()["error"] == "unknown_reference"
    assert "no branch 'nowhere' is known here" in response.json()["detail"]
    assert await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events") == 0


async def test_a_branch_registered_in_access_becomes_known_here(
    client: httpx.AsyncClient, nats_server: NatsUnderTest
) -> None:
    owner = await connect_nats(nats_server.url, name="tests-access")
    try:
        await ensure_stream(owner.jsm(), "access")
        await publish_branch_registered(owner, "haroy", "Harøy")
    finally:
        await owner.close()

    async def known() -> bool:
        listed = await client.get("/branches", headers=STAFF)
        return {"branch_id": "haroy", "name": "Harøy"} in listed.json()

    await eventually(known)
    starts = datetime.now(UTC) + timedelta(days=2)
    body = {
        "branch_id": "haroy",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
    }
    assert (await client.post("/shifts", json=body, headers=STAFF)).status_code == 201
    ready = await client.get("/readyz")
    assert ready.json()["checks"]["subscribers"] is True, ready.text


async def test_every_route_needs_a_token_of_the_right_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    # The self-service page's routes take a page session, not a token
    # (test_page_sign_in.py).
    page = frozenset(
        {
            "GET /me",
            "GET /me/page.css",
            "GET /me/sign-in",
            "POST /me/sign-in",
            "POST /me/sign-out",
            "POST /me/shifts/{shift_id}/claim",
            "POST /me/shifts/{shift_id}/release",
            "POST /me/shifts/{shift_id}/leave-waitlist",
            "POST /me/shifts/{shift_id}/check-in",
            "POST /me/shifts/{shift_id}/check-out",
            "POST /me/certificates",
            "GET /me/certificates/{number}/pdf",
            "GET /me/erase",
            "POST /me/erase",
            "GET /me/{anything:path}",
        }
    )
    assert await assert_every_route_is_guarded(app, client, also_public=page) == {
        "POST /shifts": {Role.STAFF},
        "GET /shifts": {Role.STAFF, Role.VOLUNTEER, Role.VIEWER},
        "GET /shifts/{shift_id}": {Role.STAFF, Role.VOLUNTEER, Role.VIEWER},
        "POST /shifts/{shift_id}/confirm": {Role.STAFF},
        "POST /shifts/{shift_id}/withdraw": {Role.STAFF},
        "POST /shifts/{shift_id}/cancel": {Role.STAFF},
        "PUT /branches/{branch_id}/hosting-rule": {Role.STAFF},
        "GET /branches/{branch_id}/hosting-rule": {Role.STAFF, Role.VIEWER},
        "POST /shifts/{shift_id}/claims": {Role.STAFF, Role.VOLUNTEER},
        "POST /shifts/{shift_id}/release": {Role.STAFF, Role.VOLUNTEER},
        "POST /shifts/{shift_id}/waitlist": {Role.STAFF, Role.VOLUNTEER},
        "POST /shifts/{shift_id}/waitlist/leave": {Role.STAFF, Role.VOLUNTEER},
        "POST /shifts/{shift_id}/check-in": {Role.STAFF, Role.VOLUNTEER},
        "POST /shifts/{shift_id}/check-out": {Role.STAFF, Role.VOLUNTEER},
        "POST /shifts/{shift_id}/corrections": {Role.STAFF},
        "POST /volunteers": {Role.STAFF},
        "GET /volunteers/{volunteer_id}": {Role.STAFF, Role.VOLUNTEER},
        "GET /volunteers/{volunteer_id}/personal-data": {Role.STAFF, Role.VOLUNTEER},
        "POST /volunteers/{volunteer_id}/erase": {Role.STAFF, Role.VOLUNTEER},
        "POST /volunteers/{volunteer_id}/sign-in-link": {Role.STAFF},
        "POST /volunteers/{volunteer_id}/police-certificate": {Role.STAFF},
        "POST /volunteers/{volunteer_id}/introduction": {Role.STAFF},
        "POST /volunteers/{volunteer_id}/deactivate": {Role.STAFF},
        "POST /volunteers/{volunteer_id}/reactivate": {Role.STAFF},
        "GET /volunteers/{volunteer_id}/shifts": {Role.STAFF, Role.VOLUNTEER},
        "GET /volunteers/{volunteer_id}/hours": {Role.STAFF, Role.VOLUNTEER},
        "POST /volunteers/{volunteer_id}/certificates": {Role.STAFF, Role.VOLUNTEER},
        "GET /volunteers/{volunteer_id}/certificates": {Role.STAFF, Role.VOLUNTEER},
        "GET /volunteers/{volunteer_id}/certificates/{number}/pdf": {Role.STAFF, Role.VOLUNTEER},
        "POST /campaigns": {Role.STAFF},
        "POST /campaigns/{campaign_id}/corrections": {Role.STAFF},
        "POST /campaigns/{campaign_id}/end": {Role.STAFF},
        "GET /campaigns": {Role.STAFF, Role.VIEWER},
        "GET /campaigns/{campaign_id}": {Role.STAFF, Role.VIEWER},
        "GET /branches": {Role.STAFF, Role.VOLUNTEER, Role.VIEWER},
    }
