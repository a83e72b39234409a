import asyncio
import dataclasses

import asyncpg
import pytest

from tvers_runtime.eventstore import (
    LOG_START,
    NO_STREAM,
    EventStore,
    EventStoreClosed,
    InvalidAppend,
    PostgresEventStore,
)
from tvers_runtime.testing.event_store_contract import EventStoreContract, new_event

pytestmark = pytest.mark.servers


class TestPostgresEventStore(EventStoreContract):
    @pytest.fixture
    def store(self, event_store: PostgresEventStore) -> EventStore:
        return event_store


async def test_a_bad_append_among_good_ones_fails_alone(
    event_store: PostgresEventStore,
) -> None:
    bad = dataclasses.replace(new_event(0), payload_json='{"n": ')
    outcomes = await asyncio.gather(
        *(event_store.append(f"door-{n}", NO_STREAM, [new_event(n)]) for n in range(20)),
        event_store.append("door-bad", NO_STREAM, [bad]),
        *(event_store.append(f"door-{n}", NO_STREAM, [new_event(n)]) for n in range(20, 40)),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == 1
    assert isinstance(refused[0], InvalidAppend)
    assert len(await event_store.read_all(LOG_START, limit=100)) == 40


async def test_an_append_after_close_is_refused_at_once(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    await store.start()
    await store.append("door-1", NO_STREAM, [new_event(1)])
    await store.close()
    with pytest.raises(EventStoreClosed):
        await store.append("door-2", NO_STREAM, [new_event(2)])


async def test_close_gives_up_on_a_stuck_write_and_answers_its_caller(
    pool: asyncpg.Pool, database_url: str
) -> None:
    store = PostgresEventStore(pool)
    await store.start()
    await store.append("door-1", NO_STREAM, [new_event(1)])
    blocker = await asyncpg.connect(database_url)
    try:
        async with blocker.transaction():
            # Every insert waits for this lock, and so does the writer of the next append.
            await blocker.execute("LOCK TABLE events IN SHARE MODE")
            stuck = asyncio.create_task(store.append("door-1", 1, [new_event(2)]))
            await asyncio.sleep(0.2)
            await store.close(timeout=0.5)
            with pytest.raises(EventStoreClosed, match="outcome"):
                await stuck
    finally:
        await blocker.close()
