"""An operator retries or skips a subscriber's dead letter (real PostgreSQL): a retry after the
fix takes the stored event once, through the inbox; a retry that fails again keeps it; a skip
drops it without its effect."""

from dataclasses import replace
from uuid import uuid4

import asyncpg
import pytest

from tvers_contracts import DomainEvent, Envelope
from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.types import Connection
from tvers_runtime.subscriber import MIGRATIONS, Subscriber, Taken
from tvers_runtime.subscriber.dead_letters import (
    UnknownSubscriberDeadLetter,
    retry_subscriber_dead_letter,
    skip_subscriber_dead_letter,
    subscriber_dead_letters,
)
from tvers_runtime.subscriber.inbox import dead_letter
from tvers_runtime.testing.sample import (
    SAMPLE_REGISTRY,
    SAMPLE_SERVICE,
    ThingCounted,
    sample_subject,
)

pytestmark = pytest.mark.servers


async def remember(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    await connection.execute("INSERT INTO effects (event_id) VALUES ($1)", envelope.event_id)


async def still_broken(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    raise RuntimeError("still broken")


FIXED = Subscriber(
    durable="tests-things", source=SAMPLE_SERVICE, events=(ThingCounted,), effect=remember
)
BROKEN = replace(FIXED, effect=still_broken)


def event(thing: str) -> bytes:
    return f"""{{"event_id": "{uuid4()}", "event_type": "ThingCounted", "schema_version": 1,
        "tenant": "1508", "stream_id": "thing-{thing}", "stream_version": 1,
        "occurred_at": "2026-11-30T12:00:00+00:00", "recorded_at": "2026-11-30T12:00:00+00:00",
        "correlation_id": "{uuid4()}", "causation_id": null,
        "payload": {{"thing": "{thing}", "n": 1}}}}""".encode()


async def given_dead_letters(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as connection:
        await apply_migrations(connection, [MIGRATIONS])
        await connection.execute("CREATE TABLE effects (event_id uuid PRIMARY KEY)")
        for sequence, thing in ((7, "a"), (8, "b")):
            await dead_letter(
                connection,
                FIXED.durable,
                stream_sequence=sequence,
                subject=sample_subject("ThingCounted"),
                event_id=None,
                attempts=8,
                reason="RuntimeError: broken",
                data=event(thing),
            )


async def test_a_retry_after_the_fix_takes_the_event_once_and_a_failing_one_keeps_it(
    pool: asyncpg.Pool,
) -> None:
    await given_dead_letters(pool)

    with pytest.raises(RuntimeError, match="still broken"):
        await retry_subscriber_dead_letter(pool, BROKEN, 7, registry=SAMPLE_REGISTRY)
    assert [d.sequence for d in await subscriber_dead_letters(pool, FIXED.durable)] == [7, 8]

    taken = await retry_subscriber_dead_letter(pool, FIXED, 7, registry=SAMPLE_REGISTRY)

    assert taken is Taken.APPLIED
    assert await pool.fetchval("SELECT count(*) FROM effects") == 1
    assert [d.sequence for d in await subscriber_dead_letters(pool)] == [8]
    with pytest.raises(UnknownSubscriberDeadLetter):
        await retry_subscriber_dead_letter(pool, FIXED, 7, registry=SAMPLE_REGISTRY)


async def test_a_skipped_dead_letter_is_gone_without_its_effect(pool: asyncpg.Pool) -> None:
    await given_dead_letters(pool)

    await skip_subscriber_dead_letter(pool, FIXED.durable, 8)

    assert [d.sequence for d in await subscriber_dead_letters(pool)] == [7]
    assert await pool.fetchval("SELECT count(*) FROM effects") == 0
    with pytest.raises(UnknownSubscriberDeadLetter):
        await skip_subscriber_dead_letter(pool, FIXED.durable, 8)
