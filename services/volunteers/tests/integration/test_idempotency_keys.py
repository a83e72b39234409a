"""Idempotency-Key over HTTP on a real PostgreSQL: the same key with the same request is a safe
repeat; with another body or another target it is refused with 409 and nothing is stored; another
caller's key of the same text is their own."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.branches import learn_branches
from tvers_runtime.testing.http import bearer
from tvers_volunteers.testing.people import eligible_volunteer

pytestmark = pytest.mark.servers
BRANCH = "brattvag"


@pytest.fixture
async def known_branch(app: FastAPI, client: httpx.AsyncClient) -> str:
    await learn_branches(app, BRANCH)
    return BRANCH


def shift_body(days: int = 2, capacity: int = 2) -> dict[str, Any]:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    return {
        "branch_id": BRANCH,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": capacity,
    }


async def stored(app: FastAPI, event_type: str) -> int:
    count: int = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE event_type = $1", event_type
    )
    return count


async def test_the_same_request_twice_gets_the_same_answer_and_stores_once(
    client: httpx.AsyncClient, app: FastAPI, known_branch: str
) -> None:
    staff = {**bearer(Role.STAFF, subject="staff:kari"), "Idempotency-Key": "publish-1"}
    body = shift_body()
    first = await client.post("/shifts", json=body, headers=staff)
    # The same data in another key order and spelling is the same request.
    again = await client.post(
        "/shifts",
        content=httpx.Response(200, json=dict(reversed(body.items()))).content,
        headers={**staff, "content-type": "application/json"},
    )
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json()
    assert await stored(app, "ShiftPublished") == 1


async def test_the_same_key_with_another_body_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, app: FastAPI, known_branch: str
) -> None:
    staff = {**bearer(Role.STAFF, subject="staff:kari"), "Idempotency-Key": "publish-1"}
    assert (await client.post("/shifts", json=shift_body(), headers=staff)).status_code == 201
    other = await client.post("/shifts", json=shift_body(capacity=3), headers=staff)
    assert other.status_code == 409, other.text
    assert other.json()["error"] == "idempotency_key_reused"
    assert await stored(app, "ShiftPublished") == 1


async def test_the_same_key_on_another_target_is_refused(
    client: httpx.AsyncClient, app: FastAPI, known_branch: str
) -> None:
    staff = bearer(Role.STAFF)
    shifts = [
        (await client.post("/shifts", json=shift_body(days=d), headers=staff)).json()["shift_id"]
        for d in (2, 3)
    ]
    _, token = await eligible_volunteer(client)
    volunteer = {**token, "Idempotency-Key": "claim-1"}
    first = await client.post(f"/shifts/{shifts[0]}/claims", headers=volunteer)
    other = await client.post(f"/shifts/{shifts[1]}/claims", headers=volunteer)
    assert (first.status_code, other.status_code) == (201, 409), other.text
    assert other.json()["error"] == "idempotency_key_reused"
    assert await stored(app, "ShiftClaimed") == 1


async def test_another_callers_key_of_the_same_text_does_not_collide(
    client: httpx.AsyncClient, app: FastAPI, known_branch: str
) -> None:
    shift_id = (await client.post("/shifts", json=shift_body(), headers=bearer(Role.STAFF))).json()[
        "shift_id"
    ]
    claims = []
    for name in ("ola", "kari"):
        volunteer_id, _ = await eligible_volunteer(client)
        headers = bearer(Role.VOLUNTEER, subject=f"volunteer:{name}", volunteer_id=volunteer_id)
        claims.append(
            await client.post(
                f"/shifts/{shift_id}/claims", headers={**headers, "Idempotency-Key": "claim-1"}
            )
        )
    assert [c.status_code for c in claims] == [201, 201], claims[1].text
    assert [c.json()["places_left"] for c in claims] == [1, 0]
    assert await stored(app, "ShiftClaimed") == 2


async def test_two_first_uses_of_one_key_at_once_with_different_bodies_run_one(
    client: httpx.AsyncClient, app: FastAPI, known_branch: str
) -> None:
    for attempt in range(5):
        staff = {**bearer(Role.STAFF), "Idempotency-Key": f"race-{attempt}"}
        answers = await asyncio.gather(
            client.post("/shifts", json=shift_body(days=2), headers=staff),
            client.post("/shifts", json=shift_body(days=3), headers=staff),
        )
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    assert await stored(app, "ShiftPublished") == 5


async def test_a_refused_request_leaves_its_key_free_for_the_corrected_one(
    client: httpx.AsyncClient, app: FastAPI, known_branch: str
) -> None:
    staff = {**bearer(Role.STAFF), "Idempotency-Key": "publish-1"}
    refused = await client.post("/shifts", json=shift_body(days=-2), headers=staff)
    assert refused.status_code == 422
    corrected = await client.post("/shifts", json=shift_body(days=2), headers=staff)
    assert corrected.status_code == 201, corrected.text
