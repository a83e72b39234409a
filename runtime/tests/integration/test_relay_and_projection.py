import asyncio
from typing import ClassVar

import pytest

from tvers_contracts import DomainEvent
from tvers_runtime.eventstore import LOG_START, NO_STREAM
from tvers_runtime.projection import SourceState
from tvers_runtime.relay import backlog
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import (
    SAMPLE_SERVICE,
    SAMPLE_STREAM,
    SampleProjection,
    sample_event,
)

pytestmark = pytest.mark.servers


async def append_things(pipeline: Pipeline, things: int, per_thing: int) -> int:
    for n in range(1, per_thing + 1):
        await asyncio.gather(
            *(
                pipeline.store.append(f"thing-{t}", n - 1, [sample_event(f"t{t}", n)])
                for t in range(things)
            )
        )
    return things * per_thing


async def test_appended_events_reach_the_projection_once_each(pipeline: Pipeline) -> None:
    total = await append_things(pipeline, things=5, per_thing=20)
    pipeline.start_relay()
    await pipeline.start_runner()
    await pipeline.wait_until_applied(total)
    assert await pipeline.tally() == {f"t{t}": 20 for t in range(5)}
    applied = await pipeline.applied()
    assert len(applied) == len({row["event_id"] for row in applied}) == total


async def test_relay_publishes_in_store_order_with_event_id_as_msg_id(pipeline: Pipeline) -> None:
    await append_things(pipeline, things=3, per_thing=10)
    pipeline.start_relay()
    stored = await pipeline.store.read_all(LOG_START, limit=100)

    async def all_published() -> bool:
        return await pipeline.published() == len(stored)

    await eventually(all_published)
    for sequence, event in enumerate(stored, start=1):
        message = await pipeline.nats.jsm().get_msg(SAMPLE_STREAM, sequence)
        assert message.headers is not None
        assert message.headers["Nats-Msg-Id"] == str(event.event_id)


async def test_new_events_are_projected_while_everything_runs(pipeline: Pipeline) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await pipeline.store.append("live-1", NO_STREAM, [sample_event("live", 1)])
    await pipeline.wait_until_applied(1)
    await pipeline.store.append("live-1", 1, [sample_event("live", 2)])
    await pipeline.wait_until_applied(2)
    assert await pipeline.tally() == {"live": 2}


async def test_a_source_added_to_a_projection_later_gets_its_own_checkpoint(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await pipeline.store.append("thing-a", NO_STREAM, [sample_event("a", 1)])
    await pipeline.wait_until_applied(1)
    await pipeline.stop("runner")

    class LaterThing(DomainEvent):
        service: ClassVar[str] = "later"
        aggregate: ClassVar[str] = "thing"

    class Widened(SampleProjection):
        handled = (*SampleProjection.handled, LaterThing)

    # One more handled event type: the read model is rebuilt, though the new source's stream
    # does not exist yet (it holds nothing to replay, and is read from its start once it does).
    pipeline.projection = Widened()
    runner = await pipeline.start_runner()

    async def upgraded() -> bool:
        return runner.statuses.by_source[SAMPLE_STREAM].state is SourceState.FOLLOWING

    await eventually(upgraded)
    rows = await pipeline.reporting_pool.fetch(
        "SELECT source, sequence FROM rm_sample_tally._checkpoints ORDER BY source"
    )
    assert [tuple(row) for row in rows] == [("LATER", 0), ("SAMPLE", 1)]
    assert runner.statuses.by_source["LATER"].state is SourceState.WAITING
    assert await pipeline.tally() == {"a": 1}


async def test_the_backlog_counts_what_the_relay_has_not_published_whether_it_runs_or_not(
    pipeline: Pipeline,
) -> None:
    total = await append_things(pipeline, things=2, per_thing=3)
    async with pipeline.service_pool.acquire() as connection:
        assert await backlog(connection, SAMPLE_SERVICE) == total
    pipeline.start_relay()

    async def all_published() -> bool:
        async with pipeline.service_pool.acquire() as connection:
            return await backlog(connection, SAMPLE_SERVICE) == 0

    await eventually(all_published)
    await pipeline.stop("relay")
    await append_things_after(pipeline, 2)
    async with pipeline.service_pool.acquire() as connection:
        assert await backlog(connection, SAMPLE_SERVICE) == 2


async def append_things_after(pipeline: Pipeline, count: int) -> None:
    for n in range(count):
        await pipeline.store.append(f"later-{n}", NO_STREAM, [sample_event(f"later-{n}", 1)])
