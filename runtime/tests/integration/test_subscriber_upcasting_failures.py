"""A cross-service subscriber whose upcaster raises on an event sets that event aside (a dead
letter) at once, as it does any other message it cannot decode, and the others go on."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import uuid4

import asyncpg
import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient

from tvers_contracts import DomainEvent, Envelope, EventRegistry
from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_runtime.db.types import Connection
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.subscriber import MIGRATIONS, Subscriber, SubscriberRunner
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.sample import SAMPLE_SERVICE, ThingCounted, sample_subject
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers


class ThingCountedV2(ThingCounted):
    """Version 2 of the sample event; its upcaster from version 1 has a bug for one thing."""

    type_name: ClassVar[str | None] = "ThingCounted"
    schema_version: ClassVar[int] = 2


UPCASTING = EventRegistry([ThingCounted, ThingCountedV2])


@UPCASTING.upcaster("ThingCounted", from_version=1)
def choke_on_bad_things(payload: dict[str, Any]) -> dict[str, Any]:
    if payload["thing"] == "bad":
        return payload["no such key"]  # type: ignore[no-any-return] # a bug: KeyError
    return payload


async def remember(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    event = envelope.payload
    assert isinstance(event, ThingCounted)
    await connection.execute("INSERT INTO seen (thing) VALUES ($1)", event.thing)


SUBSCRIBER = Subscriber(
    durable="tests-upcasting",
    source=SAMPLE_SERVICE,
    events=(ThingCountedV2,),
    effect=remember,
    max_attempts=2,
)


def message(thing: str) -> bytes:
    now = datetime.now(UTC).isoformat()
    return json.dumps(
        {
            "event_id": str(uuid4()),
            "event_type": "ThingCounted",
            "schema_version": 1,
            "tenant": "1508",
            "stream_id": f"thing-{thing}",
            "stream_version": 1,
            "occurred_at": now,
            "recorded_at": now,
            "correlation_id": str(uuid4()),
            "causation_id": None,
            "payload": {"thing": thing, "n": 1},
        }
    ).encode()


@pytest_asyncio.fixture
async def world(
    database_url: str, nats_server: NatsUnderTest
) -> AsyncIterator[tuple[asyncpg.Pool, NatsClient]]:
    pool = await create_pool(database_url, application_name="tests", max_size=10)
    async with pool.acquire() as connection:
        await apply_migrations(connection, [MIGRATIONS])
        await connection.execute("CREATE TABLE seen (thing text NOT NULL)")
    client = await connect_nats(nats_server.url, name="tests-owner")
    await ensure_stream(client.jsm(), SAMPLE_SERVICE)
    runner = SubscriberRunner(
        name="tests",
        nats_url=nats_server.url,
        pool=pool,
        registry=UPCASTING,
        subscribers=[SUBSCRIBER],
    )
    task = asyncio.create_task(runner.run())
    yield pool, client
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await client.close()
    await pool.close()


async def test_an_event_whose_upcaster_raises_is_dead_lettered_and_the_rest_go_on(
    world: tuple[asyncpg.Pool, NatsClient],
) -> None:
    pool, client = world
    js = client.jetstream()
    subject = sample_subject("ThingCounted")
    poisoned = await js.publish(subject, message("bad"), headers={"Nats-Msg-Id": str(uuid4())})
    await js.publish(subject, message("good"), headers={"Nats-Msg-Id": str(uuid4())})

    async def good_seen() -> bool:
        return bool(await pool.fetchval("SELECT count(*) FROM seen"))

    await eventually(good_seen)

    async def set_aside() -> bool:
        return bool(await pool.fetchval("SELECT count(*) FROM subscriber_dead_letters"))

    # Without a dead letter the message comes back every ack wait (30 s), forever.
    await eventually(set_aside, timeout=10)
    row = await pool.fetchrow("SELECT stream_sequence, reason FROM subscriber_dead_letters")
    assert row is not None
    assert row["stream_sequence"] == poisoned.seq
    assert "KeyError" in row["reason"]
