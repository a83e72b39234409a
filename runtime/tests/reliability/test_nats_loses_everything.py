"""NATS is killed under load and comes back with an empty store (a lost volume): the relay
publishes the whole log again in order, the projection waits until the stream holds what it had
applied, and every event, those appended meanwhile too, is applied exactly once."""

import asyncio
import shutil
from collections import Counter

import pytest

from tvers_runtime.eventstore import LOG_START
from tvers_runtime.testing.pipeline import Pipeline
from tvers_runtime.testing.sample import SAMPLE_STREAM, sample_event
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = [pytest.mark.servers, pytest.mark.slow]
STREAMS = 20
PER_STREAM = 30


async def keep_appending(pipeline: Pipeline) -> None:
    for version in range(PER_STREAM):
        await asyncio.gather(
            *(
                pipeline.store.append(f"thing-{s}", version, [sample_event(f"t{s}", version + 1)])
                for s in range(STREAMS)
            )
        )
        await asyncio.sleep(0.05)


async def test_nats_restarted_on_an_empty_store_under_load_loses_and_repeats_nothing(
    pipeline: Pipeline, restartable_nats: NatsUnderTest
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    load = asyncio.create_task(keep_appending(pipeline))
    await pipeline.wait_until_applied(100)
    restartable_nats.kill()
    shutil.rmtree(restartable_nats.embedded.data_dir / "jetstream")
    await asyncio.sleep(0.5)
    restartable_nats.start()
    await load
    total = STREAMS * PER_STREAM
    await pipeline.wait_until_applied(total, timeout=90)
    await asyncio.sleep(1.0)  # anything applied twice would show by now
    applied = Counter(row["event_id"] for row in await pipeline.applied())
    assert len(applied) == total
    assert set(applied.values()) == {1}, "an event was applied twice"
    assert await pipeline.tally() == {f"t{s}": PER_STREAM for s in range(STREAMS)}
    # The stream is the log again, in the log's order.
    log_ids = [str(e.event_id) for e in await pipeline.store.read_all(LOG_START, limit=10_000)]
    info = await pipeline.nats.jsm().stream_info(SAMPLE_STREAM)
    stream_ids = [
        ((await pipeline.nats.jsm().get_msg(SAMPLE_STREAM, seq)).headers or {})["Nats-Msg-Id"]
        for seq in range(1, info.state.last_seq + 1)
    ]
    assert stream_ids == log_ids
