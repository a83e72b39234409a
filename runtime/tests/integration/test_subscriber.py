"""A cross-service subscriber against real NATS JetStream and PostgreSQL: a redelivered event has
one effect, a late older event changes nothing (unless the subscriber keeps no version guard), a
restart resumes from the durable consumer, a message that is no event is set aside, and a durable
that drifted from the code is updated."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig

from tvers_contracts import DomainEvent, Envelope, RawEnvelope
from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_runtime.db.types import Connection
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.subscriber import MIGRATIONS, Subscriber, SubscriberRunner, Taken, take_once
from tvers_runtime.subscriber.durable import ensure_durable
from tvers_runtime.testing.pipeline import eventually
from tvers_runtime.testing.sample import (
    SAMPLE_REGISTRY,
    SAMPLE_SERVICE,
    SAMPLE_STREAM,
    ThingCounted,
    sample_subject,
)
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = pytest.mark.servers
SUBJECT = sample_subject("ThingCounted")


async def remember_latest(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    event = envelope.payload
    assert isinstance(event, ThingCounted)
    await connection.execute("INSERT INTO effects (event_id) VALUES ($1)", envelope.event_id)
    await connection.execute(
        """
        INSERT INTO latest (thing, n) VALUES ($1, $2)
        ON CONFLICT (thing) DO UPDATE SET n = excluded.n
        """,
        event.thing,
        event.n,
    )


SUBSCRIBER = Subscriber(
    durable="tests-latest-things",
    source=SAMPLE_SERVICE,
    events=(ThingCounted,),
    effect=remember_latest,
    max_attempts=3,
)
#: The same effect, with the inbox only: every event once, whatever its version.
UNGUARDED = replace(SUBSCRIBER, durable="tests-every-thing", guard_versions=False)


def message(thing: str, version: int, *, event_id: UUID | None = None) -> bytes:
    now = datetime.now(UTC).isoformat()
    return json.dumps(
        {
            "event_id": str(event_id or uuid4()),
            "event_type": "ThingCounted",
            "schema_version": 1,
            "tenant": "1508",
            "stream_id": f"thing-{thing}",
            "stream_version": version,
            "occurred_at": now,
            "recorded_at": now,
            "correlation_id": str(uuid4()),
            "causation_id": None,
            "payload": {"thing": thing, "n": version},
        }
    ).encode()


class World:
    """The source stream, the subscriber's database, and its runner."""

    def __init__(self, pool: asyncpg.Pool, nats: NatsClient, url: str) -> None:
        self.pool = pool
        self.nats = nats
        self.url = url
        self.task: asyncio.Task[None] | None = None

    async def publish(self, data: bytes) -> int:
        ack = await self.nats.jetstream().publish(
            SUBJECT, data, headers={"Nats-Msg-Id": str(uuid4())}
        )
        return int(ack.seq)

    def start(self, subscriber: Subscriber = SUBSCRIBER) -> None:
        runner = SubscriberRunner(
            name="tests",
            nats_url=self.url,
            pool=self.pool,
            registry=SAMPLE_REGISTRY,
            subscribers=[subscriber],
        )
        self.task = asyncio.create_task(runner.run())

    async def stop(self) -> None:
        assert self.task is not None
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task

    async def acked_up_to(self, sequence: int, subscriber: Subscriber = SUBSCRIBER) -> None:
        async def acked() -> bool:
            try:
                info = await self.nats.jsm().consumer_info(SAMPLE_STREAM, subscriber.durable)
            except Exception:
                return False
            return info.ack_floor is not None and (info.ack_floor.stream_seq or 0) >= sequence

        await eventually(acked)

    async def latest(self) -> dict[str, int]:
        return {r["thing"]: r["n"] for r in await self.pool.fetch("SELECT thing, n FROM latest")}

    async def effects(self) -> int:
        count: int = await self.pool.fetchval("SELECT count(*) FROM effects")
        return count


@pytest_asyncio.fixture
async def world(database_url: str, nats_server: NatsUnderTest) -> AsyncIterator[World]:
    pool = await create_pool(database_url, application_name="tests", max_size=10)
    async with pool.acquire() as connection:
        await apply_migrations(connection, [MIGRATIONS])
        await connection.execute(
            "CREATE TABLE latest (thing text PRIMARY KEY, n integer NOT NULL);"
            "CREATE TABLE effects (event_id uuid NOT NULL);"
        )
    client = await connect_nats(nats_server.url, name="tests-owner")
    await ensure_stream(client.jsm(), SAMPLE_SERVICE)  # the owner declares its stream
    created = World(pool, client, nats_server.url)
    yield created
    if created.task is not None and not created.task.done():
        await created.stop()
    await client.close()
    await pool.close()


async def test_an_event_delivered_twice_has_one_effect(world: World) -> None:
    world.start()
    event_id = uuid4()
    await world.publish(message("a", 1, event_id=event_id))
    last = await world.publish(message("a", 1, event_id=event_id))
    await world.acked_up_to(last)
    assert await world.effects() == 1
    assert await world.latest() == {"a": 1}


async def test_an_older_event_after_a_newer_one_changes_nothing(world: World) -> None:
    world.start()
    await world.acked_up_to(await world.publish(message("b", 3)))
    for version in (1, 2):
        last = await world.publish(message("b", version))
    await world.acked_up_to(last)
    assert await world.latest() == {"b": 3}
    assert await world.effects() == 1


async def test_without_a_version_guard_every_event_has_its_effect_once_however_late(
    world: World,
) -> None:
    world.start(UNGUARDED)
    await world.acked_up_to(await world.publish(message("h", 3)), UNGUARDED)
    late = uuid4()
    for version, event_id in ((1, late), (2, uuid4()), (1, late)):  # the last one: a copy
        last = await world.publish(message("h", version, event_id=event_id))
    await world.acked_up_to(last, UNGUARDED)
    assert await world.effects() == 3
    assert await world.pool.fetchval("SELECT count(*) FROM subscriber_versions") == 0


async def test_with_a_version_key_per_part_a_later_event_of_one_part_leaves_another_applied(
    world: World,
) -> None:
    """Parts of one stream (a branch's week and each of its dates) are guarded apart: the
    newest event of each part wins, whatever another part did in between."""

    def envelope(version: int, part: str) -> tuple[Envelope[DomainEvent], str]:
        raw = json.loads(message("d", version))
        return SAMPLE_REGISTRY.decode_envelope(RawEnvelope.model_validate(raw)), f"thing-d/{part}"

    async def take(version: int, part: str) -> Taken:
        event, key = envelope(version, part)
        async with world.pool.acquire() as connection:
            return await take_once(
                connection, "tests-parts", event, remember_latest, version_key=key
            )

    assert await take(2, "odd") is Taken.APPLIED
    assert await take(1, "even") is Taken.APPLIED  # older, but of another part
    assert await take(3, "even") is Taken.APPLIED
    assert await take(2, "even") is Taken.STALE
    assert await take(1, "odd") is Taken.STALE
    assert await world.effects() == 3


def test_a_version_key_must_begin_with_its_stream_id() -> None:
    keyed = replace(SUBSCRIBER, version_key=lambda e: f"{e.stream_id}/part")
    stray = replace(SUBSCRIBER, version_key=lambda e: "elsewhere")
    event = SAMPLE_REGISTRY.decode_envelope(RawEnvelope.model_validate_json(message("e", 1)))
    assert SUBSCRIBER.guarded_key(event) == "thing-e"
    assert keyed.guarded_key(event) == "thing-e/part"
    with pytest.raises(ValueError, match="begins with its stream id"):
        stray.guarded_key(event)


async def test_versions_in_any_order_at_once_leave_the_last_version(world: World) -> None:
    for version in (4, 9, 1, 7, 10, 2, 8, 3, 6, 5):
        last = await world.publish(message("c", version))
    world.start()  # one pull batch, handled concurrently
    await world.acked_up_to(last)
    assert await world.latest() == {"c": 10}
    effects = await world.pool.fetch("SELECT event_id FROM effects")
    assert len(effects) == len({row["event_id"] for row in effects})


async def test_a_restart_resumes_from_the_durable(world: World) -> None:
    world.start()
    for version in (1, 2, 3):
        last = await world.publish(message("d", version))
    await world.acked_up_to(last)
    await world.stop()
    for version in (4, 5):
        last = await world.publish(message("d", version))
    world.start()
    await world.acked_up_to(last)
    assert await world.latest() == {"d": 5}
    info = await world.nats.jsm().consumer_info(SAMPLE_STREAM, SUBSCRIBER.durable)
    # Five messages delivered once each: the second run began where the first had acked.
    assert (info.delivered.consumer_seq, info.num_redelivered) == (5, 0)


async def test_a_message_that_is_no_event_is_set_aside_and_the_rest_go_on(world: World) -> None:
    world.start()
    garbage = await world.publish(b"{not json")
    last = await world.publish(message("e", 1))
    await world.acked_up_to(last)
    letters = await world.pool.fetch("SELECT stream_sequence, reason FROM subscriber_dead_letters")
    assert [(r["stream_sequence"], r["reason"].startswith("not an event")) for r in letters] == [
        (garbage, True)
    ]
    assert await world.latest() == {"e": 1}


async def test_a_failing_effect_is_retried_then_set_aside(world: World) -> None:
    await world.pool.execute(
        "ALTER TABLE latest ADD CONSTRAINT small CHECK (n < 100)"
    )  # the effect fails for n >= 100, every time
    world.start()
    poisoned = await world.publish(message("f", 100))
    last = await world.publish(message("g", 1))
    await world.acked_up_to(last)

    async def dead_lettered() -> bool:
        return bool(await world.pool.fetchval("SELECT count(*) FROM subscriber_dead_letters"))

    await eventually(dead_lettered)
    row = await world.pool.fetchrow("SELECT stream_sequence, attempts FROM subscriber_dead_letters")
    assert row is not None
    assert (row["stream_sequence"], row["attempts"]) == (poisoned, SUBSCRIBER.max_attempts)
    assert await world.latest() == {"g": 1}
    assert await world.pool.fetchval("SELECT count(*) FROM subscriber_inbox") == 1


async def test_a_durable_that_drifted_from_the_code_is_brought_up_to_date(world: World) -> None:
    manager = world.nats.jsm()
    old = SUBSCRIBER.consumer_config()
    old.ack_wait = 5.0
    old.max_ack_pending = 7
    await manager.add_consumer(SAMPLE_STREAM, old)
    await ensure_durable(manager, SUBSCRIBER)
    info = await manager.consumer_info(SAMPLE_STREAM, SUBSCRIBER.durable)
    assert (info.config.ack_wait, info.config.max_ack_pending) == (30.0, 100)


async def test_a_durable_that_cannot_be_changed_in_place_is_made_again(world: World) -> None:
    manager = world.nats.jsm()
    old: Any = SUBSCRIBER.consumer_config()
    old = ConsumerConfig(**{**old.as_dict(), "deliver_policy": "new", "ack_wait": None})
    await manager.add_consumer(SAMPLE_STREAM, old)
    await ensure_durable(manager, SUBSCRIBER)
    info = await manager.consumer_info(SAMPLE_STREAM, SUBSCRIBER.durable)
    assert info.config.deliver_policy == "all"
