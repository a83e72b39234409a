"""A rebuild replays from sequence 1 into fresh tables and swaps them in; the live read model keeps
answering meanwhile, and a poison message stops the rebuild rather than hide in it."""

import asyncio
import json
from uuid import uuid4

import asyncpg
import pytest

from tvers_runtime.projection import RebuildHalted, dead_letters, rebuild, skip_dead_letter
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import SAMPLE_REGISTRY, SAMPLE_STREAM, sample_event

pytestmark = [pytest.mark.servers, pytest.mark.slow]


async def fill(pipeline: Pipeline, things: int, per_thing: int, start: int = 0) -> None:
    for version in range(start, start + per_thing):
        await asyncio.gather(
            *(
                pipeline.store.append(f"thing-{t}", version, [sample_event(f"t{t}", version + 1)])
                for t in range(things)
            )
        )


async def snapshot(pool: asyncpg.Pool) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    tally = await pool.fetch("SELECT thing, events, last_n FROM rm_sample_tally.tally ORDER BY 1")
    applied = await pool.fetch("SELECT event_id, thing, n FROM rm_sample_tally.applied ORDER BY 1")
    return [tuple(r) for r in tally], [tuple(r) for r in applied]


async def test_a_rebuild_equals_the_live_model_and_reads_go_on_during_it(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await fill(pipeline, things=20, per_thing=100)
    await pipeline.wait_until_applied(2000)
    live = await snapshot(pipeline.reporting_pool)

    answers: list[int] = []
    reading = True

    async def keep_reading() -> None:
        while reading:
            total = await pipeline.reporting_pool.fetchval(
                "SELECT sum(events) FROM rm_sample_tally.tally"
            )
            answers.append(total)
            await asyncio.sleep(0.005)

    reader = asyncio.create_task(keep_reading())
    report = await rebuild(
        pipeline.reporting_pool,
        pipeline.nats,
        pipeline.projection,
        registry=SAMPLE_REGISTRY,
        batch_size=300,
    )
    reading = False
    await reader
    assert report.events == 2000
    assert len(answers) > 5
    assert set(answers) == {2000}, "a read during the rebuild saw a half-built model"
    assert await snapshot(pipeline.reporting_pool) == live

    # The live runner carries on on the swapped-in tables, without applying anything twice.
    await fill(pipeline, things=20, per_thing=5, start=100)
    await pipeline.wait_until_applied(2100)
    await asyncio.sleep(0.5)
    tally, applied = await snapshot(pipeline.reporting_pool)
    assert len(applied) == len({row[0] for row in applied}) == 2100
    assert all(events == 105 for _, events, _ in tally)


async def test_a_rebuild_while_events_keep_arriving_misses_none(pipeline: Pipeline) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await fill(pipeline, things=10, per_thing=100)
    writer = asyncio.create_task(fill(pipeline, things=10, per_thing=50, start=100))
    await rebuild(
        pipeline.reporting_pool,
        pipeline.nats,
        pipeline.projection,
        registry=SAMPLE_REGISTRY,
        batch_size=100,
    )
    await writer
    await pipeline.wait_until_applied(1500)
    await asyncio.sleep(0.5)
    tally, applied = await snapshot(pipeline.reporting_pool)
    assert len(applied) == len({row[0] for row in applied}) == 1500
    assert tally == [(f"t{t}", 150, 150) for t in sorted(range(10), key=str)]


async def test_a_poison_message_stops_a_rebuild_unless_an_operator_skipped_it(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await fill(pipeline, things=3, per_thing=10)
    await pipeline.wait_until_applied(30)
    await pipeline.stop("relay")
    envelope = {
        "event_id": str(uuid4()),
        "event_type": "ThingCounted",
        "schema_version": 1,
        "tenant": "1508",
        "stream_id": "thing-x",
        "stream_version": 1,
        "occurred_at": "2026-11-28T10:00:00+00:00",
        "recorded_at": "2026-11-28T10:00:00+00:00",
        "correlation_id": str(uuid4()),
        "payload": {"thing": "x"},
    }
    ack = await pipeline.nats.jetstream().publish(
        "sample.thing.thing_counted", json.dumps(envelope).encode()
    )

    async def dead_lettered() -> bool:
        return len(await dead_letters(pipeline.reporting_pool, pipeline.projection)) == 1

    await eventually(dead_lettered)
    live = await snapshot(pipeline.reporting_pool)
    with pytest.raises(RebuildHalted) as halted:
        await rebuild(
            pipeline.reporting_pool, pipeline.nats, pipeline.projection, registry=SAMPLE_REGISTRY
        )
    assert halted.value.sequence == ack.seq
    assert await snapshot(pipeline.reporting_pool) == live
    leftover = await pipeline.reporting_pool.fetchval(
        "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rm_sample_tally__%'"
    )
    assert leftover == 0

    await skip_dead_letter(
        pipeline.reporting_pool,
        pipeline.projection,
        SAMPLE_STREAM,
        ack.seq,
        registry=SAMPLE_REGISTRY,
    )
    report = await rebuild(
        pipeline.reporting_pool, pipeline.nats, pipeline.projection, registry=SAMPLE_REGISTRY
    )
    assert report.events == 31
    assert await snapshot(pipeline.reporting_pool) == live
