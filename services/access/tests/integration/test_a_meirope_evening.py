"""End to end on a real PostgreSQL, NATS JetStream and the SIP2 peer: a meirope evening at a
branch, with the service's own scheduler running on a clock the test moves. Patrons come in and
one is refused, the counter counts, closing is announced three times, and one person is still
inside at closing. All of it is on the ACCESS stream, and no card number is anywhere."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient

from tvers_access.bootstrap import build_app
from tvers_access.settings import AccessSettings
from tvers_access.testing.occupancy import (
    DOOR,
    STAFF,
    count,
    oslo,
    set_up_branch,
    status,
)
from tvers_runtime.testing.clocks import SteppedClock
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
#: Adults of the SIP2 peer's fixture, and a PIN that is not theirs.
ADULT, OTHER_ADULT, WRONG_PIN = ("1508000101", "2468"), ("1508000102", "1357"), "0000"


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(oslo("18:55"))


@pytest.fixture
def app(access_settings: AccessSettings, clock: SteppedClock) -> FastAPI:
    """The service with its scheduler running, looking often (the clock is the test's)."""
    settings = access_settings.model_copy(
        update={"scheduler_enabled": True, "scheduler_interval_seconds": 0.02}
    )
    return build_app(settings, clock=clock)


@pytest.fixture
async def nats_client(nats_server: NatsUnderTest) -> AsyncIterator[NatsClient]:
    client = await nats.connect(nats_server.url)
    yield client
    await client.close()


async def present(client: httpx.AsyncClient, card: str, pin: str) -> dict[str, Any]:
    answer = await client.post(
        "/doors/skodje-hovuddor/presentations",
        json={"card_number": card, "pin": pin},
        headers=DOOR,
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def stored_count(app: FastAPI, event_type: str, expected: int) -> Callable[[], Awaitable[bool]]:
    async def stored() -> bool:
        found: int = await app.state.infrastructure.pool.fetchval(
            "SELECT count(*) FROM events WHERE event_type = $1", event_type
        )
        return found == expected

    stored.__name__ = f"{expected} x {event_type} stored"
    return stored


async def on_stream(nats_client: NatsClient) -> list[dict[str, Any]]:
    """Every message of the ACCESS stream, in order."""
    info = await nats_client.jsm().stream_info("ACCESS")
    messages = []
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        message = await nats_client.jsm().get_msg("ACCESS", sequence)
        messages.append({"subject": message.subject, **json.loads(message.data or b"{}")})
    return messages


async def test_a_meirope_evening_is_on_the_stream_with_its_closing_and_no_card_number(
    client: httpx.AsyncClient, app: FastAPI, clock: SteppedClock, nats_client: NatsClient
) -> None:
    await set_up_branch(client)
    for card, _ in (ADULT, OTHER_ADULT):
        signed = await client.post("/agreements", json={"card_number": card}, headers=STAFF)
        assert signed.status_code == 201, signed.text

    clock.set("19:00")
    assert (await present(client, *ADULT))["entry"] == "granted"
    counted = await count(client, clock.now + timedelta(seconds=3), entries=1, sequence=1)
    assert counted.json() == {"status": "counted", "tailgating_suspected": False}
    clock.set("19:30")
    assert (await present(client, *OTHER_ADULT))["entry"] == "granted"
    await count(client, clock.now + timedelta(seconds=4), entries=1, sequence=2)
    clock.set("20:00")
    denied = await present(client, ADULT[0], WRONG_PIN)
    assert (denied["entry"], denied["reason"]) == ("denied", "wrong_pin")
    clock.set("21:00")
    await count(client, clock.now, exits=1, sequence=3)
    now = await status(client)
    assert (now["mode"], now["occupancy"]) == ("meirope", 1)

    for n, moment in enumerate(("21:45", "21:50", "21:55"), start=1):
        clock.set(moment)
        await eventually(stored_count(app, "ClosingAnnounced", n))
    clock.set("22:02")
    await eventually(stored_count(app, "OccupantsRemainedAtClosing", 1))
    after = await status(client)
    assert after["mode"] == "closed"
    assert after["occupants_remained_at_closing"] == {
        "period_ends": "2026-11-23T22:00:00+01:00",
        "checked_at": "2026-11-23T22:02:00+01:00",
        "count": 1,
    }

    pool = app.state.infrastructure.pool
    rows = await pool.fetch("SELECT event_id, stream_id, payload::text FROM events")

    async def relayed() -> bool:
        info = await nats_client.jsm().stream_info("ACCESS")
        return bool(info.state.messages == len(rows))

    await eventually(relayed)
    messages = await on_stream(nats_client)
    assert {m["event_id"] for m in messages} == {str(row["event_id"]) for row in rows}
    evening = [(m["subject"], m["payload"]) for m in messages]
    assert [s for s, _ in evening if s.startswith("access.door.entry")] == [
        "access.door.entry_granted",
        "access.door.entry_granted",
        "access.door.entry_denied",
    ]
    assert sum(s == "access.door.people_counted" for s, _ in evening) == 3
    assert [p["minutes_before"] for s, p in evening if s == "access.branch.closing_announced"] == [
        15,
        10,
        5,
    ]
    assert [p["count"] for s, p in evening if s.endswith("occupants_remained_at_closing")] == [1]
    assert not [s for s, _ in evening if s == "access.door.tailgating_suspected"]

    cards = [ADULT[0], OTHER_ADULT[0]]
    on_the_stream = json.dumps(messages)
    assert not any(card in on_the_stream for card in cards)
    in_the_store = "".join(row["stream_id"] + row["payload"] for row in rows)
    assert not any(card in in_the_store for card in cards)
