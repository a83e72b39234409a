"""Hostile tests of the door while the library system goes away and comes back: twenty doors
presenting at once while the SIP2 peer stops mid-load and restarts, and a library system that
answers too late. No 5xx; each answer is the library system's or the branch's policy; each
request is recorded once, and a repeat answers as the first time."""

from __future__ import annotations

import asyncio
import itertools

import httpx
import pytest
from fastapi import FastAPI

from tvers_access.testing.sip2_peer import Sip2Peer
from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

pytestmark = pytest.mark.servers
STAFF = bearer(Role.STAFF)
DOORS = [f"skodje-dor-{n:02d}" for n in range(20)]
#: One token per door panel (a token's subject scopes its idempotency keys).
TOKENS = {door: bearer(Role.DOOR, door_id=door) for door in DOORS}
ADULT, ADULT_PIN = "1508000101", "2468"
ALL_DAY_MEIROPE = [
    {"weekday": d, "starts": "00:00", "ends": "00:00", "kind": "meirope"} for d in range(1, 8)
]


async def set_up(client: httpx.AsyncClient, when_unreachable: str) -> None:
    calls = [
        await client.post(
            "/branches", json={"branch_id": "skodje", "name": "Skodje"}, headers=STAFF
        ),
        await client.put(
            "/branches/skodje/schedule", json={"periods": ALL_DAY_MEIROPE}, headers=STAFF
        ),
        await client.put(
            "/branches/skodje/access-rules",
            json={"meirope_min_age": 15, "when_unreachable": when_unreachable},
            headers=STAFF,
        ),
        *[
            await client.post(
                "/doors", json={"door_id": d, "branch_id": "skodje", "name": d}, headers=STAFF
            )
            for d in DOORS
        ],
        await client.post("/agreements", json={"card_number": ADULT}, headers=STAFF),
    ]
    assert all(c.is_success for c in calls), [c.text for c in calls if not c.is_success]


async def present(client: httpx.AsyncClient, door: str, key: str) -> httpx.Response:
    return await client.post(
        f"/doors/{door}/presentations",
        json={"card_number": ADULT, "pin": ADULT_PIN},
        headers={**TOKENS[door], "Idempotency-Key": key},
    )


@pytest.mark.parametrize(
    ("policy", "when_down"),
    [
        ("fail_closed", ("denied", "library_system_unreachable", False)),
        ("agreement_holders", ("granted", None, False)),
    ],
)
async def test_twenty_doors_while_the_library_system_stops_and_restarts(
    client: httpx.AsyncClient,
    app: FastAPI,
    sip2_peer: Sip2Peer,
    policy: str,
    when_down: tuple[str, str | None, bool],
) -> None:
    await set_up(client, policy)
    keys = (f"k{n}" for n in itertools.count())
    answers: dict[tuple[str, str], httpx.Response] = {}

    async def wave() -> None:
        sent = [(door, next(keys)) for door in DOORS]
        replies = await asyncio.gather(*(present(client, d, k) for d, k in sent))
        answers.update(zip(sent, replies, strict=True))

    await wave()
    stopping = asyncio.create_task(sip2_peer.stop())
    await wave()  # the peer goes away mid-load
    await stopping
    await wave()
    await sip2_peer.start()
    restarting = wave()
    await restarting
    await wave()

    assert not [r.text for r in answers.values() if r.status_code != 200]
    seen = {(r.json()["entry"], r.json()["reason"], r.json()["verified"]) for r in answers.values()}
    assert seen <= {("granted", None, True), when_down}, seen
    # Each request recorded once; each repeat answers as the first time.
    recorded = await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id LIKE 'presentations-%'"
    )
    assert recorded == len(answers)
    for (door, key), first in list(answers.items())[::7]:
        again = await present(client, door, key)
        assert again.json() == first.json()
    assert recorded == await app.state.infrastructure.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id LIKE 'presentations-%'"
    )
