"""The event store on PostgreSQL (asyncpg), with group commit.

Appends from many concurrent callers are queued and written by a few writer tasks: each takes
whatever is pending as soon as it is free and stores it in one call of ``tvers_append`` (one round
trip, one commit). A single-event append therefore costs a share of a commit rather than a whole
one, and a caller never waits for a timer. Each request keeps its own outcome.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import asyncpg
import structlog

from tvers_runtime import metrics
from tvers_runtime.db.errors import is_transient
from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.types import Connection
from tvers_runtime.eventstore.errors import DuplicateEventId, EventStoreClosed, WrongExpectedVersion
from tvers_runtime.eventstore.model import (
    AppendResult,
    LogPosition,
    NewEvent,
    StoredEvent,
    WireEvent,
)
from tvers_runtime.eventstore.validation import validate_append

MIGRATIONS = MigrationSource("eventstore", Path(__file__).parent / "migrations")
NOTIFY_CHANNEL = "tvers_events_appended"

log = structlog.get_logger(__name__)

# The transaction id is selected as text (asyncpg has no xid8 codec) under another name: were it
# called tx_id, ORDER BY tx_id would sort by that text, and "1000" sorts before "999".
_COLUMNS = """
    tx_id::text AS tx_id_text, global_position, event_id, event_type, schema_version, tenant,
    stream_id, stream_version, occurred_at, recorded_at, correlation_id, causation_id,
    payload::text
"""
_READ_STREAM = f"""
    SELECT {_COLUMNS} FROM events
    WHERE stream_id = $1 AND stream_version > $2
    ORDER BY stream_version
"""  # noqa: S608 - a constant column list
_READ_STREAMS = f"""
    SELECT {_COLUMNS} FROM events
    JOIN unnest($1::text[], $2::bigint[]) AS wanted(wanted_stream, after_version)
      ON events.stream_id = wanted.wanted_stream AND events.stream_version > wanted.after_version
    ORDER BY events.stream_id, events.stream_version
"""  # noqa: S608 - a constant column list
_FIND_EVENT = f"SELECT {_COLUMNS} FROM events WHERE event_id = $1"  # noqa: S608 - constant
# One statement, hence one snapshot: only events of transactions older than every transaction
# still running are returned, so nothing that commits later can sort before what was returned.
_READ_ALL = f"""
    SELECT {_COLUMNS} FROM events
    WHERE (tx_id, global_position) > ($1::text::xid8, $2)
      AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY events.tx_id, events.global_position
    LIMIT $3
"""  # noqa: S608 - a constant column list
# The relay's read: the message body is built by PostgreSQL (on its own core), in the
# envelope's field order, with the stored payload as it is.
_READ_WIRE = """
    SELECT tx_id::text AS tx_id_text, global_position, event_id, event_type,
           json_build_object(
               'event_id', event_id, 'event_type', event_type,
               'schema_version', schema_version, 'tenant', tenant, 'stream_id', stream_id,
               'stream_version', stream_version, 'occurred_at', occurred_at,
               'recorded_at', recorded_at, 'correlation_id', correlation_id,
               'causation_id', causation_id, 'payload', payload
           )::text
    FROM events
    WHERE (tx_id, global_position) > ($1::text::xid8, $2)
      AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY events.tx_id, events.global_position
    LIMIT $3
"""
_PLAN = "SELECT plan, base FROM tvers_plan_append($1, $2, $3)"
_ONE_BY_ONE = (
    "SELECT request, outcome, stream_version "
    "FROM tvers_append_one_by_one($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
)
#: What the events table's trigger raises when appended events do not fit their stream.
OUT_OF_PLACE = "tvers: events out of place"
_NOT_IN_PLACE = (asyncpg.exceptions.UniqueViolationError, asyncpg.exceptions.RaiseError)
#: The columns a writer fills; the rest (position, transaction id, record time) are defaults.
_COLUMNS_IN = (
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
)
#: How often a batch is written again after transient failures before its callers hear of it.
TRANSIENT_TRIES = 5
UNKNOWN_OUTCOME = (
    "the event store closed before this append's outcome was known; repeating it with the same "
    "event ids is safe"
)


def _answer(requests: Sequence[_Request], error: BaseException) -> None:
    """Fail every request still waiting for its outcome."""
    for request in requests:
        if not request.future.done():
            request.future.set_exception(error)


async def _copy(connection: Connection, appends: list[tuple[_Request, int]]) -> None:
    """Write each request's events after its base version, by COPY (one statement)."""
    records = [
        (
            request.stream_id,
            base + offset,
            e.event_id,
            e.event_type,
            e.schema_version,
            e.tenant,
            e.occurred_at,
            e.correlation_id,
            e.causation_id,
            e.payload_json,
        )
        for request, base in appends
        for offset, e in enumerate(request.events, start=1)
    ]
    if records:
        await connection.copy_records_to_table("events", records=records, columns=_COLUMNS_IN)


def stored_event(row: asyncpg.Record) -> StoredEvent:
    """Build a stored event from a row selected with the store's column list."""
    return StoredEvent(
        log_position=LogPosition(int(row[0]), row[1]),
        event_id=row[2],
        event_type=row[3],
        schema_version=row[4],
        tenant=row[5],
        stream_id=row[6],
        stream_version=row[7],
        occurred_at=row[8],
        recorded_at=row[9],
        correlation_id=row[10],
        causation_id=row[11],
        payload_json=row[12],
    )


@dataclass(eq=False)
class _Request:
    stream_id: str
    expected_version: int | None
    events: Sequence[NewEvent]
    future: asyncio.Future[AppendResult]
    attempts: int = 0  # "retry" outcomes: sent again to keep stream order in the log
    failed_tries: int = 0  # transient failures of the batches it was in


class PostgresEventStore:
    """Event store in one PostgreSQL database; see the module docstring for group commit."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        writers: int = 2,
        max_batch_events: int = 500,
        retry_attempts: int = 100,
    ) -> None:
        self._pool = pool
        self._writer_count = writers
        self._max_batch_events = max_batch_events
        self._retry_attempts = retry_attempts
        self._pending: deque[_Request] = deque()
        self._wakeup = asyncio.Event()
        self._writers: list[asyncio.Task[None]] = []
        self._in_flight = 0
        self._writing: set[_Request] = set()  # taken by a writer, outcome not yet known
        self._closing = False
        self._drained = asyncio.Event()
        self._drained.set()

    async def start(self) -> None:
        """Start the writer tasks. Appends before this wait until it is called."""
        if not self._writers:
            self._writers = [
                asyncio.create_task(self._write_loop(), name=f"eventstore-writer-{i}")
                for i in range(self._writer_count)
            ]

    async def close(self, timeout: float = 10.0) -> None:
        """Refuse new appends, finish what is queued and being written (for at most ``timeout``
        seconds), then stop the writers. An append whose outcome is still unknown then fails
        with :class:`EventStoreClosed` (repeating it with the same event ids is safe). Closing
        a store that never started, or closing it again, is fine."""
        self._closing = True
        if self._writers:
            try:
                await asyncio.wait_for(self._drained.wait(), timeout)
            except TimeoutError:
                log.error("event_store_drain_timed_out", waiting=len(self._pending))
        for task in self._writers:
            task.cancel()
        if self._writers:
            # A writer stuck in the database may not stop at once; it is not waited for long.
            _, stuck = await asyncio.wait(self._writers, timeout=min(timeout, 1.0))
            if stuck:
                log.error("event_store_writers_stuck", writers=len(stuck))
        self._writers = []
        unanswered = [*self._pending, *self._writing]
        self._pending.clear()
        _answer(unanswered, EventStoreClosed(UNKNOWN_OUTCOME))

    async def append(
        self, stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
    ) -> AppendResult:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.append`."""
        if self._closing:
            raise EventStoreClosed("the event store is closing; the append was not taken")
        # Refused here, alone: in the database it would fail the whole group commit.
        validate_append(stream_id, expected_version, events)
        request = _Request(
            stream_id, expected_version, events, asyncio.get_running_loop().create_future()
        )
        self._pending.append(request)
        self._drained.clear()
        self._wakeup.set()
        return await request.future

    async def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[StoredEvent]:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.read_stream`."""
        rows = await self._pool.fetch(_READ_STREAM, stream_id, after_version)
        return [stored_event(row) for row in rows]

    async def read_streams(self, after: Mapping[str, int]) -> dict[str, list[StoredEvent]]:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.read_streams`."""
        found: dict[str, list[StoredEvent]] = {stream_id: [] for stream_id in after}
        rows = await self._pool.fetch(_READ_STREAMS, list(after), list(after.values()))
        for row in rows:
            event = stored_event(row)
            found[event.stream_id].append(event)
        return found

    async def find_event(self, event_id: UUID) -> StoredEvent | None:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.find_event`."""
        row = await self._pool.fetchrow(_FIND_EVENT, event_id)
        return stored_event(row) if row is not None else None

    async def read_all(self, after: LogPosition, *, limit: int = 1000) -> list[StoredEvent]:
        """See :meth:`tvers_runtime.eventstore.store.EventStore.read_all`."""
        rows = await self._pool.fetch(_READ_ALL, str(after.tx_id), after.position, limit)
        return [stored_event(row) for row in rows]

    async def read_wire(self, after: LogPosition, *, limit: int = 1000) -> list[WireEvent]:
        """Like :meth:`read_all`, but each event as the JSON message the relay publishes."""
        rows = await self._pool.fetch(_READ_WIRE, str(after.tx_id), after.position, limit)
        return [
            WireEvent(LogPosition(int(row[0]), row[1]), row[2], row[3], row[4].encode())
            for row in rows
        ]

    async def _write_loop(self) -> None:
        while True:
            if not self._pending:
                if not self._in_flight:
                    self._drained.set()
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            batch = self._take_batch()
            if not batch:  # every caller in the queue had given up
                continue
            self._in_flight += 1
            self._writing.update(batch)
            try:
                outcomes = await self._write(batch)
            except asyncio.CancelledError:
                _answer(batch, EventStoreClosed(UNKNOWN_OUTCOME))
                raise
            except Exception as error:
                failed_tries = max(request.failed_tries for request in batch) + 1
                if is_transient(error) and failed_tries < TRANSIENT_TRIES:
                    # Nothing of the batch was stored (its one transaction rolled back): queue
                    # it again after a pause; no transaction is open here.
                    log.warning("append_batch_retried", error=repr(error), requests=len(batch))
                    for request in batch:
                        request.failed_tries = failed_tries
                    self._pending.extendleft(reversed(batch))
                    await asyncio.sleep(0.05 * 2**failed_tries)
                    continue
                _answer(batch, error)  # every caller hears why
                continue
            finally:
                self._in_flight -= 1
                self._writing.difference_update(batch)
            self._settle(batch, outcomes)

    def _take_batch(self) -> list[_Request]:
        batch: list[_Request] = []
        events = 0
        while self._pending and (
            not batch or events + len(self._pending[0].events) <= self._max_batch_events
        ):
            request = self._pending.popleft()
            if request.future.done():  # the caller gave up before it was written
                continue
            batch.append(request)
            events += len(request.events)
        # Writers take row locks in stream order, so two writers never deadlock on each other.
        batch.sort(key=lambda r: r.stream_id)
        return batch

    async def _write(self, batch: list[_Request]) -> list[tuple[str, int]]:
        """One transaction for the batch. When every request names the version it expects, the
        events' places are known and one COPY writes them, checked by the events table's trigger
        (``0004_checked_copy.sql``). Otherwise one statement plans the requests first
        (``0003_set_based_append.sql``). Either way, when the events do not fit where they were
        put (a place taken meanwhile, a version the stream has not reached, a repeat), the batch
        is done request by request in a transaction of its own, which tells each outcome."""
        async with self._pool.acquire() as connection:
            try:
                if all(request.expected_version is not None for request in batch):
                    await _copy(connection, [(r, r.expected_version or 0) for r in batch])
                    return [("appended", (r.expected_version or 0) + len(r.events)) for r in batch]
                async with connection.transaction():
                    return await self._write_planned(connection, batch)
            except (
                asyncpg.exceptions.UniqueViolationError,
                asyncpg.exceptions.RaiseError,
            ) as error:
                if isinstance(error, asyncpg.exceptions.RaiseError) and OUT_OF_PLACE not in str(
                    error
                ):
                    raise
                return await self._write_one_by_one(connection, batch)

    async def _write_planned(
        self, connection: Connection, batch: list[_Request]
    ) -> list[tuple[str, int]]:
        plans = await connection.fetch(
            _PLAN,
            [request.stream_id for request in batch],
            [request.expected_version for request in batch],
            [len(request.events) for request in batch],
        )
        outcomes: list[tuple[str, int]] = []
        appends: list[tuple[_Request, int]] = []
        checks: list[int] = []
        for index, (request, (plan, base)) in enumerate(zip(batch, plans, strict=True)):
            if plan == "append":
                appends.append((request, base))
                outcomes.append(("appended", base + len(request.events)))
            else:
                if plan == "check":
                    checks.append(index)
                outcomes.append((plan, base))
        await _copy(connection, appends)
        if checks:
            told = await self._write_one_by_one(connection, [batch[i] for i in checks])
            for index, outcome in zip(checks, told, strict=True):
                outcomes[index] = outcome
        return outcomes

    async def _write_one_by_one(
        self, connection: Connection, batch: list[_Request]
    ) -> list[tuple[str, int]]:
        events = [event for request in batch for event in request.events]
        rows = await connection.fetch(
            _ONE_BY_ONE,
            [request.stream_id for request in batch],
            [request.expected_version for request in batch],
            [len(request.events) for request in batch],
            [event.event_id for event in events],
            [event.event_type for event in events],
            [event.schema_version for event in events],
            [event.tenant for event in events],
            [event.occurred_at for event in events],
            [event.correlation_id for event in events],
            [event.causation_id for event in events],
            [event.payload_json for event in events],
        )
        if len(rows) != len(batch):
            raise RuntimeError("tvers_append_one_by_one answered unlike the request count")
        return [(row["outcome"], row["stream_version"]) for row in rows]

    def _settle(self, batch: list[_Request], outcomes: list[tuple[str, int]]) -> None:
        appended = 0
        for request, (outcome, version) in zip(batch, outcomes, strict=True):
            lost_race = outcome == "wrong_version" and request.expected_version is None
            if outcome == "retry" or lost_race:
                request.attempts += 1
                if request.attempts < self._retry_attempts:
                    # Another writer got to the end of the stream first, or appending in this
                    # transaction would put the events before a later one's in the log.
                    self._pending.append(request)
                    self._wakeup.set()
                    continue
            if request.future.done():
                continue
            if outcome == "appended":
                appended += len(request.events)
                request.future.set_result(AppendResult(request.stream_id, version))
            elif outcome == "duplicate":
                request.future.set_result(AppendResult(request.stream_id, version, True))
            elif outcome == "duplicate_event_id":
                request.future.set_exception(
                    DuplicateEventId(request.stream_id, [e.event_id for e in request.events])
                )
            else:
                request.future.set_exception(
                    WrongExpectedVersion(request.stream_id, request.expected_version, version)
                )
        metrics.EVENTS_APPENDED.inc(appended)
        metrics.APPEND_BATCH_SIZE.observe(len(batch))
