"""A read model's writes never hold back another service's relay, and a real deadlock against a
read model is retried: the cases the first tests (failing events, an injected error) left out."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import asyncpg
import pytest
import pytest_asyncio
from nats.js.errors import NotFoundError

from tvers_contracts import DomainEvent, Envelope
from tvers_runtime.db.types import Connection
from tvers_runtime.eventstore import NO_STREAM, PostgresEventStore
from tvers_runtime.projection import dead_letters, rebuild
from tvers_runtime.projection.locks import WriteLimits
from tvers_runtime.relay import Relay
from tvers_runtime.testing.pipeline import Pipeline, eventually, service_pool
from tvers_runtime.testing.sample import (
    SAMPLE_REGISTRY,
    SAMPLE_STREAM,
    SampleProjection,
    sample_event,
)

pytestmark = [pytest.mark.servers, pytest.mark.slow]


@pytest_asyncio.fixture
async def other_service(
    make_database: Callable[[], Awaitable[str]], pipeline: Pipeline
) -> AsyncIterator[PostgresEventStore]:
    """Another service on the same PostgreSQL server, with its own database, store and relay."""
    pool = await service_pool(await make_database())
    store = PostgresEventStore(pool)
    await store.start()
    relay = Relay(
        pool=pool,
        nats_client=pipeline.nats,
        service="other",
        subject_of=lambda _: "other.thing.thing_counted",
    )
    task = asyncio.create_task(relay.run())
    yield store
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await store.close()
    await pool.close()


async def publish_delay(pipeline: Pipeline, store: PostgresEventStore, n: int) -> float:
    """Seconds from appending an event of the other service until JetStream holds it."""
    started = time.monotonic()
    await store.append(f"other-{n}", NO_STREAM, [sample_event("other", n)])
    while True:
        try:
            info = await pipeline.nats.jsm().stream_info("OTHER")
        except NotFoundError:  # the other relay has not made its stream yet: not published
            pass
        else:
            if info.state.messages >= n:
                return time.monotonic() - started
        await asyncio.sleep(0.01)


async def _published(pipeline: Pipeline, n: int) -> bool:
    return await pipeline.published() >= n


class SlowProjection(SampleProjection):
    """Writes, then takes its time (a heavy statement, a slow index), as a real projection may."""

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        await super().apply(connection, events)
        await connection.execute("SELECT pg_sleep(3)")


async def test_a_slow_read_model_batch_does_not_hold_back_another_services_relay(
    pipeline: Pipeline, other_service: PostgresEventStore
) -> None:
    pipeline.projection = SlowProjection()
    pipeline.start_relay()
    await publish_delay(pipeline, other_service, 1)  # the other relay is up
    await pipeline.start_runner()
    await pipeline.store.append("thing-s", NO_STREAM, [sample_event("s", 1)])

    async def batch_running() -> bool:
        return bool(
            await pipeline.reporting_pool.fetchval(
                "SELECT true FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%'"
                " AND state = 'active' AND backend_xid IS NOT NULL"
            )
        )

    await eventually(batch_running)
    delay = await publish_delay(pipeline, other_service, 2)
    assert delay < 1.0, f"the other service's event waited {delay:.1f}s"


async def test_a_rebuild_swap_waiting_for_a_reader_does_not_hold_back_another_services_relay(
    pipeline: Pipeline, other_service: PostgresEventStore
) -> None:
    pipeline.start_relay()
    await publish_delay(pipeline, other_service, 1)
    await pipeline.start_runner()
    await pipeline.store.append("thing-r", NO_STREAM, [sample_event("r", 1)])
    await pipeline.wait_until_applied(1)
    # A long read of the live tables (a big report, a backup by pg_dump): a share lock, no xid.
    reading = asyncio.create_task(
        pipeline.reporting_pool.fetchval("SELECT count(*) FROM rm_sample_tally.tally, pg_sleep(4)")
    )
    await asyncio.sleep(0.3)
    rebuilding = asyncio.create_task(
        rebuild(
            pipeline.reporting_pool, pipeline.nats, pipeline.projection, registry=SAMPLE_REGISTRY
        )
    )

    async def old_tables_wait_to_be_dropped() -> bool:
        # Swapped out (renamed aside) while the reader still holds them: the drop must wait.
        return bool(
            await pipeline.reporting_pool.fetchval(
                "SELECT true FROM pg_namespace"
                " WHERE starts_with(nspname, 'rm_sample_tally__retired')"
            )
        )

    try:
        await eventually(old_tables_wait_to_be_dropped, timeout=20)
        delay = await publish_delay(pipeline, other_service, 2)
        await asyncio.gather(reading, rebuilding)
    finally:  # a failure above must not leave them holding connections the teardown waits for
        for task in (reading, rebuilding):
            task.cancel()
        await asyncio.gather(reading, rebuilding, return_exceptions=True)
    assert delay < 1.0, f"the other service's event waited {delay:.1f}s"
    # The old tables went once their reader had finished; the rebuilt ones serve.
    schemas = await pipeline.reporting_pool.fetch(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm_sample_tally%' ORDER BY 1"
    )
    assert [row[0] for row in schemas] == ["rm_sample_tally"]
    assert await pipeline.tally() == {"r": 1}


async def test_a_real_deadlock_against_the_read_model_is_retried_not_dead_lettered(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await pipeline.store.append("thing-a", NO_STREAM, [sample_event("a", 1)])
    await pipeline.wait_until_applied(1)
    gate: asyncpg.Connection = await asyncpg.connect(pipeline.reporting_url)
    other: asyncpg.Connection = await asyncpg.connect(pipeline.reporting_url)
    try:
        # Hold the runner back (the projection's lock, no xid) until the event is published.
        await gate.execute("SELECT pg_advisory_lock(hashtext('projection:sample_tally'))")
        await pipeline.store.append("thing-a", 1, [sample_event("a", 2)])
        await eventually(lambda: _published(pipeline, 2))
        # This side may be the one the deadlock detector picks; the runner must cope either way.
        with contextlib.suppress(asyncpg.exceptions.DeadlockDetectedError):
            async with other.transaction():
                # Lock the checkpoint row; the runner's batch locks the tally row of "a", then
                # waits for the checkpoint; then this transaction asks for the tally row.
                await other.execute(
                    "UPDATE rm_sample_tally._checkpoints SET updated_at = now() WHERE source = $1",
                    SAMPLE_STREAM,
                )
                await gate.execute("SELECT pg_advisory_unlock(hashtext('projection:sample_tally'))")

                async def runner_waits() -> bool:
                    return bool(
                        await gate.fetchval(
                            "SELECT true FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            " AND query LIKE '%_checkpoints%' AND pid <> $1",
                            other.get_server_pid(),
                        )
                    )

                await eventually(runner_waits)
                await other.execute(
                    "UPDATE rm_sample_tally.tally SET last_n = last_n WHERE thing = 'a'"
                )
    finally:
        await other.close()
        await gate.close()
    await pipeline.wait_until_applied(2)
    assert await dead_letters(pipeline.reporting_pool, pipeline.projection) == []
    assert await pipeline.tally() == {"a": 2}


class SlowOnOneThing(SampleProjection):
    """Applying one event takes longer than any statement may, every time (a pathological event:
    a huge payload, a query plan gone wrong)."""

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        await super().apply(connection, events)
        for envelope in events:
            if envelope.payload.thing == "slow":  # type: ignore[attr-defined]
                await connection.execute("SELECT pg_sleep(2)")


async def test_an_event_that_always_times_out_stops_only_its_own_stream(
    pipeline: Pipeline,
) -> None:
    pipeline.projection = SlowOnOneThing()
    await pipeline.store.append("thing-slow", NO_STREAM, [sample_event("slow", 1)])
    await pipeline.store.append("thing-fast", NO_STREAM, [sample_event("fast", 1)])
    pipeline.start_relay()
    await pipeline.start_runner(limits=WriteLimits(statement_timeout="300ms"))

    async def fast_applied() -> bool:
        return (await pipeline.tally()).get("fast") == 1

    await eventually(fast_applied, timeout=20)
    letters = await dead_letters(pipeline.reporting_pool, pipeline.projection)
    assert [(letter.stream_id, letter.parked_behind) for letter in letters] == [
        ("thing-slow", None)
    ]
    assert "took longer" in letters[0].reason
