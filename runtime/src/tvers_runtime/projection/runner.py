"""The projection runner: keeps a read model up to date from its streams.

For each source stream one task reads the stream in order (see :mod:`.reader`) and applies
batches in one PostgreSQL transaction together with the checkpoint (the stream sequence), so a
redelivery or a duplicate changes nothing. One instance per projection and stream is active at a
time (an advisory lock elects it; others wait as standbys). Every batch also takes the
projection's transaction lock, which a rebuild's swap and a dead-letter retry take too.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import structlog
from nats.aio.client import Client as NatsClient

from tvers_contracts import REGISTRY, EventRegistry
from tvers_runtime import metrics
from tvers_runtime.aio import stopping
from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.types import Connection
from tvers_runtime.projection.apply import apply_messages, decode_messages
from tvers_runtime.projection.projection import Projection, Source, live_schema
from tvers_runtime.projection.reader import OrderedStreamReader, StreamMessage
from tvers_runtime.projection.schema import ensure_read_model, use_schema

MIGRATIONS = MigrationSource("projection", Path(__file__).parent / "migrations")
log = structlog.get_logger(__name__)


def projection_lock(projection: Projection) -> str:
    """Key of the transaction lock every change to a projection's read model takes."""
    return f"projection:{projection.name}"


class CheckpointMoved(Exception):
    """The checkpoint is not where this runner left it (a rebuild was swapped in)."""


class ProjectionRunner:
    """Runs one projection over all its sources until cancelled."""

    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        nats_client: NatsClient | None,
        projection: Projection,
        registry: EventRegistry = REGISTRY,
        batch_size: int = 1000,
        max_attempts: int = 3,
    ) -> None:
        self._pool = pool
        self._nats = nats_client
        self.projection = projection
        self._registry = registry
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._schema = live_schema(projection)
        self._written: dict[str, int] = {}
        self.lag: dict[str, int] = {}
        self._following: dict[str, bool] = {}

    @property
    def following(self) -> bool:
        """Whether every source is being followed (false while one recovers from an error);
        readiness reports it."""
        return bool(self._following) and all(self._following.values())

    def attach(self, nats_client: NatsClient) -> None:
        """Give the runner its NATS connection (when it is made after the runner)."""
        self._nats = nats_client

    async def prepare(self) -> None:
        """Create the live read model unless it exists."""
        await ensure_read_model(
            self._pool, self.projection, self._schema, projection_lock(self.projection)
        )

    async def run(self) -> None:
        """Create the read model if needed (retrying while the database is away), then follow
        every source."""
        while True:
            try:
                await self.prepare()
                break
            except Exception as error:
                if stopping():
                    raise
                log.warning(
                    "projection_prepare_retry", projection=self.projection.name, error=repr(error)
                )
                await asyncio.sleep(1.0)
        async with asyncio.TaskGroup() as group:
            for source in self.projection.sources:
                group.create_task(self._follow(source), name=f"{self._schema}:{source.stream}")

    async def _follow(self, source: Source) -> None:
        if self._nats is None:
            raise RuntimeError("attach a NATS connection before running")
        while True:
            try:
                self._following[source.stream] = True
                async with self._pool.acquire() as leader:
                    await self._wait_for_leadership(leader, source)
                    try:
                        await self._follow_as_leader(source)
                    finally:
                        await leader.execute(
                            "SELECT pg_advisory_unlock(hashtext($1))", self._leader_key(source)
                        )
            except asyncio.CancelledError:
                raise
            except Exception as error:  # reader lost, database gone, rebuild swapped: restart
                if stopping():
                    raise
                self._following[source.stream] = False
                log.warning(
                    "projection_restarting",
                    projection=self.projection.name,
                    source=source.stream,
                    error=repr(error),
                )
                await asyncio.sleep(0.5)

    def _leader_key(self, source: Source) -> str:
        return f"projection-leader:{self.projection.name}:{source.stream}"

    async def _wait_for_leadership(self, connection: Connection, source: Source) -> None:
        key = self._leader_key(source)
        # Polling on purpose: the lock is held by another process, which can signal nothing.
        while not await connection.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):  # noqa: ASYNC110
            await asyncio.sleep(1.0)

    async def _follow_as_leader(self, source: Source) -> None:
        assert self._nats is not None
        reader = OrderedStreamReader(
            self._nats, source.stream, filter_subjects=source.subjects, batch=self._batch_size
        )
        try:
            checkpoint = await self._checkpoint(source)
            self._written[source.stream] = checkpoint
            await reader.start_at(checkpoint + 1)
            while True:
                messages = await reader.take(self._batch_size, timeout=1.0)
                if messages:
                    await self._apply(source, messages)
                self._set_lag(source, messages[-1].pending if messages else 0)
        finally:
            await reader.close()

    async def _checkpoint(self, source: Source) -> int:
        async with self._pool.acquire() as connection, connection.transaction():
            await use_schema(connection, self._schema)
            sequence: int | None = await connection.fetchval(
                "SELECT sequence FROM _checkpoints WHERE source = $1", source.stream
            )
        if sequence is None:
            raise RuntimeError(f"no checkpoint for {source.stream}; prepare() creates it")
        return sequence

    async def _apply(self, source: Source, messages: list[StreamMessage]) -> None:
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext($1))", projection_lock(self.projection)
            )
            await use_schema(connection, self._schema)
            checkpoint = await connection.fetchval(
                "SELECT sequence FROM _checkpoints WHERE source = $1", source.stream
            )
            if checkpoint != self._written[source.stream]:
                raise CheckpointMoved(f"{checkpoint} != {self._written[source.stream]}")
            fresh = [m for m in messages if m.sequence > checkpoint]
            report = await apply_messages(
                connection,
                self.projection,
                source.stream,
                decode_messages(fresh, self.projection, self._registry),
                max_attempts=self._max_attempts,
            )
            await connection.execute(
                "UPDATE _checkpoints SET sequence = $2, updated_at = now() WHERE source = $1",
                source.stream,
                messages[-1].sequence,
            )
            if report.dead_lettered or report.parked:
                dead = await connection.fetchval("SELECT count(*) FROM _dead_letters")
                metrics.DEAD_LETTERS.labels(self.projection.name).set(dead)
        self._written[source.stream] = messages[-1].sequence
        metrics.PROJECTION_APPLIED.labels(self.projection.name).inc(report.applied)

    def _set_lag(self, source: Source, lag: int) -> None:
        self.lag[source.stream] = lag
        metrics.PROJECTION_LAG.labels(self.projection.name, source.stream).set(lag)
