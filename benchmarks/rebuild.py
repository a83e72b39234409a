"""Rebuild speed: replaying a stream of sample events into a fresh read model and swapping it in."""

from __future__ import annotations

import asyncio

from tvers_runtime.eventstore import NO_STREAM
from tvers_runtime.projection import rebuild
from tvers_runtime.testing.pipeline import Pipeline
from tvers_runtime.testing.sample import SAMPLE_REGISTRY, sample_event


async def fill_stream(pipeline: Pipeline, events: int, per_stream: int = 100) -> None:
    """Append ``events`` sample events in batches and wait until the relay published them."""
    streams = events // per_stream
    for first in range(0, streams, 20):
        await asyncio.gather(
            *(
                pipeline.store.append(
                    f"rebuild-{s}",
                    NO_STREAM,
                    [sample_event(f"r{s % 500}", n) for n in range(1, per_stream + 1)],
                )
                for s in range(first, min(first + 20, streams))
            )
        )
    while await pipeline.published() < events:  # noqa: ASYNC110 - polling another process
        await asyncio.sleep(0.2)


async def rebuild_speed(pipeline: Pipeline) -> dict[str, float]:
    """Rebuild the sample projection from everything in its stream."""
    await pipeline.start_runner()
    await pipeline.stop("runner")  # the read model exists; the live runner is not competing
    report = await rebuild(
        pipeline.reporting_pool,
        pipeline.nats,
        pipeline.projection,
        registry=SAMPLE_REGISTRY,
        batch_size=2000,
    )
    return {"events": report.events, "events_per_second": report.events_per_second}
