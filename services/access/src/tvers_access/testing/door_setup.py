"""What the access service's HTTP tests share: a door at a branch in meirope hours all week, an
adult of the SIP2 peer's fixture with an agreement, and the number of events stored."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

STAFF = bearer(Role.STAFF)
DOOR = bearer(Role.DOOR, door_id="skodje-hovuddor")
CARD, PIN = "1508000101", "2468"  # an adult of the SIP2 peer's fixture
PRESENTATIONS = "/doors/skodje-hovuddor/presentations"
#: Meirope the whole day (00:00 to 00:00), every day.
ALL_DAY_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": "meirope"} for d in range(1, 8)
]


async def event_count(app: FastAPI) -> int:
    """How many events the service has stored."""
    count: int = await app.state.infrastructure.pool.fetchval("SELECT count(*) FROM events")
    return count


async def set_up_door(
    client: httpx.AsyncClient,
    periods: list[dict[str, object]],
    *,
    with_agreement: bool = True,
) -> None:
    """Branch ``skodje`` with a weekly schedule of ``periods``, its door ``skodje-hovuddor``,
    and (unless told otherwise) CARD's agreement."""
    responses = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put("/branches/skodje/schedule", json={"periods": periods}, headers=STAFF),
        await client.post(
            "/doors",
            json={"door_id": "skodje-hovuddor", "branch_id": "skodje", "name": "Hovuddør"},
            headers=STAFF,
        ),
    ]
    if with_agreement:
        responses.append(
            await client.post("/agreements", json={"card_number": CARD}, headers=STAFF)
        )
    expected = [201, 200, 201, 201][: len(responses)]
    assert [r.status_code for r in responses] == expected, [r.text for r in responses]


async def set_up_meirope_door(client: httpx.AsyncClient) -> None:
    """Branch ``skodje`` in meirope hours all week, its door, and CARD's agreement."""
    await set_up_door(client, ALL_DAY_MEIROPE)
