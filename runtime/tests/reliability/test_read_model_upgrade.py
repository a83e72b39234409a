"""A read model follows its code: when a projection's tables or version change, the next start
rebuilds it blue/green with the same numbers; older code never writes into a newer model; one
rebuild of a projection runs at a time; checkpoints never move back."""

import asyncio
from collections.abc import Sequence
from uuid import uuid4

import pytest
from structlog.testing import capture_logs

from tvers_contracts import DomainEvent, Envelope
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import RebuildInProgress, SourceState, rebuild, shape_of
from tvers_runtime.projection.checkpoints import read_checkpoint, save_checkpoint
from tvers_runtime.projection.reader import StreamMessage
from tvers_runtime.projection.schema import use_schema
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import (
    SAMPLE_REGISTRY,
    SAMPLE_STREAM,
    SampleProjection,
    ThingCounted,
    sample_event,
)

pytestmark = [pytest.mark.servers, pytest.mark.slow]


class TallyWithHighest(SampleProjection):
    """The sample projection, one release later: its tally gains a column."""

    version = 2
    tables_sql = SampleProjection.tables_sql.replace(
        "last_n integer);", "last_n integer, highest_n integer NOT NULL DEFAULT 0);"
    )

    async def apply(self, connection: Connection, events: Sequence[Envelope[DomainEvent]]) -> None:
        await super().apply(connection, events)
        highest: dict[str, int] = {}
        for envelope in events:
            assert isinstance(envelope.payload, ThingCounted)
            thing = envelope.payload.thing
            highest[thing] = max(highest.get(thing, 0), envelope.payload.n)
        await connection.executemany(
            "UPDATE tally SET highest_n = greatest(highest_n, $2) WHERE thing = $1",
            list(highest.items()),
        )


async def fill(pipeline: Pipeline, things: int, per_thing: int) -> None:
    for n in range(1, per_thing + 1):
        for t in range(things):
            await pipeline.store.append(f"thing-{t}", n - 1, [sample_event(f"t{t}", n)])


async def test_a_table_that_gains_a_column_is_rebuilt_on_start_with_the_same_numbers(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await fill(pipeline, 5, 4)
    await pipeline.wait_until_applied(20)
    await pipeline.stop("runner")
    before = await pipeline.tally()

    pipeline.projection = TallyWithHighest()
    runner = await pipeline.start_runner()

    async def upgraded() -> bool:
        return runner.statuses.by_source[SAMPLE_STREAM].state is SourceState.FOLLOWING

    await eventually(upgraded)
    assert await pipeline.tally() == before
    rows = await pipeline.reporting_pool.fetch(
        "SELECT thing, highest_n FROM rm_sample_tally.tally ORDER BY thing"
    )
    assert {row["thing"]: row["highest_n"] for row in rows} == {f"t{t}": 4 for t in range(5)}
    shape = await pipeline.reporting_pool.fetchval("SELECT shape FROM rm_sample_tally._meta")
    assert shape == shape_of(TallyWithHighest())
    # And it goes on from there.
    await pipeline.store.append("thing-0", 4, [sample_event("t0", 5)])

    async def fifth_applied() -> bool:
        return (await pipeline.tally())["t0"] == 5

    await eventually(fifth_applied)


async def test_older_code_does_not_write_into_a_newer_read_model(pipeline: Pipeline) -> None:
    pipeline.projection = TallyWithHighest()
    pipeline.start_relay()
    await pipeline.start_runner()
    await fill(pipeline, 2, 1)
    await pipeline.wait_until_applied(2)
    await pipeline.stop("runner")

    pipeline.projection = SampleProjection()  # a replica of the release before
    runner = await pipeline.start_runner()

    async def stopped() -> bool:
        return runner.statuses.by_source[SAMPLE_STREAM].state is SourceState.STOPPED

    await eventually(stopped)
    reason = runner.statuses.by_source[SAMPLE_STREAM].reason
    assert reason is not None
    assert "older release" in reason
    await pipeline.store.append("thing-0", 1, [sample_event("t0", 2)])  # not for old code
    await asyncio.sleep(1.0)
    assert await pipeline.applied_count() == 2


async def test_two_rebuilds_of_one_projection_do_not_run_at_once(pipeline: Pipeline) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await fill(pipeline, 20, 10)
    await pipeline.wait_until_applied(200)
    before = await pipeline.tally()

    results = await asyncio.gather(
        *(
            rebuild(
                pipeline.reporting_pool,
                pipeline.nats,
                pipeline.projection,
                registry=SAMPLE_REGISTRY,
                batch_size=20,
            )
            for _ in range(2)
        ),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, RebuildInProgress)]
    done = [r for r in results if not isinstance(r, BaseException)]
    assert (len(refused), len(done)) == (1, 1), results
    assert await pipeline.tally() == before
    assert await pipeline.applied_count() == 200


async def test_a_checkpoint_never_moves_back(pipeline: Pipeline) -> None:
    await pipeline.start_runner()
    await pipeline.stop("runner")

    def message(sequence: int) -> StreamMessage:
        return StreamMessage(
            sequence, "sample.thing.thing_counted", b"", {"Nats-Msg-Id": str(uuid4())}, 0
        )

    async with pipeline.reporting_pool.acquire() as connection, connection.transaction():
        await use_schema(connection, "rm_sample_tally")
        await save_checkpoint(connection, SAMPLE_STREAM, message(22))
        with capture_logs() as logs:
            await save_checkpoint(connection, SAMPLE_STREAM, message(21))
        checkpoint = await read_checkpoint(connection, SAMPLE_STREAM)
    assert checkpoint.sequence == 22
    assert [(e["event"], e["log_level"]) for e in logs] == [("checkpoint_would_move_back", "error")]
