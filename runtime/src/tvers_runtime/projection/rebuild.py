"""Rebuilding a read model from sequence 1 into fresh tables, then swapping them in.

The live read model keeps serving while the rebuild fills a schema of its own, in transactions of
one batch each. One rebuild of a projection runs at a time (a session lock; a second one is
refused with :class:`RebuildInProgress`). At the end the rebuild reads what is left up to the
stream's end, takes the projection's lock (which pauses the live runner for a moment), applies it
and swaps the schemas by renaming them, in one short transaction: nothing slow (no NATS read, no
sleep) happens while that transaction holds a transaction id, and every write has the read
models' lock and statement timeouts (a transient failure is tried again, outside it). The old
tables are dropped afterwards, in a transaction of their own: waiting for their last readers (a
long report, a backup) then holds back nothing. Readers never see a half-built model, and a poison
message stops the rebuild (nothing is swapped) instead of being dead-lettered.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import asyncpg
import structlog
from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError

from tvers_contracts import REGISTRY, EventRegistry
from tvers_runtime.aio import Backoff
from tvers_runtime.db.errors import is_too_slow, is_transient
from tvers_runtime.db.pool import keeps_session_state
from tvers_runtime.db.types import Connection
from tvers_runtime.projection.apply import RebuildHalted, apply_messages
from tvers_runtime.projection.checkpoints import save_checkpoint
from tvers_runtime.projection.decode import Decoded, decode_messages
from tvers_runtime.projection.locks import (
    DEFAULT_LIMITS,
    WriteLimits,
    projection_lock,
    rebuild_lock,
)
from tvers_runtime.projection.projection import Projection, Source, live_schema, rebuild_schema
from tvers_runtime.projection.reader import OrderedStreamReader, StreamMessage
from tvers_runtime.projection.schema import create_read_model, quote, search_path

log = structlog.get_logger(__name__)
#: How long one try to drop a retired read model waits for its readers (see drop_retired).
DROP_LOCK_TIMEOUT = "100ms"


class RebuildInProgress(Exception):
    """Another rebuild of the same projection is running; this one did not start."""


@dataclass(frozen=True)
class RebuildReport:
    """How a rebuild went."""

    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        """Replay speed."""
        return self.events / self.seconds if self.seconds else 0.0


@contextlib.asynccontextmanager
async def _exclusive(pool: asyncpg.Pool, projection: Projection) -> AsyncIterator[None]:
    async with pool.acquire() as holder:
        key = rebuild_lock(projection)
        keeps_session_state(holder)
        if not await holder.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
            raise RebuildInProgress(f"a rebuild of {projection.name} is already running")
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # a broken connection has let go already
                await holder.execute("SELECT pg_advisory_unlock(hashtext($1))", key)


async def rebuild(
    pool: asyncpg.Pool,
    nats_client: NatsClient,
    projection: Projection,
    *,
    registry: EventRegistry = REGISTRY,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> RebuildReport:
    """Replay every source from sequence 1 into a fresh schema and swap it in; ``progress`` is
    told how many messages each batch read (a progress bar)."""
    started = time.perf_counter()
    target = rebuild_schema(projection)
    async with _exclusive(pool, projection):
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(f"DROP SCHEMA IF EXISTS {quote(target)} CASCADE")
            await create_read_model(connection, projection, target)
        replayed = 0
        readers: dict[str, OrderedStreamReader] = {}
        try:
            for source in projection.sources:
                reader = OrderedStreamReader(
                    nats_client, source.stream, filter_subjects=source.subjects, batch=batch_size
                )
                try:
                    await reader.start_at(1)
                except NotFoundError:  # a stream not created yet holds nothing to replay
                    continue
                readers[source.stream] = reader
                replayed += await _replay(
                    pool, projection, registry, source, readers, batch_size, progress=progress
                )
            present = [s for s in projection.sources if s.stream in readers]
            for source in present:  # what arrived while the other sources replayed
                replayed += await _replay(
                    pool, projection, registry, source, readers, batch_size, 0.2, progress
                )
            replayed += await _finish(pool, nats_client, projection, registry, readers, batch_size)
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
    timeout: float = 1.0,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Apply batches until the reader has caught up with the stream. Reading and decoding the
    next batch overlaps with writing the previous one; the writes stay one at a time, in order."""
    replayed = 0
    writing: asyncio.Task[None] | None = None
    try:
        while messages := await readers[source.stream].take(batch_size, timeout=timeout):
            decoded = decode_messages(messages, projection, registry)
            if writing is not None:
                await writing
            writing = asyncio.create_task(_write(pool, projection, source, decoded))
            replayed += len(messages)
            if progress is not None:
                progress(len(messages))
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
    decoded: list[Decoded],
) -> None:
    """A batch in one transaction; a transient failure rolls back and tries again later, and a
    batch that takes longer than the write limits is written again in halves (one event that
    alone is too slow halts the rebuild)."""
    parts = [decoded]
    while parts:
        part = parts.pop(0)
        try:
            await _write_part(pool, projection, source, part)
        except Exception as error:
            if not is_too_slow(error):
                raise
            if len(part) == 1:
                raise RebuildHalted(
                    source.stream, part[0].message.sequence, "applying it alone took too long"
                ) from error
            parts[:0] = [part[: len(part) // 2], part[len(part) // 2 :]]


async def _write_part(
    pool: asyncpg.Pool, projection: Projection, source: Source, part: list[Decoded]
) -> None:
    backoff = Backoff()
    while True:
        try:
            async with (
                asyncio.timeout(DEFAULT_LIMITS.transaction_seconds),
                pool.acquire() as connection,
                connection.transaction(),
            ):
                await _limit(connection, rebuild_schema(projection))
                await apply_messages(connection, projection, source.stream, part, strict=True)
                await save_checkpoint(connection, source.stream, part[-1].message)
        except Exception as error:
            if is_too_slow(error) or not is_transient(error):
                raise
            log.warning("rebuild_batch_retried", projection=projection.name, error=repr(error))
            await backoff.sleep()
        else:
            return


async def _finish(
    pool: asyncpg.Pool,
    nats_client: NatsClient,
    projection: Projection,
    registry: EventRegistry,
    readers: dict[str, OrderedStreamReader],
    batch_size: int,
) -> int:
    """Take the projection's lock (the live runner waits), read what arrived since the replay up
    to each stream's end as it is now, then apply it and swap. The reads come before the first
    write, so the transaction holds no transaction id while it waits on NATS. A transient failure
    (a lock timeout ...) rolls it back and it is tried again, with what was read kept; the old
    tables are dropped once the swap has committed."""
    # Sources whose stream did not exist when the rebuild began keep checkpoint 0: the live runner
    # reads them from their start after the swap.
    remaining: dict[str, list[StreamMessage]] = {stream: [] for stream in readers}
    backoff = Backoff()
    while True:
        try:
            async with pool.acquire() as connection, connection.transaction():
                await connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtext($1))", projection_lock(projection)
                )
                for stream, reader in readers.items():
                    info = await nats_client.jsm().stream_info(stream)
                    remaining[stream] += await _read_until(reader, info.state.last_seq, batch_size)
                await _limit(connection, rebuild_schema(projection))
                for stream, messages in remaining.items():
                    if messages:
                        decoded = decode_messages(messages, projection, registry)
                        await apply_messages(connection, projection, stream, decoded, strict=True)
                        await save_checkpoint(connection, stream, messages[-1])
                await _swap(connection, projection)
            break
        except Exception as error:
            if not is_transient(error):
                raise
            log.warning("rebuild_swap_retried", projection=projection.name, error=repr(error))
            await backoff.sleep()
    await drop_retired(pool, projection)
    return sum(len(messages) for messages in remaining.values())


async def _limit(connection: Connection, schema: str, limits: WriteLimits = DEFAULT_LIMITS) -> None:
    """Point the transaction at ``schema`` and bound its statements and lock waits."""
    await connection.execute(
        """
        SELECT set_config('search_path', $1, true),
               set_config('statement_timeout', $2, true),
               set_config('lock_timeout', $3, true)
        """,
        search_path(schema),
        limits.statement_timeout,
        limits.lock_timeout,
    )


async def _read_until(
    reader: OrderedStreamReader, until: int, batch_size: int
) -> list[StreamMessage]:
    """The reader's messages up to sequence ``until``."""
    taken: list[StreamMessage] = []
    while reader.next_sequence <= until:
        messages = await reader.take(batch_size, timeout=0.5)
        if not messages:
            break  # a filtered source: nothing more of ours up to the end
        taken += [m for m in messages if m.sequence <= until]
        if messages[-1].sequence >= until:
            break
    return taken


def _retired_prefix(projection: Projection) -> str:
    return f"{live_schema(projection)}__retired"


async def _swap(connection: Connection, projection: Projection) -> None:
    """Rename the live schema out of the way (under a name of its own) and the fresh one in: no
    table lock, so it waits for no reader."""
    live, fresh = live_schema(projection), rebuild_schema(projection)
    has_live = await connection.fetchval("SELECT true FROM pg_namespace WHERE nspname = $1", live)
    if has_live:
        retired = f"{_retired_prefix(projection)}_{time.time_ns() // 1_000_000:x}"
        await connection.execute(f"ALTER SCHEMA {quote(live)} RENAME TO {quote(retired)}")
    await connection.execute(f"ALTER SCHEMA {quote(fresh)} RENAME TO {quote(live)}")


async def drop_retired(
    pool: asyncpg.Pool, projection: Projection, *, patience: float = 30.0
) -> None:
    """Drop the schemas earlier swaps retired, each in a transaction of its own, and try again
    for up to ``patience`` seconds while something still reads them. One still read after that
    (a backup, say) is left for the next rebuild, and said so.

    A DROP takes its transaction id *before* it waits for its locks (PostgreSQL logs an access
    exclusive lock, for standbys), so each try waits only a moment (``DROP_LOCK_TIMEOUT``):
    waiting longer would hold back every relay on the server."""
    deadline = time.monotonic() + patience
    backoff = Backoff()
    async with pool.acquire() as connection:
        names = await connection.fetch(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)",
            _retired_prefix(projection),
        )
        for (name,) in names:
            while True:
                try:
                    async with connection.transaction():
                        await connection.execute(
                            "SELECT set_config('lock_timeout', $1, true)", DROP_LOCK_TIMEOUT
                        )
                        await connection.execute(f"DROP SCHEMA {quote(name)} CASCADE")
                    break
                except Exception as error:
                    if not is_transient(error):
                        raise
                    if time.monotonic() > deadline:
                        log.warning("retired_read_model_kept", schema=name, error=repr(error))
                        break
                    await backoff.sleep()
