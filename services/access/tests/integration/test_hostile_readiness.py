"""Hostile test of the access service's readiness: what takes the doors out of service."""

import asyncio

import httpx
import pytest

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)


async def test_the_doors_are_ready_while_the_volunteers_stream_is_missing(
    client: httpx.AsyncClient,
) -> None:
    registered = await client.post(
        "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
    )
    assert registered.status_code == 201  # commands work meanwhile
    for _ in range(100):  # until the relay has started, so that only the subscriber is left
        ready = await client.get("/readyz")
        if ready.json()["checks"].get("relay"):
            break
        await asyncio.sleep(0.1)
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["subscribers"] is False
