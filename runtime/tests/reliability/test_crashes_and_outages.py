"""No event is lost or applied twice when a relay or a projection process dies with SIGKILL,
or when NATS goes away and comes back."""

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter

import pytest

from tvers_runtime.eventstore import LOG_START
from tvers_runtime.projection import OrderedStreamReader
from tvers_runtime.testing.pipeline import Pipeline, eventually
from tvers_runtime.testing.sample import SAMPLE_STREAM, sample_event
from tvers_runtime.testing.servers import NatsUnderTest

pytestmark = [pytest.mark.servers, pytest.mark.slow]


async def append_backlog(pipeline: Pipeline, streams: int, per_stream: int) -> int:
    for version in range(per_stream):
        await asyncio.gather(
            *(
                pipeline.store.append(f"thing-{s}", version, [sample_event(f"t{s}", version + 1)])
                for s in range(streams)
            )
        )
    return streams * per_stream


def start_worker(role: str, database_url: str, nats_url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tvers_runtime.testing.sample_worker", role, database_url, nats_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


async def stream_message_ids(pipeline: Pipeline) -> list[str]:
    reader = OrderedStreamReader(pipeline.nats, SAMPLE_STREAM, batch=1000)
    await reader.start_at(1)
    ids: list[str] = []
    try:
        while batch := await reader.take(1000, timeout=1.0):
            ids.extend(message.headers["Nats-Msg-Id"] for message in batch)
    finally:
        await reader.close()
    return ids


async def test_a_relay_killed_mid_backlog_and_restarted_publishes_every_event_once_in_order(
    pipeline: Pipeline, nats_server: NatsUnderTest
) -> None:
    total = await append_backlog(pipeline, streams=100, per_stream=150)
    relay = start_worker("relay", pipeline.service_url, nats_server.url)
    try:

        async def some_published() -> bool:
            return await pipeline.published() >= 2000

        await eventually(some_published)
        kill(relay)
        published_at_kill = await pipeline.published()
        assert 0 < published_at_kill < total, "the kill must land in the middle of the backlog"
        relay = start_worker("relay", pipeline.service_url, nats_server.url)

        async def all_published() -> bool:
            return await pipeline.published() >= total

        await eventually(all_published, timeout=60)
        await asyncio.sleep(1.0)  # anything republished twice would arrive now
    finally:
        kill(relay)
    stored = await pipeline.store.read_all(LOG_START, limit=total + 1)
    assert await stream_message_ids(pipeline) == [str(event.event_id) for event in stored]


async def test_a_projection_killed_mid_stream_and_restarted_applies_every_event_once(
    pipeline: Pipeline, nats_server: NatsUnderTest
) -> None:
    total = await append_backlog(pipeline, streams=100, per_stream=150)
    pipeline.start_relay()
    runner = start_worker("runner", pipeline.reporting_url, nats_server.url)
    try:

        async def partly_applied() -> bool:
            return await pipeline.applied_count() >= 2000

        await eventually(partly_applied, timeout=60)
        kill(runner)  # mid-batch: delivered, perhaps applied, not yet committed
        assert await pipeline.applied_count() < total
        runner = start_worker("runner", pipeline.reporting_url, nats_server.url)
        await pipeline.wait_until_applied(total, timeout=90)
        await asyncio.sleep(1.0)
    finally:
        kill(runner)
    applied = Counter(row["event_id"] for row in await pipeline.applied())
    assert len(applied) == total
    assert set(applied.values()) == {1}, "an event was applied twice"
    assert await pipeline.tally() == {f"t{s}": 150 for s in range(100)}


@pytest.mark.parametrize("how", ["stopped", "killed"])
async def test_appends_succeed_while_nats_is_down_and_every_event_arrives_after(
    pipeline: Pipeline, restartable_nats: NatsUnderTest, how: str
) -> None:
    pipeline.start_relay()
    await pipeline.start_runner()
    await append_backlog(pipeline, streams=10, per_stream=5)
    await pipeline.wait_until_applied(50)
    if how == "stopped":
        restartable_nats.stop()
    else:
        restartable_nats.kill()
    for version in range(5, 25):
        for s in range(10):
            await pipeline.store.append(f"thing-{s}", version, [sample_event(f"t{s}", version + 1)])
    await asyncio.sleep(1.0)  # the relay and the runner notice the outage meanwhile
    restartable_nats.start()
    await pipeline.wait_until_applied(250, timeout=60)
    await asyncio.sleep(0.5)
    applied = Counter(row["event_id"] for row in await pipeline.applied())
    assert len(applied) == 250
    assert set(applied.values()) == {1}
    assert await pipeline.tally() == {f"t{s}": 25 for s in range(10)}
