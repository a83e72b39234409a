"""End to end: single-event appends from 32 clients, through the relay and JetStream, into a
projection running in a process of its own (as the reporting service would). Lag is measured per
event as the time from the append's commit to the projection's row, both on PostgreSQL's clock."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

from benchmarks.stats import percentile
from tvers_runtime.testing.pipeline import Pipeline
from tvers_runtime.testing.sample import sample_event

CLIENTS = 32
#: Events per command when the producers append batches (an import, a panel's offline backlog).
BATCH = 50


async def produce(
    pipeline: Pipeline, rate: float | None, seconds: float, producer: str = "single"
) -> int:
    """32 clients append events (one per command, or ``BATCH`` per command), paced to ``rate``
    events/s overall (or flat out)."""
    per_command = BATCH if producer == "batched" else 1
    started = time.perf_counter()
    produced = 0
    stop_at = started + seconds

    async def client(number: int) -> None:
        nonlocal produced
        version = 0
        while True:
            if rate is not None:
                due = started + produced / rate
                if due > time.perf_counter():
                    await asyncio.sleep(due - time.perf_counter())
            if time.perf_counter() >= stop_at:
                return
            produced += per_command
            events = [sample_event("e2e", version + n) for n in range(per_command)]
            await pipeline.store.append(f"e2e-{number}", version, events)
            version += per_command

    await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    return produced


def _worker(role: str, database_url: str, nats_url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tvers_runtime.testing.sample_worker",
            role,
            database_url,
            nats_url,
            "1000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def end_to_end(
    pipeline: Pipeline,
    nats_url: str,
    *,
    rate: float | None,
    seconds: float,
    producer: str = "single",
) -> dict[str, float]:
    """Produce for ``seconds``; wait until everything is projected; report rate and lag."""
    runner = _worker("runner", pipeline.reporting_url, nats_url)
    relay = _worker("relay", pipeline.service_url, nats_url)
    try:
        await asyncio.sleep(1.0)  # the runner has created its read model and is listening
        started = time.perf_counter()
        produced = await produce(pipeline, rate, seconds, producer)
        produced_in = time.perf_counter() - started
        await pipeline.wait_until_applied(produced, timeout=300)
        drained_in = time.perf_counter() - started
    finally:
        for worker in (runner, relay):
            worker.terminate()
            worker.wait()
    rows = await pipeline.reporting_pool.fetch(
        "SELECT extract(epoch FROM applied_at - recorded_at)::float8 FROM rm_sample_tally.applied"
    )
    lags = [row[0] for row in rows]
    return {
        "events": produced,
        "offered_per_second": produced / produced_in,
        "events_per_second": produced / drained_in,
        "lag_p50_ms": percentile(lags, 0.50) * 1000,
        "lag_p99_ms": percentile(lags, 0.99) * 1000,
    }
