"""A tailing reader of the event store never skips an event that commits late, and never waits
forever behind a transaction that rolled back or a session left idle in a transaction."""

import asyncio
import json
import random
from uuid import UUID

import asyncpg
import pytest

from tvers_runtime.db.setup import limit_idle_transactions
from tvers_runtime.eventstore import (
    LOG_START,
    NO_STREAM,
    LogPosition,
    PostgresEventStore,
    WrongExpectedVersion,
)
from tvers_runtime.testing.event_store_contract import new_event
from tvers_runtime.testing.pipeline import eventually, service_pool

pytestmark = [pytest.mark.servers, pytest.mark.slow]

APPENDERS = 8
EVENTS_PER_APPENDER = 2000


async def appender(store: PostgresEventStore, number: int, rng: random.Random) -> list[UUID]:
    ids: list[UUID] = []
    versions: dict[str, int] = {}
    while len(ids) < EVENTS_PER_APPENDER:
        stream = f"appender-{number}-{rng.randrange(20)}"
        size = rng.randint(1, min(5, EVENTS_PER_APPENDER - len(ids)))
        events = [new_event(len(ids) + i) for i in range(size)]
        result = await store.append(stream, versions.get(stream, NO_STREAM), events)
        versions[stream] = result.stream_version
        ids.extend(e.event_id for e in events)
    return ids


async def test_a_tailing_reader_sees_every_event_once_in_order_under_eight_appenders(
    database_url: str,
) -> None:
    pools = [await service_pool(database_url) for _ in range(APPENDERS)]
    stores = [PostgresEventStore(pool, writers=1) for pool in pools]
    for store in stores:
        await store.start()
    seen: list[tuple[LogPosition, UUID]] = []
    writing = True

    async def tail() -> None:
        position = LOG_START
        while True:
            batch = await stores[0].read_all(position, limit=250)
            if not batch:
                if not writing:
                    return
                await asyncio.sleep(0.001)
                continue
            seen.extend((event.log_position, event.event_id) for event in batch)
            position = batch[-1].log_position

    reader = asyncio.create_task(tail())
    written = await asyncio.gather(
        *(appender(store, n, random.Random(n)) for n, store in enumerate(stores))
    )
    writing = False
    await reader
    # One final read after every appender committed: nothing may be left behind.
    assert await stores[0].read_all(seen[-1][0], limit=10) == []

    all_ids = {event_id for ids in written for event_id in ids}
    seen_ids = [event_id for _, event_id in seen]
    assert len(all_ids) == APPENDERS * EVENTS_PER_APPENDER
    assert len(seen_ids) == len(all_ids), "an event was skipped or seen twice"
    assert set(seen_ids) == all_ids
    positions = [position for position, _ in seen]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    # Commit-consistent: every event's stream appears in version order as well.
    committed = await stores[0].read_all(LOG_START, limit=len(all_ids) + 1)
    assert [event.event_id for event in committed] == seen_ids
    for store in stores:
        await store.close()
    for pool in pools:
        await pool.close()


async def open_transaction_with_an_append(url: str, stream: str) -> asyncpg.Connection:
    connection = await asyncpg.connect(url)
    await connection.execute("BEGIN")
    event = new_event(999)
    await connection.fetch(
        "SELECT * FROM tvers_append_one_by_one($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        [stream],
        [0],
        [1],
        [event.event_id],
        [event.event_type],
        [1],
        [event.tenant],
        [event.occurred_at],
        [event.correlation_id],
        [None],
        [event.payload_json],
    )
    return connection


def streams_of(events: list) -> list[str]:  # type: ignore[type-arg]
    return [event.stream_id for event in events]


async def test_a_rolled_back_transaction_holds_the_tail_back_only_while_it_runs(
    database_url: str, event_store: PostgresEventStore
) -> None:
    await event_store.append("before", NO_STREAM, [new_event(1)])
    doomed = await open_transaction_with_an_append(database_url, "doomed")
    await event_store.append("after", NO_STREAM, [new_event(2)])
    # "after" committed, but a transaction older than it still runs: the reader waits rather
    # than step over a position that might still commit.
    assert streams_of(await event_store.read_all(LOG_START)) == ["before"]
    await doomed.execute("ROLLBACK")
    await doomed.close()
    assert streams_of(await event_store.read_all(LOG_START)) == ["before", "after"]


async def test_a_session_left_idle_in_a_transaction_does_not_stall_the_tail_forever(
    database_url: str, pool: asyncpg.Pool, event_store: PostgresEventStore
) -> None:
    async with pool.acquire() as connection:
        assert await limit_idle_transactions(connection, "3s")
    forgotten = await open_transaction_with_an_append(database_url, "forgotten")
    await event_store.append("after", NO_STREAM, [new_event(2)])
    assert streams_of(await event_store.read_all(LOG_START)) == []

    async def tail_moved_on() -> bool:
        return streams_of(await event_store.read_all(LOG_START)) == ["after"]

    await eventually(tail_moved_on, timeout=15)
    assert forgotten.is_closed() or not await _still_alive(forgotten)


async def _still_alive(connection: asyncpg.Connection) -> bool:
    try:
        await connection.fetchval("SELECT 1")
    except (asyncpg.PostgresError, asyncpg.InterfaceError, ConnectionError):
        return False
    return True


async def test_an_append_repeated_after_the_caller_gave_up_is_stored_once(
    event_store: PostgresEventStore,
) -> None:
    for attempt in range(20):
        events = [new_event(attempt), new_event(attempt + 100)]
        first = asyncio.create_task(event_store.append(f"retry-{attempt}", NO_STREAM, events))
        await asyncio.sleep(random.Random(attempt).random() * 0.004)
        first.cancel()  # the client timed out: it does not know whether the append happened
        result = await event_store.append(f"retry-{attempt}", NO_STREAM, events)
        assert result.stream_version == 2
        stored = await event_store.read_stream(f"retry-{attempt}")
        assert [e.event_id for e in stored] == [e.event_id for e in events]
        assert [json.loads(e.payload_json)["n"] for e in stored] == [attempt, attempt + 100]


async def test_two_processes_deciding_on_the_same_version_one_wins_each_time(
    database_url: str,
) -> None:
    pools = [await service_pool(database_url) for _ in range(2)]
    stores = [PostgresEventStore(pool, writers=1) for pool in pools]
    for store in stores:
        await store.start()
    winners: list[UUID] = []
    for version in range(50):
        candidates = [new_event(version), new_event(version)]
        outcomes = await asyncio.gather(
            *(s.append("contested", version, [e]) for s, e in zip(stores, candidates, strict=True)),
            return_exceptions=True,
        )
        won = [
            c for c, o in zip(candidates, outcomes, strict=True) if not isinstance(o, BaseException)
        ]
        lost = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(won) == 1
        assert len(lost) == 1
        assert isinstance(lost[0], WrongExpectedVersion)
        winners.append(won[0].event_id)
    stored = await stores[0].read_stream("contested")
    assert [e.event_id for e in stored] == winners
    for store in stores:
        await store.close()
    for pool in pools:
        await pool.close()
