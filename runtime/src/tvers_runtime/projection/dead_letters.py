"""Looking at, retrying and skipping a projection's dead letters (operator actions).

A retry replays a stream's dead-lettered and parked messages in order, through the same code as
the runner: what applies now is applied, and the first that still fails is dead-lettered again
with the rest parked behind it. A skip records that the poison message is to be passed over (a
rebuild honours that too), then retries the messages parked behind it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from tvers_contracts import REGISTRY, EventRegistry
from tvers_runtime import metrics
from tvers_runtime.projection.apply import ApplyReport, apply_messages
from tvers_runtime.projection.decode import decode_messages
from tvers_runtime.projection.locks import DEFAULT_LIMITS, WriteLimits, begin_read_model_write
from tvers_runtime.projection.projection import Projection, live_schema
from tvers_runtime.projection.reader import StreamMessage
from tvers_runtime.projection.schema import use_schema


@dataclass(frozen=True)
class DeadLetter:
    """A message a projection could not apply, or one parked behind it."""

    source: str
    sequence: int
    stream_id: str | None
    event_type: str | None
    reason: str
    parked_behind: int | None
    failed_at: datetime


class UnknownDeadLetter(LookupError):
    """No dead letter at that source and sequence."""


async def dead_letters(pool: asyncpg.Pool, projection: Projection) -> list[DeadLetter]:
    """Every dead letter of the live read model, oldest first."""
    async with pool.acquire() as connection, connection.transaction():
        await use_schema(connection, live_schema(projection))
        rows = await connection.fetch(
            """
            SELECT source, sequence, stream_id, event_type, reason, parked_behind, failed_at
            FROM _dead_letters ORDER BY source, sequence
            """
        )
    return [DeadLetter(*row) for row in rows]


async def retry_stream(
    pool: asyncpg.Pool,
    projection: Projection,
    source: str,
    stream_id: str | None,
    *,
    registry: EventRegistry = REGISTRY,
    only_sequence: int | None = None,
    limits: WriteLimits = DEFAULT_LIMITS,
) -> ApplyReport:
    """Replay the dead letters of one stream (or one message without a stream) in order, in one
    short transaction."""
    async with pool.acquire() as connection, connection.transaction():
        await begin_read_model_write(connection, projection, live_schema(projection), limits)
        rows = await connection.fetch(
            """
            DELETE FROM _dead_letters
            WHERE source = $1 AND stream_id IS NOT DISTINCT FROM $2
              AND ($3::bigint IS NULL OR sequence = $3)
            RETURNING sequence, subject, headers::text, data
            """,
            source,
            stream_id,
            only_sequence,
        )
        if not rows:
            raise UnknownDeadLetter(f"{source}: nothing dead-lettered for stream {stream_id!r}")
        messages = [
            StreamMessage(row[0], row[1], row[3], json.loads(row[2]), 0)
            for row in sorted(rows, key=lambda r: int(r[0]))
        ]
        decoded = decode_messages(messages, projection, registry)
        report = await apply_messages(connection, projection, source, decoded)
        remaining = await connection.fetchval("SELECT count(*) FROM _dead_letters")
    metrics.DEAD_LETTERS.labels(projection.name).set(remaining)
    return report


async def skip_dead_letter(
    pool: asyncpg.Pool,
    projection: Projection,
    source: str,
    sequence: int,
    *,
    registry: EventRegistry = REGISTRY,
) -> ApplyReport:
    """Pass over one dead-lettered message for good, and retry what was parked behind it."""
    async with pool.acquire() as connection, connection.transaction():
        await use_schema(connection, live_schema(projection))
        row = await connection.fetchrow(
            "SELECT stream_id, event_id FROM _dead_letters WHERE source = $1 AND sequence = $2",
            source,
            sequence,
        )
        if row is None:
            raise UnknownDeadLetter(f"{source} #{sequence} is not dead-lettered")
        await connection.execute(
            """
            INSERT INTO public.projection_skips (projection, source, sequence, event_id)
            VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
            """,
            projection.name,
            source,
            sequence,
            row[1],
        )
    stream_id: str | None = row[0]
    return await retry_stream(
        pool,
        projection,
        source,
        stream_id,
        registry=registry,
        only_sequence=None if stream_id is not None else sequence,
    )
