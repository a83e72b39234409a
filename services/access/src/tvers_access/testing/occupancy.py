"""What the tests of occupancy, closing and alarms share: a clock the test moves, the branch
they use, the requests of a door's counter, and the events the service stored."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

OSLO = ZoneInfo("Europe/Oslo")
STAFF = bearer(Role.STAFF)
VIEWER = bearer(Role.VIEWER)
DOOR = bearer(Role.DOOR, door_id="skodje-hovuddor")
#: A Monday; staffed 10-16 and meirope 16-22 every day.
MONDAY = date(2026, 11, 23)
EVERY_DAY = [
    *({"weekday": d, "starts": "10:00", "ends": "16:00", "kind": "staffed"} for d in range(1, 8)),
    *({"weekday": d, "starts": "16:00", "ends": "22:00", "kind": "meirope"} for d in range(1, 8)),
]


def oslo(clock: str, day: date = MONDAY) -> datetime:
    """An instant (UTC) given on Oslo's wall clock."""
    return datetime.combine(day, time.fromisoformat(clock), OSLO).astimezone(UTC)


async def set_up_branch(client: httpx.AsyncClient) -> None:
    responses = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put("/branches/skodje/schedule", json={"periods": EVERY_DAY}, headers=STAFF),
        await client.post(
            "/doors",
            json={"door_id": "skodje-hovuddor", "branch_id": "skodje", "name": "Hovuddør"},
            headers=STAFF,
        ),
    ]
    assert [r.status_code for r in responses] == [201, 200, 201], [r.text for r in responses]


async def count(
    client: httpx.AsyncClient, at: datetime, *, entries: int = 0, exits: int = 0, sequence: int
) -> httpx.Response:
    body = {"entries": entries, "exits": exits, "counted_at": at.isoformat(), "sequence": sequence}
    return await client.post("/doors/skodje-hovuddor/counts", json=body, headers=DOOR)


async def status(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/branches/skodje/status", headers=VIEWER)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def stored(app: FastAPI, event_type: str) -> list[dict[str, Any]]:
    """The payloads of the stored events of a type, in log order."""
    rows = await app.state.infrastructure.pool.fetch(
        "SELECT payload::jsonb AS payload FROM events WHERE event_type = $1 "
        "ORDER BY global_position",
        event_type,
    )
    return [json.loads(row["payload"]) for row in rows]


async def event_count(app: FastAPI) -> int:
    found: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return found
