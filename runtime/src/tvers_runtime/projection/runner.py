"""The projection runner: keeps a read model up to date from its streams.

On start it makes sure the live read model has this code's shape (see
:func:`~tvers_runtime.projection.projection.shape_of`): a missing one is created, an older one is
rebuilt blue/green (:mod:`.upgrade`). Then, for each source stream, one task reads the stream in
order (:mod:`.reader`) and applies batches in one short PostgreSQL transaction together with the
checkpoint, so a redelivery or a duplicate changes nothing. One instance per projection and
stream is active at a time (a leader lock); others wait as standbys.

Nothing waits inside a transaction that has written: a transient database error rolls the batch
back and it is tried again after a pause; an event that fails deterministically is dead-lettered
in the batch's transaction, and tried again afterwards, each try in its own short transaction,
within a time budget per batch (:mod:`.retries`).

Before following a source the runner checks that the stream still holds what the read model has
applied. When the stream ends before the checkpoint (JetStream lost its data and the relay is
republishing it), the source stops, says why, and waits until the stream has caught up again with
the very message the checkpoint names.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import asyncpg
import structlog
from nats.aio.client import Client as NatsClient

from tvers_contracts import REGISTRY, EventRegistry
from tvers_runtime.aio import Backoff, stopping
from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.pool import keeps_session_state
from tvers_runtime.db.types import Connection
from tvers_runtime.projection.batches import BatchWriter, ShapeChanged
from tvers_runtime.projection.checkpoints import read_checkpoint
from tvers_runtime.projection.decode import decode_messages
from tvers_runtime.projection.locks import (
    DEFAULT_LIMITS,
    WriteLimits,
    leader_lock,
    projection_lock,
)
from tvers_runtime.projection.projection import Projection, Source, live_schema, shape_of
from tvers_runtime.projection.reader import OrderedStreamReader
from tvers_runtime.projection.schema import ensure_read_model, search_path, shape_in
from tvers_runtime.projection.status import SourceState, Statuses
from tvers_runtime.projection.stream_check import StreamBehind, wait_for_stream
from tvers_runtime.projection.upgrade import bring_to_shape

MIGRATIONS = MigrationSource("projection", Path(__file__).parent / "migrations")
log = structlog.get_logger(__name__)
#: How often an idle runner checks that its stream has not lost what it applied.
STREAM_CHECK_INTERVAL = 5.0
#: How often a runner that stands aside for another release's read model looks again.
SHAPE_CHECK_INTERVAL = 2.0


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
        retry_budget: float = 1.0,
        limits: WriteLimits = DEFAULT_LIMITS,
    ) -> None:
        self._pool = pool
        self._nats = nats_client
        self.projection = projection
        self._registry = registry
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._retry_budget = retry_budget
        self._limits = limits
        self._schema = live_schema(projection)
        self._shape = shape_of(projection)
        self.statuses = Statuses(projection.name, [s.stream for s in projection.sources])
        self._writer = BatchWriter(
            pool=pool,
            projection=projection,
            schema=self._schema,
            shape=self._shape,
            registry=registry,
            limits=limits,
            statuses=self.statuses,
            max_attempts=max_attempts,
            retry_budget=retry_budget,
        )

    @property
    def healthy(self) -> bool:
        """Whether every source is followed, or being upgraded while the old tables serve;
        readiness reports it."""
        return self.statuses.healthy

    def attach(self, nats_client: NatsClient) -> None:
        """Give the runner its NATS connection (when it is made after the runner)."""
        self._nats = nats_client

    async def prepare(self) -> None:
        """Create the live read model unless it exists."""
        await ensure_read_model(
            self._pool, self.projection, self._schema, projection_lock(self.projection)
        )

    async def run(self) -> None:
        """Prepare the read model (retrying while the database is away), bring it to this code's
        shape, then follow every source."""
        if self._nats is None:
            raise RuntimeError("attach a NATS connection before running")
        backoff = Backoff(first=0.5)
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
                await backoff.sleep()
        await bring_to_shape(self._pool, self._nats, self.projection, self._registry, self.statuses)
        async with asyncio.TaskGroup() as group:
            for source in self.projection.sources:
                group.create_task(self._follow(source), name=f"{self._schema}:{source.stream}")

    async def _follow(self, source: Source) -> None:
        backoff = Backoff(first=0.5)
        while True:
            try:
                async with self._pool.acquire() as leader:
                    await self._wait_for_leadership(leader, source)
                    try:
                        await self._follow_as_leader(source)
                    finally:
                        # A broken connection has let go of its session lock already.
                        with contextlib.suppress(Exception):
                            await leader.execute(
                                "SELECT pg_advisory_unlock(hashtext($1))",
                                leader_lock(self.projection, source.stream),
                            )
            except asyncio.CancelledError:
                raise
            except ShapeChanged as error:
                await self._stand_aside(source, str(error))
            except Exception as error:  # reader lost, database gone, rebuild swapped: restart
                if stopping():
                    raise
                if not isinstance(error, StreamBehind):
                    self.statuses.set(source.stream, SourceState.RECOVERING, repr(error))
                log.warning(
                    "projection_restarting",
                    projection=self.projection.name,
                    source=source.stream,
                    error=repr(error),
                )
                await backoff.sleep()

    async def _wait_for_leadership(self, connection: Connection, source: Source) -> None:
        key = leader_lock(self.projection, source.stream)
        keeps_session_state(connection)
        # Polling on purpose: the lock is held by another process, which can signal nothing.
        while not await connection.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
            self.statuses.set(source.stream, SourceState.STANDBY)
            await asyncio.sleep(1.0)

    async def _follow_as_leader(self, source: Source) -> None:
        assert self._nats is not None
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.execute(
                "SELECT set_config('search_path', $1, true)", search_path(self._schema)
            )
            checkpoint = await read_checkpoint(connection, source.stream)
        await wait_for_stream(self._nats, source.stream, checkpoint, self.statuses)
        self._writer.written[source.stream] = checkpoint.sequence
        reader = OrderedStreamReader(
            self._nats, source.stream, filter_subjects=source.subjects, batch=self._batch_size
        )
        try:
            await reader.start_at(checkpoint.sequence + 1)
            self.statuses.set(source.stream, SourceState.FOLLOWING)
            checked = time.monotonic()
            while True:
                room = self._writer.room.get(source.stream, self._batch_size)
                messages = await reader.take(room, timeout=1.0)
                if messages:
                    decoded = decode_messages(messages, self.projection, self._registry)
                    await self._writer.write(source.stream, decoded, self._batch_size)
                elif time.monotonic() - checked > STREAM_CHECK_INTERVAL:
                    checked = time.monotonic()
                    await self._check_stream_still_holds(source)
                    await self._check_shape()
                self.statuses.set_lag(
                    source.stream,
                    messages[-1].pending if messages else 0,
                    applied=self._writer.written[source.stream],
                )
        finally:
            await reader.close()

    async def _check_stream_still_holds(self, source: Source) -> None:
        assert self._nats is not None
        info = await self._nats.jsm().stream_info(source.stream)
        written = self._writer.written[source.stream]
        if info.state.last_seq < written:
            raise StreamBehind(source.stream, written, info.state.last_seq)

    async def _stand_aside(self, source: Source, reason: str) -> None:
        """Another release swapped in its read model: write nothing, say so (unhealthy), and wait
        until the live read model has this code's shape again. Never rebuild from here: two
        releases of the same version would take turns rebuilding the model from each other."""
        self.statuses.set(
            source.stream,
            SourceState.STOPPED,
            f"{reason}: another release's read model is live; this process stands aside",
        )
        while True:
            await asyncio.sleep(SHAPE_CHECK_INTERVAL)
            async with self._pool.acquire() as connection:
                if await shape_in(connection, self._schema) == self._shape:
                    return

    async def _check_shape(self) -> None:
        """While idle: let go of the source if another release swapped its read model in."""
        async with self._pool.acquire() as connection:
            live = await shape_in(connection, self._schema)
        if live != self._shape:
            raise ShapeChanged(
                f"the live read model is of shape {live}, this runner's is {self._shape}"
            )
