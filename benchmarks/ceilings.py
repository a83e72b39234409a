"""Ceilings measured in the same run, so that figures become ratios that hold across machines
and days (absolute rates swing by 2x or more here).

- *Bare group commit*: the event store's own batching loop and clients, but each batch is one
  plain ``INSERT ... SELECT FROM unnest`` into a table of the events table's shape and indexes:
  no function, no version check, no notify.
- *COPY*: the same rows sent by ``COPY`` into that table, from the same clients.
- *Fetch and ack*: the same messages fetched from JetStream by a pull consumer and acknowledged
  (one ack per fetched batch, ``AckPolicy.ALL``), with no decoding and no writes.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import uuid4

import asyncpg
import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from benchmarks.append import event, measure_store, single_event_client
from tvers_runtime.db.pool import create_pool
from tvers_runtime.eventstore import PostgresEventStore
from tvers_runtime.eventstore.postgres import _Request
from tvers_runtime.testing.pipeline import service_pool

BARE_TABLE = """
    CREATE TABLE IF NOT EXISTS events_bare (LIKE events INCLUDING ALL)
"""
COLUMNS = [
    "stream_id",
    "stream_version",
    "event_id",
    "event_type",
    "schema_version",
    "tenant",
    "occurred_at",
    "correlation_id",
    "causation_id",
    "payload",
]
_BARE_INSERT = """
    INSERT INTO events_bare (stream_id, stream_version, event_id, event_type, schema_version,
                             tenant, occurred_at, correlation_id, causation_id, payload)
    SELECT s, v, i, t, sv, te, o, c, ca, p::json
    FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::int[], $6::text[],
                $7::timestamptz[], $8::uuid[], $9::uuid[], $10::text[])
         AS u(s, v, i, t, sv, te, o, c, ca, p)
"""


class BareGroupCommit(PostgresEventStore):
    """The event store's batching, writing each batch with one plain multi-row insert."""

    async def _write(self, batch: list[_Request]) -> list[tuple[str, int]]:
        columns: tuple[list[Any], ...] = ([], [], [], [], [], [], [], [], [], [])
        outcomes = []
        for request in batch:
            base = request.expected_version or 0
            for offset, new in enumerate(request.events, start=1):
                for column, value in zip(
                    columns,
                    (
                        request.stream_id,
                        base + offset,
                        new.event_id,
                        new.event_type,
                        new.schema_version,
                        new.tenant,
                        new.occurred_at,
                        new.correlation_id,
                        new.causation_id,
                        new.payload_json,
                    ),
                    strict=True,
                ):
                    column.append(value)
            outcomes.append(("appended", base + len(request.events)))
        async with self._pool.acquire() as connection:
            await connection.execute(_BARE_INSERT, *columns)
        return outcomes


async def bare_table(url: str) -> None:
    """Create the bare table beside the events table (the database is migrated)."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(BARE_TABLE)
    finally:
        await connection.close()


async def bare_single_event_appends(url: str, clients: int, per_client: int) -> dict[str, float]:
    """The single-event workload of :func:`benchmarks.append.single_event_appends`, written by
    a bare group commit."""
    return await measure_store(
        url,
        clients,
        3,
        single_event_client(per_client),
        store_class=BareGroupCommit,
        before_start=lambda: bare_table(url),
    )


async def copy_batched_appends(
    url: str, batches: int, batch_size: int, clients: int
) -> dict[str, float]:
    """The batched workload, each batch sent by COPY into the bare table from its client."""
    await (await service_pool(url)).close()  # migrated: the events table to copy the shape of
    await bare_table(url)
    pool = await create_pool(url, application_name="bench-copy", max_size=clients + 1)
    started = time.perf_counter()

    async def client(number: int) -> int:
        for i in range(batches // clients):
            correlation = uuid4()
            records = [
                (
                    f"copy-{number}-{i}",
                    n,
                    new.event_id,
                    new.event_type,
                    new.schema_version,
                    new.tenant,
                    new.occurred_at,
                    new.correlation_id,
                    new.causation_id,
                    new.payload_json,
                )
                for n, new in enumerate((event(correlation) for _ in range(batch_size)), 1)
            ]
            async with pool.acquire() as connection:
                await connection.copy_records_to_table(
                    "events_bare", records=records, columns=COLUMNS
                )
        return (batches // clients) * batch_size

    appended = await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    await pool.close()
    return {"events_per_second": sum(appended) / elapsed}


async def fetch_and_ack(nats_url: str, stream: str, batch: int = 2000) -> dict[str, float]:
    """Fetch every message of ``stream`` with a pull consumer and ack each fetched batch."""
    client = await nats.connect(nats_url)
    try:
        info = await client.jsm().stream_info(stream)
        total = info.state.messages
        durable = f"ceiling-{uuid4().hex[:8]}"
        subscription = await client.jetstream().pull_subscribe(
            "",
            durable=durable,
            stream=stream,
            config=ConsumerConfig(
                ack_policy=AckPolicy.ALL, deliver_policy=DeliverPolicy.ALL, max_ack_pending=-1
            ),
        )
        started = time.perf_counter()
        received = 0
        while received < total:
            messages = await subscription.fetch(batch, timeout=5)
            received += len(messages)
            await messages[-1].ack()
        elapsed = time.perf_counter() - started
        await client.jsm().delete_consumer(stream, durable)
    finally:
        await client.close()
    return {"events": received, "events_per_second": received / elapsed}
