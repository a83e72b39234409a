"""What a projection does with events it cannot decode or apply: a failure belongs to its stream
alone, never stalls anything else on the server, and a transient one is never a dead letter."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ClassVar

import asyncpg
import pytest
import pytest_asyncio
from structlog.testing import capture_logs

from tvers_contracts import EventRegistry
from tvers_runtime.db.pool import create_pool
from tvers_runtime.eventstore import NO_STREAM, PostgresEventStore
from tvers_runtime.projection import dead_letters
from tvers_runtime.projection.locks import WriteLimits
from tvers_runtime.relay import Relay
from tvers_runtime.testing.pipeline import Pipeline, eventually, service_pool
from tvers_runtime.testing.sample import ThingCounted, sample_event

pytestmark = [pytest.mark.servers, pytest.mark.slow]


class ThingCountedV2(ThingCounted):
    """Version 2 of the sample event, whose upcaster from version 1 chokes on one thing."""

    type_name: ClassVar[str | None] = "ThingCounted"
    schema_version: ClassVar[int] = 2


UPCASTING = EventRegistry([ThingCounted, ThingCountedV2])


@UPCASTING.upcaster("ThingCounted", from_version=1)
def choke_on_bad_things(payload: dict[str, Any]) -> dict[str, Any]:
    if payload["thing"] == "bad":
        return payload["no such key"]  # type: ignore[no-any-return] # a bug: KeyError
    return payload


async def test_an_upcaster_that_raises_dead_letters_its_stream_while_the_others_go_on(
    pipeline: Pipeline,
) -> None:
    for thing in ("a", "bad", "b"):
        for n in (1, 2):
            await pipeline.store.append(f"thing-{thing}", n - 1, [sample_event(thing, n)])
    pipeline.start_relay()
    await pipeline.start_runner(registry=UPCASTING)
    await pipeline.wait_until_applied(4)

    async def bad_is_dead_lettered() -> bool:
        return len(await dead_letters(pipeline.reporting_pool, pipeline.projection)) == 2

    await eventually(bad_is_dead_lettered)
    assert await pipeline.tally() == {"a": 2, "b": 2}
    poison, parked = await dead_letters(pipeline.reporting_pool, pipeline.projection)
    assert poison.stream_id == "thing-bad"
    assert "KeyError" in poison.reason
    assert parked.parked_behind == poison.sequence
    # Later events of other streams keep flowing.
    await pipeline.store.append("thing-a", 2, [sample_event("a", 3)])
    await pipeline.wait_until_applied(5)


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
        info = await pipeline.nats.jsm().stream_info("OTHER")
        if info.state.messages >= n:
            return time.monotonic() - started
        await asyncio.sleep(0.01)


async def test_poison_in_a_read_model_batch_does_not_hold_back_another_services_relay(
    pipeline: Pipeline, other_service: PostgresEventStore
) -> None:
    # 40 streams whose first event fails to apply, in one batch: each is dead-lettered and
    # tried again, and none of that may keep a transaction with an xid open meanwhile.
    pipeline.projection.fail_on = {(f"p{s}", 1) for s in range(40)}
    for s in range(40):
        await pipeline.store.append(f"thing-p{s}", NO_STREAM, [sample_event(f"p{s}", 1)])
    pipeline.start_relay()
    await publish_delay(pipeline, other_service, 1)  # the other relay is up
    await pipeline.start_runner(retry_budget=3.0)
    delays = []
    deadline = time.monotonic() + 4.0
    n = 1
    while time.monotonic() < deadline:
        n += 1
        delays.append(await publish_delay(pipeline, other_service, n))

    async def all_dead_lettered() -> bool:
        return len(await dead_letters(pipeline.reporting_pool, pipeline.projection)) == 40

    await eventually(all_dead_lettered)
    assert max(delays) < 1.0, f"the other service's events waited up to {max(delays):.1f}s"


async def test_a_transient_failure_is_tried_again_and_never_dead_lettered(
    pipeline: Pipeline,
) -> None:
    pipeline.projection.transient_failures = 5  # more than the tries a dead letter would get
    for s in range(3):
        await pipeline.store.append(f"thing-{s}", NO_STREAM, [sample_event(f"t{s}", 1)])
    pipeline.start_relay()
    await pipeline.start_runner()
    await pipeline.wait_until_applied(3)
    assert pipeline.projection.transient_failures == 0
    assert await dead_letters(pipeline.reporting_pool, pipeline.projection) == []
    assert await pipeline.tally() == {"t0": 1, "t1": 1, "t2": 1}


async def test_a_lock_held_elsewhere_times_out_the_batch_which_is_tried_again_later(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    runner = await pipeline.start_runner(limits=WriteLimits(lock_timeout="200ms"))
    await pipeline.store.append("thing-0", NO_STREAM, [sample_event("t0", 1)])
    await pipeline.wait_until_applied(1)
    blocker: asyncpg.Connection = await asyncpg.connect(pipeline.reporting_url)
    try:
        async with blocker.transaction():
            # SHARE blocks the projection's inserts without taking a transaction id (an ACCESS
            # EXCLUSIVE lock would, and hold back the relay too).
            await blocker.execute("LOCK TABLE rm_sample_tally.tally IN SHARE MODE")
            await pipeline.store.append("thing-1", NO_STREAM, [sample_event("t1", 1)])

            async def recovering() -> bool:
                return runner.statuses.by_source["SAMPLE"].state == "recovering"

            await eventually(recovering)
        await pipeline.wait_until_applied(2)
    finally:
        await blocker.close()
    assert await dead_letters(pipeline.reporting_pool, pipeline.projection) == []
    assert await pipeline.tally() == {"t0": 1, "t1": 1}
    assert runner.healthy


async def test_every_acquire_has_a_timeout_and_an_exhausted_pool_says_so(
    database_url: str,
) -> None:
    pool = await create_pool(database_url, application_name="tiny", max_size=1, acquire_timeout=0.2)
    try:
        async with pool.acquire():
            with (
                capture_logs() as logs,
                pytest.raises(TimeoutError, match="no free database connection in tiny"),
            ):
                await pool.fetchval("SELECT 1")
        assert [entry["event"] for entry in logs] == ["database_pool_exhausted"]
    finally:
        await pool.close()
