"""Replaying a source of a live read model from a stream sequence (an operator action).

The messages from ``from_sequence`` up to the source's checkpoint are read again and applied
through the same code as the runner (:func:`~.apply.apply_messages`), batch by batch, each in a
short transaction under the projection's lock. Nothing is doubled: each read model keeps the last
applied version per source stream, and an event at or below it is a repeat and passed over; an
event an operator skipped stays skipped; a stream blocked by a dead letter stays blocked (its
messages stay parked). So a replay applies only what the read model's version records say it
lacks, and changes nothing in a read model that is whole.

The checkpoint is neither moved back nor forward: the replay stops at it, since an event of a
stream beyond it, applied before an earlier one of the same stream that the runner has yet to
apply, would make that one a repeat. The live runner goes on meanwhile; both take the lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
from nats.aio.client import Client as NatsClient

from tvers_contracts import REGISTRY, EventRegistry
from tvers_runtime.aio import Backoff
from tvers_runtime.db.errors import is_transient
from tvers_runtime.projection.apply import ApplyReport, apply_messages
from tvers_runtime.projection.checkpoints import read_checkpoint
from tvers_runtime.projection.decode import decode_messages
from tvers_runtime.projection.locks import DEFAULT_LIMITS, WriteLimits, begin_read_model_write
from tvers_runtime.projection.projection import Projection, Source, live_schema
from tvers_runtime.projection.reader import OrderedStreamReader, StreamMessage
from tvers_runtime.projection.schema import use_schema


@dataclass
class ReplayReport:
    """What a replay read and what became of it."""

    read: int = 0
    applied: int = 0
    dead_lettered: int = 0
    parked: int = 0
    #: The last sequence replayed: the checkpoint when the replay began.
    until: int = 0

    @property
    def passed_over(self) -> int:
        """Messages seen before (repeats), not handled here, or skipped by an operator."""
        return self.read - self.applied - self.dead_lettered - self.parked


async def checkpoint_of(pool: asyncpg.Pool, projection: Projection, stream: str) -> int:
    """The stream sequence the live read model has applied ``stream`` up to."""
    async with pool.acquire() as connection, connection.transaction():
        await use_schema(connection, live_schema(projection))
        return (await read_checkpoint(connection, stream)).sequence


async def replay(
    pool: asyncpg.Pool,
    nats_client: NatsClient,
    projection: Projection,
    source: Source,
    from_sequence: int,
    *,
    registry: EventRegistry = REGISTRY,
    batch_size: int = 100,
    limits: WriteLimits = DEFAULT_LIMITS,
    progress: Callable[[int], None] | None = None,
) -> ReplayReport:
    """Apply ``source``'s messages from ``from_sequence`` up to its checkpoint again; see the
    module docstring. ``progress`` is told how many messages each batch read."""
    report = ReplayReport(until=await checkpoint_of(pool, projection, source.stream))
    if from_sequence > report.until:
        return report
    reader = OrderedStreamReader(
        nats_client, source.stream, filter_subjects=source.subjects, batch=batch_size
    )
    try:
        await reader.start_at(from_sequence)
        while reader.next_sequence <= report.until:
            messages = [
                m for m in await reader.take(batch_size, timeout=1.0) if m.sequence <= report.until
            ]
            if not messages:
                break  # a filtered source: nothing more of ours up to the checkpoint
            applied = await _apply(pool, projection, source, messages, registry, limits)
            report.read += len(messages)
            report.applied += applied.applied
            report.dead_lettered += applied.dead_lettered
            report.parked += applied.parked
            if progress is not None:
                progress(len(messages))
            if messages[-1].sequence >= report.until:
                break
    finally:
        await reader.close()
    return report


async def _apply(
    pool: asyncpg.Pool,
    projection: Projection,
    source: Source,
    messages: list[StreamMessage],
    registry: EventRegistry,
    limits: WriteLimits,
) -> ApplyReport:
    """One batch in one short transaction under the projection's lock; a transient failure is
    rolled back and tried again after a pause, with no transaction open."""
    decoded = decode_messages(messages, projection, registry)
    backoff = Backoff()
    while True:
        try:
            async with (
                asyncio.timeout(limits.transaction_seconds),
                pool.acquire() as connection,
                connection.transaction(),
            ):
                await begin_read_model_write(
                    connection, projection, live_schema(projection), limits
                )
                return await apply_messages(connection, projection, source.stream, decoded)
        except Exception as error:
            if not is_transient(error):
                raise
            await backoff.sleep()
