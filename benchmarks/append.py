"""Append throughput of the tvers event store: single-event commands from 32 concurrent clients
(group commit), and 500-event batches."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from uuid import UUID, uuid4

from benchmarks.stats import percentile
from tvers_runtime.db.pool import create_pool
from tvers_runtime.eventstore import NO_STREAM, NewEvent, PostgresEventStore
from tvers_runtime.testing.pipeline import service_pool

PAYLOAD = '{"door_id": "alesund-sentrum-hovuddor", "branch_id": "alesund-sentrum", "n": 1}'
Client = Callable[[PostgresEventStore, int, list[float]], Awaitable[int]]
Hook = Callable[[], Awaitable[None]]


def event(correlation_id: UUID | None = None) -> NewEvent:
    """A small event like a door presentation (a batch shares its command's correlation id)."""
    return NewEvent("EntryGranted", 1, PAYLOAD, "1508", correlation_id or uuid4())


async def measure_store(
    url: str,
    clients: int,
    writers: int,
    client: Client,
    *,
    before_start: Hook | None = None,
    store_class: type[PostgresEventStore] = PostgresEventStore,
) -> dict[str, float]:
    """Run ``clients`` concurrent clients on a fresh store; each returns its events appended
    and records each append's latency. ``before_start`` runs once the store is ready, before
    the clock starts."""
    await (await service_pool(url)).close()  # migrated
    pool = await create_pool(url, application_name="bench", max_size=8)
    store = store_class(pool, writers=writers)
    await store.start()
    if before_start is not None:
        await before_start()
    latencies: list[float] = []
    started = time.perf_counter()
    appended = await asyncio.gather(*(client(store, n, latencies) for n in range(clients)))
    elapsed = time.perf_counter() - started
    await store.close()
    await pool.close()
    return {
        "events_per_second": sum(appended) / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def single_event_client(per_client: int) -> Client:
    """A client appending one event per command to its own streams, one command at a time."""

    async def client(store: PostgresEventStore, number: int, latencies: list[float]) -> int:
        versions = [NO_STREAM] * 50
        for i in range(per_client):
            stream = i % 50
            started = time.perf_counter()
            result = await store.append(f"c{number}-{stream}", versions[stream], [event()])
            latencies.append(time.perf_counter() - started)
            versions[stream] = result.stream_version
        return per_client

    return client


async def single_event_appends(
    url: str, clients: int, per_client: int, before_start: Hook | None = None
) -> dict[str, float]:
    """Each client appends one event per command to its own streams, one command at a time."""
    return await measure_store(
        url, clients, 3, single_event_client(per_client), before_start=before_start
    )


async def batched_appends(
    url: str, batches: int, batch_size: int, clients: int
) -> dict[str, float]:
    """Clients append batches of ``batch_size`` events to fresh streams."""

    async def client(store: PostgresEventStore, number: int, latencies: list[float]) -> int:
        for i in range(batches // clients):
            correlation = uuid4()
            events = [event(correlation) for _ in range(batch_size)]
            started = time.perf_counter()
            await store.append(f"batch-{number}-{i}", NO_STREAM, events)
            latencies.append(time.perf_counter() - started)
        return (batches // clients) * batch_size

    return await measure_store(url, clients, 2, client)
