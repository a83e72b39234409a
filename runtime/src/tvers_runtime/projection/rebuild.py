"""Rebuilding a read model from sequence 1 into fresh tables, then swapping them in.

The live read model keeps serving (and keeps being updated) while the rebuild fills a schema of
its own, in transactions of one batch each. At the end the rebuild takes the projection's lock,
which pauses the live runner for a moment, catches up with whatever arrived meanwhile, and swaps
the schemas by renaming them, in one transaction. Readers never see a half-built model, and a
poison message stops the rebuild (nothing is swapped) instead of being dead-lettered.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import asyncpg
import structlog
from nats.aio.client import Client as NatsClient

from tvers_contracts import REGISTRY, EventRegistry
from tvers_runtime.db.types import Connection
from tvers_runtime.projection.apply import DecodedBatch, apply_messages, decode_messages
from tvers_runtime.projection.projection import Projection, Source, live_schema, rebuild_schema
from tvers_runtime.projection.reader import OrderedStreamReader
from tvers_runtime.projection.runner import projection_lock
from tvers_runtime.projection.schema import create_read_model, quote, use_schema

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RebuildReport:
    """How a rebuild went."""

    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        """Replay speed."""
        return self.events / self.seconds if self.seconds else 0.0


async def rebuild(
    pool: asyncpg.Pool,
    nats_client: NatsClient,
    projection: Projection,
    *,
    registry: EventRegistry = REGISTRY,
    batch_size: int = 2000,
) -> RebuildReport:
    """Replay every source from sequence 1 into a fresh schema and swap it in."""
    started = time.perf_counter()
    target = rebuild_schema(projection)
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute(f"DROP SCHEMA IF EXISTS {quote(target)} CASCADE")
        await create_read_model(connection, projection, target)
    replayed = 0
    readers = {
        source.stream: OrderedStreamReader(
            nats_client, source.stream, filter_subjects=source.subjects, batch=batch_size
        )
        for source in projection.sources
    }
    try:
        for source in projection.sources:
            await readers[source.stream].start_at(1)
            replayed += await _replay(pool, projection, registry, source, readers, batch_size)
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext($1))", projection_lock(projection)
            )
            for source in projection.sources:
                info = await nats_client.jsm().stream_info(source.stream)
                replayed += await _catch_up(
                    connection,
                    projection,
                    registry,
                    source,
                    readers[source.stream],
                    until=info.state.last_seq,
                    batch_size=batch_size,
                )
            await _swap(connection, projection)
    except BaseException:
        async with pool.acquire() as connection:
            await connection.execute(f"DROP SCHEMA IF EXISTS {quote(target)} CASCADE")
        raise
    finally:
        for reader in readers.values():
            await reader.close()
    report = RebuildReport(replayed, time.perf_counter() - started)
    log.info(
        "projection_rebuilt",
        projection=projection.name,
        events=report.events,
        events_per_second=round(report.events_per_second),
    )
    return report


async def _replay(
    pool: asyncpg.Pool,
    projection: Projection,
    registry: EventRegistry,
    source: Source,
    readers: dict[str, OrderedStreamReader],
    batch_size: int,
) -> int:
    """Apply batches until the reader has caught up with the stream. Reading and decoding the
    next batch overlaps with writing the previous one; the writes stay one at a time, in order."""
    replayed = 0
    writing: asyncio.Task[None] | None = None
    try:
        while messages := await readers[source.stream].take(batch_size, timeout=1.0):
            decoded = decode_messages(messages, projection, registry)
            if writing is not None:
                await writing
            writing = asyncio.create_task(
                _write(pool, projection, source, decoded, messages[-1].sequence)
            )
            replayed += len(messages)
            if messages[-1].pending == 0:
                break
        if writing is not None:
            await writing
    finally:
        if writing is not None and not writing.done():
            writing.cancel()
    return replayed


async def _write(
    pool: asyncpg.Pool,
    projection: Projection,
    source: Source,
    decoded: DecodedBatch,
    sequence: int,
) -> None:
    async with pool.acquire() as connection, connection.transaction():
        await use_schema(connection, rebuild_schema(projection))
        await apply_messages(connection, projection, source.stream, decoded, strict=True)
        await _save_checkpoint(connection, source, sequence)


async def _catch_up(
    connection: Connection,
    projection: Projection,
    registry: EventRegistry,
    source: Source,
    reader: OrderedStreamReader,
    *,
    until: int,
    batch_size: int,
) -> int:
    """Under the projection's lock (the live runner waits): apply what arrived since the replay,
    up to the stream's last sequence as it was when the lock was taken."""
    await use_schema(connection, rebuild_schema(projection))
    caught_up = 0
    while reader.next_sequence <= until:
        messages = await reader.take(batch_size, timeout=0.5)
        if not messages:
            break  # a filtered source: nothing more of ours up to the end
        messages = [m for m in messages if m.sequence <= until]
        if not messages:
            break
        decoded = decode_messages(messages, projection, registry)
        await apply_messages(connection, projection, source.stream, decoded, strict=True)
        await _save_checkpoint(connection, source, messages[-1].sequence)
        caught_up += len(messages)
    return caught_up


async def _save_checkpoint(connection: Connection, source: Source, sequence: int) -> None:
    await connection.execute(
        "UPDATE _checkpoints SET sequence = $2, updated_at = now() WHERE source = $1",
        source.stream,
        sequence,
    )


async def _swap(connection: Connection, projection: Projection) -> None:
    live, fresh = live_schema(projection), rebuild_schema(projection)
    retired = f"{live}__retired"
    await connection.execute(f"DROP SCHEMA IF EXISTS {quote(retired)} CASCADE")
    has_live = await connection.fetchval("SELECT true FROM pg_namespace WHERE nspname = $1", live)
    if has_live:
        await connection.execute(f"ALTER SCHEMA {quote(live)} RENAME TO {quote(retired)}")
    await connection.execute(f"ALTER SCHEMA {quote(fresh)} RENAME TO {quote(live)}")
    if has_live:
        await connection.execute(f"DROP SCHEMA {quote(retired)} CASCADE")
