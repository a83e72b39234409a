"""A whole pipeline for integration tests and benchmarks: a service's event store and relay,
NATS, and the sample projection in a separate reporting database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import asyncpg
from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError

from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_runtime.eventstore import MIGRATIONS as EVENTSTORE_MIGRATIONS
from tvers_runtime.eventstore import PostgresEventStore
from tvers_runtime.natsio import connect_nats
from tvers_runtime.projection import MIGRATIONS as PROJECTION_MIGRATIONS
from tvers_runtime.projection import ProjectionRunner
from tvers_runtime.relay import MIGRATIONS as RELAY_MIGRATIONS
from tvers_runtime.relay import Relay
from tvers_runtime.testing.sample import (
    SAMPLE_REGISTRY,
    SAMPLE_SERVICE,
    SAMPLE_STREAM,
    SampleProjection,
    sample_subject,
)


async def service_pool(url: str) -> asyncpg.Pool:
    pool = await create_pool(url, application_name="tests", max_size=20)
    async with pool.acquire() as connection:
        await apply_migrations(connection, [EVENTSTORE_MIGRATIONS, RELAY_MIGRATIONS])
    return pool


async def reporting_pool(url: str) -> asyncpg.Pool:
    pool = await create_pool(url, application_name="tests-reporting", max_size=10)
    async with pool.acquire() as connection:
        await apply_migrations(connection, [PROJECTION_MIGRATIONS])
    return pool


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    """Wait until ``check()`` holds; fail the test if it never does."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still not true after {timeout}s: {check.__name__}")
        await asyncio.sleep(0.05)


@dataclass
class Pipeline:
    """A service's store and relay, NATS, and a projection in a reporting database."""

    store: PostgresEventStore
    service_url: str
    service_pool: asyncpg.Pool
    reporting_url: str
    reporting_pool: asyncpg.Pool
    nats: NatsClient
    projection: SampleProjection
    tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)

    def start_relay(self, **options: object) -> None:
        relay = Relay(
            pool=self.service_pool,
            nats_client=self.nats,
            service=SAMPLE_SERVICE,
            subject_of=sample_subject,
            **options,  # type: ignore[arg-type]
        )
        self.tasks["relay"] = asyncio.create_task(relay.run())

    async def start_runner(self, **options: object) -> ProjectionRunner:
        options.setdefault("registry", SAMPLE_REGISTRY)
        runner = ProjectionRunner(
            pool=self.reporting_pool,
            nats_client=self.nats,
            projection=self.projection,
            **options,  # type: ignore[arg-type]
        )
        await runner.prepare()
        self.tasks["runner"] = asyncio.create_task(runner.run())
        return runner

    async def stop(self, name: str) -> None:
        task = self.tasks.pop(name)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def published(self) -> int:
        """How many messages the sample stream holds (0 before the relay created it)."""
        try:
            info = await self.nats.jsm().stream_info(SAMPLE_STREAM)
        except NotFoundError:
            return 0
        return int(info.state.messages)

    async def applied(self) -> list[asyncpg.Record]:
        return await self.reporting_pool.fetch(
            "SELECT event_id, thing, n FROM rm_sample_tally.applied"
        )

    async def tally(self) -> dict[str, int]:
        rows = await self.reporting_pool.fetch("SELECT thing, events FROM rm_sample_tally.tally")
        return {row[0]: row[1] for row in rows}

    async def applied_count(self) -> int:
        """Events the projection applied so far (0 before its read model exists)."""
        try:
            count: int = await self.reporting_pool.fetchval(
                "SELECT count(*) FROM rm_sample_tally.applied"
            )
        except asyncpg.exceptions.UndefinedTableError:
            return 0
        return count

    async def wait_until_applied(self, count: int, timeout: float = 30.0) -> None:
        """Wait until the projection applied at least ``count`` events."""

        async def all_applied() -> bool:
            return await self.applied_count() >= count

        await eventually(all_applied, timeout)


async def open_pipeline(service_url: str, reporting_url: str, nats_url: str) -> Pipeline:
    """Migrate both databases, start the event store and connect to NATS."""
    service = await service_pool(service_url)
    reporting = await reporting_pool(reporting_url)
    store = PostgresEventStore(service)
    await store.start()
    client = await connect_nats(nats_url, name="tests")
    return Pipeline(
        store, service_url, service, reporting_url, reporting, client, SampleProjection()
    )


async def close_pipeline(pipe: Pipeline) -> None:
    """Stop whatever runs and close every connection."""
    for name in list(pipe.tasks):
        await pipe.stop(name)
    await pipe.store.close()
    await pipe.nats.close()
    await pipe.service_pool.close()
    await pipe.reporting_pool.close()
