"""Two releases of a projection run at once, as in a rolling upgrade: the new one rebuilds the
read model blue/green while the old one keeps following and events keep coming; once swapped,
the old one never writes again, and the new read model holds every event exactly once."""

import asyncio
import contextlib
from collections import Counter
from collections.abc import Sequence

import pytest

from tvers_contracts import DomainEvent, Envelope
from tvers_runtime.db.types import Connection
from tvers_runtime.projection import ProjectionRunner, SourceState, shape_of
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import (
    SAMPLE_REGISTRY,
    SAMPLE_STREAM,
    SampleProjection,
    ThingCounted,
    sample_event,
)

pytestmark = [pytest.mark.servers, pytest.mark.slow]
THINGS = 10
PER_THING = 40


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
            highest[envelope.payload.thing] = envelope.payload.n
        await connection.executemany(
            "UPDATE tally SET highest_n = greatest(highest_n, $2) WHERE thing = $1",
            list(highest.items()),
        )


async def keep_appending(pipeline: Pipeline) -> None:
    for n in range(1, PER_THING + 1):
        for t in range(THINGS):
            await pipeline.store.append(f"thing-{t}", n - 1, [sample_event(f"t{t}", n)])
        await asyncio.sleep(0.02)


async def test_an_old_and_a_new_release_at_once_leave_every_event_applied_once(
    pipeline: Pipeline,
) -> None:
    pipeline.start_relay()
    old = await pipeline.start_runner(batch_size=7)
    load = asyncio.create_task(keep_appending(pipeline))
    await pipeline.wait_until_applied(50)
    new = ProjectionRunner(
        pool=pipeline.reporting_pool,
        nats_client=pipeline.nats,
        projection=TallyWithHighest(),
        registry=SAMPLE_REGISTRY,
        batch_size=7,
    )
    await new.prepare()
    upgrading = asyncio.create_task(new.run())
    try:
        await load
        total = THINGS * PER_THING

        async def all_in_the_new_model() -> bool:
            shape = await pipeline.reporting_pool.fetchval(
                "SELECT shape FROM rm_sample_tally._meta"
            )
            return shape == shape_of(TallyWithHighest()) and await pipeline.applied_count() == total

        await eventually(all_in_the_new_model, timeout=60)
        await asyncio.sleep(2.0)  # the old release would have written by now
        applied = Counter(row["event_id"] for row in await pipeline.applied())
        assert len(applied) == total
        assert set(applied.values()) == {1}, "an event was applied twice"
        assert await pipeline.tally() == {f"t{t}": PER_THING for t in range(THINGS)}
        highest = await pipeline.reporting_pool.fetch(
            "SELECT DISTINCT highest_n FROM rm_sample_tally.tally"
        )
        assert [row[0] for row in highest] == [PER_THING]
        assert new.statuses.by_source[SAMPLE_STREAM].state is SourceState.FOLLOWING
        # The old release knows it is the older one, and says so.
        old_status = old.statuses.by_source[SAMPLE_STREAM]
        assert not old.healthy
        assert old_status.state is SourceState.STOPPED, old_status
    finally:
        upgrading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await upgrading
