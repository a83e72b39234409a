"""Closing the event store while appends race it: every append gets an answer (stored, or
EventStoreClosed), none hangs, and closing is safe whatever state the store is in."""

import asyncio

import asyncpg
import pytest

from tvers_runtime.eventstore import NO_STREAM, EventStoreClosed, PostgresEventStore
from tvers_runtime.testing.sample import sample_event

pytestmark = pytest.mark.servers


async def test_appends_racing_close_all_get_an_answer(pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(pool)
    await store.start()
    appends = [
        asyncio.create_task(store.append(f"thing-{i}", NO_STREAM, [sample_event(str(i), 1)]))
        for i in range(300)
    ]
    await asyncio.sleep(0)  # some are queued, none written yet
    closing = asyncio.create_task(store.close(timeout=5.0))
    late = [
        asyncio.create_task(store.append(f"late-{i}", NO_STREAM, [sample_event(str(i), 1)]))
        for i in range(50)
    ]
    results = await asyncio.wait_for(
        asyncio.gather(*appends, *late, return_exceptions=True), timeout=20
    )
    await closing
    failures = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(f, EventStoreClosed) for f in failures), failures
    stored = await pool.fetchval("SELECT count(*) FROM events")
    assert stored == len(results) - len(failures)


async def test_closing_a_store_that_never_started_answers_its_waiting_appends(
    pool: asyncpg.Pool,
) -> None:
    store = PostgresEventStore(pool)
    waiting = asyncio.create_task(store.append("thing-x", NO_STREAM, [sample_event("x", 1)]))
    await asyncio.sleep(0)
    await store.close(timeout=1.0)
    await store.close(timeout=1.0)  # twice: nothing left to do
    with pytest.raises(EventStoreClosed):
        await asyncio.wait_for(waiting, timeout=5)
