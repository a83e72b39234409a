"""The relay: the events table is the outbox, and this publishes it to JetStream in order.

One relay per service is active at a time (a PostgreSQL advisory lock elects it; others wait as
standbys). It tails the event store from its checkpoint, publishes each event with
``Nats-Msg-Id = event_id`` and ``Nats-Expected-Last-Sequence``, and moves its checkpoint (in
PostgreSQL) once JetStream has acknowledged the last message of a batch.

Order is kept by the expected-sequence header: every publish states the stream sequence it must
follow, so when one publish fails, every later one in flight is refused by the server rather than
stored out of order. After any failure the relay resynchronises from the stream itself: it reads
the stream's last message, finds that event in the store and continues right after it. A crash
between a publish and its checkpoint therefore republishes nothing, however long ago it was.

The stream holds the event log in order. When JetStream loses the stream (or its tail), the relay
finds it empty (or ending at an earlier event) and publishes the log again from there, so every
event comes back at the sequence it had, and projections can tell the stream they knew. A message
someone else published into the stream is passed over; a stream holding none of this log's events
at its end is left alone: the relay reports itself unhealthy and says why. An idle relay also
checks every few seconds that the stream still ends where it left it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import asyncpg
import nats.errors
import structlog
from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError

from tvers_contracts import REGISTRY, event_subject, stream_name
from tvers_runtime import metrics
from tvers_runtime.aio import stopping, wait_for_event
from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.pool import keeps_session_state
from tvers_runtime.db.types import Connection
from tvers_runtime.eventstore import (
    LOG_START,
    NOTIFY_CHANNEL,
    LogPosition,
    PostgresEventStore,
    WireEvent,
)
from tvers_runtime.relay.streams import StreamSettings, ensure_stream

MIGRATIONS = MigrationSource("relay", Path(__file__).parent / "migrations")
log = structlog.get_logger(__name__)

_NATS_TROUBLE = (nats.errors.Error, TimeoutError, OSError)
#: The first pause before reading again when a notification found nothing yet to read.
HORIZON_FIRST_PAUSE = 0.005
#: How far back the relay looks for its own last event past messages someone else published.
FOREIGN_LOOKBACK = 1000
#: How often an idle relay checks that the stream still ends where it left it.
STREAM_CHECK_INTERVAL = 5.0


#: Counting unpublished events stops at a million (it is a scan).
_BACKLOG = """
    SELECT count(*) FROM (
        SELECT 1 FROM events WHERE (tx_id, global_position) > ($1::text::xid8, $2)
        LIMIT 1000000
    ) AS unpublished
"""


async def backlog(connection: Connection, service: str) -> int:
    """How many committed events of ``service`` its relay has not yet published (JetStream has
    not acknowledged), capped at a million; read from the relay's checkpoint, so it
    works whether the relay runs or not."""
    row = await connection.fetchrow(
        "SELECT tx_id::text, global_position FROM relay_checkpoints WHERE relay = $1",
        f"relay:{service}",
    )
    tx_id, position = (row[0], row[1]) if row is not None else ("0", 0)
    count: int = await connection.fetchval(_BACKLOG, tx_id, position)
    return count


class StreamMismatch(Exception):
    """The stream holds something other than a prefix of this service's event log."""


@cache
def subject_of_event_type(event_type: str) -> str:
    """The subject of a registered event type."""
    return event_subject(REGISTRY.current(event_type))


class Relay:
    """Publishes one service's committed events to its JetStream stream; see the module doc."""

    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        nats_client: NatsClient,
        service: str,
        subject_of: Callable[[str], str] = subject_of_event_type,
        batch_size: int = 1000,
        max_in_flight: int = 512,
        ack_timeout: float = 10.0,
        poll_interval: float = 1.0,
        stream_settings: StreamSettings | None = None,
    ) -> None:
        self._pool = pool
        self._store = PostgresEventStore(pool)  # read side only: never started
        self._nats = nats_client
        self._js = nats_client.jetstream(publish_async_max_pending=max_in_flight)
        self._service = service
        self._stream = stream_name(service)
        self._name = f"relay:{service}"
        self._subject_of = subject_of
        self._subjects: dict[str, str] = {}
        self._batch_size = batch_size
        self._ack_timeout = ack_timeout
        self._poll_interval = poll_interval
        self._stream_settings = stream_settings or StreamSettings()
        self._checkpoint = LogPosition(0, 0)
        self._last_sequence = 0
        self._idle_checked = 0.0
        self.is_leader = False
        self.healthy = False

    async def run(self) -> None:
        """Run until cancelled; database failures are retried with a new connection."""
        while True:
            try:
                async with self._pool.acquire() as connection:
                    await self._lead(connection)
            except asyncio.CancelledError:
                raise
            except Exception:  # the connection broke or the database restarted: start over
                if stopping():
                    raise
                self.healthy = False
                log.exception("relay_restarting", stream=self._stream)
                await asyncio.sleep(1.0)

    async def _lead(self, connection: Connection) -> None:
        keeps_session_state(connection)  # the leader's lock and LISTEN
        while not await connection.fetchval(
            "SELECT pg_try_advisory_lock(hashtext($1))", self._name
        ):
            self.healthy = True  # a standby is healthy: another relay is publishing
            await asyncio.sleep(self._poll_interval)
        self.is_leader = True
        wake = asyncio.Event()

        def on_notify(*_: object) -> None:
            wake.set()

        await connection.add_listener(NOTIFY_CHANNEL, on_notify)
        try:
            self._checkpoint = await self._load_checkpoint(connection)
            await self._publish_forever(connection, wake)
        finally:
            self.is_leader = False
            with contextlib.suppress(Exception):
                await connection.remove_listener(NOTIFY_CHANNEL, on_notify)
                await connection.execute("SELECT pg_advisory_unlock(hashtext($1))", self._name)

    async def _publish_forever(self, connection: Connection, wake: asyncio.Event) -> None:
        synced = False
        backoff = 0.2
        chase = 0.0  # > 0 while looking again for events a notification announced
        while True:
            notified = wake.is_set()
            wake.clear()  # before reading, so a commit during the read still wakes us
            try:
                if not synced:
                    await ensure_stream(self._nats.jsm(), self._service, self._stream_settings)
                    await self._resync(connection)
                    synced = True
                events = await self._store.read_wire(self._checkpoint, limit=self._batch_size)
                if events:
                    synced = await self._publish(connection, events)
                    if not synced:
                        raise TimeoutError("publish round incomplete")
                    backoff, chase = 0.2, 0.0
                    self.healthy = True
                    continue
                self.healthy = True
                synced = await self._idle_checks(connection)
            except _NATS_TROUBLE as error:
                if stopping():
                    raise
                self.healthy = False
                synced = False
                metrics.RELAY_FAILURES.labels(self._stream).inc()
                log.warning("relay_publish_failed", stream=self._stream, error=repr(error))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            except StreamMismatch as error:
                self.healthy = False
                synced = False
                log.error("relay_stream_mismatch", stream=self._stream, reason=str(error))
                await asyncio.sleep(STREAM_CHECK_INTERVAL)
                continue
            # A notification with nothing to read: the commit sorts behind a transaction still
            # running somewhere on the server (the gap-safe horizon), usually for milliseconds.
            # Look again soon, then less and less often, rather than wait for the next poll.
            chase = HORIZON_FIRST_PAUSE if notified else chase * 2
            if chase >= self._poll_interval:
                chase = 0.0
            if chase:
                await asyncio.sleep(chase)
                continue
            await wait_for_event(wake, self._poll_interval)

    async def _publish(self, connection: Connection, events: Sequence[WireEvent]) -> bool:
        """Publish a batch; True once JetStream has stored all of it, in order.

        Only the batch's last message asks for an acknowledgement: every message states the
        sequence it must follow, so JetStream stores the last one at its place only if it stored
        every one before it there. Any failure (a message refused, a connection lost) shows as
        that last acknowledgement missing or refused, and the relay then resynchronises from
        what the stream holds. Acknowledging each message cost the relay more than publishing.
        """
        last = len(events) - 1
        try:
            for offset, event in enumerate(events):
                # Few headers on purpose: every consumer parses them for every message.
                headers = {
                    "Nats-Msg-Id": str(event.event_id),
                    "Nats-Expected-Last-Sequence": str(self._last_sequence + offset),
                }
                subject = self._subject(event.event_type)
                if offset < last:
                    await self._nats.publish(subject, event.data, headers=headers)
                else:
                    # A request of its own, not publish_async: nats-py never resolves the future
                    # of an asynchronous publish JetStream refuses (nats-io/nats.py#985), and a
                    # refusal must be heard at once.
                    ack = await self._js.publish(
                        subject, event.data, timeout=self._ack_timeout, headers=headers
                    )
        except _NATS_TROUBLE as error:
            log.warning("relay_batch_unconfirmed", stream=self._stream, error=repr(error))
            return False
        if ack.duplicate or ack.seq != self._last_sequence + len(events):
            log.warning(
                "relay_batch_out_of_place",
                stream=self._stream,
                expected=self._last_sequence + len(events),
                stored_at=ack.seq,
            )
            return False
        await self._save_checkpoint(connection, events[-1].log_position)
        self._last_sequence += len(events)
        metrics.RELAY_PUBLISHED.labels(self._stream).inc(len(events))
        return True

    def _subject(self, event_type: str) -> str:
        subject = self._subjects.get(event_type)
        if subject is None:
            subject = self._subjects[event_type] = self._subject_of(event_type)
        return subject

    async def _resync(self, connection: Connection) -> None:
        """Align with the stream: continue right after the last event of this log it holds (from
        the log's start when it holds none)."""
        info = await self._nats.jsm().stream_info(self._stream)
        last_sequence = info.state.last_seq
        position = LOG_START
        if last_sequence:
            position = await self._last_own_event(connection, last_sequence)
        if position != self._checkpoint:
            log.warning(
                "relay_resynchronised",
                stream=self._stream,
                checkpoint=tuple(self._checkpoint),
                stream_holds=tuple(position),
                messages=last_sequence,
                republishing=position < self._checkpoint,
            )
            await self._save_checkpoint(connection, position)
        self._last_sequence = last_sequence

    async def _last_own_event(self, connection: Connection, last_sequence: int) -> LogPosition:
        """The log position of the latest event of this log the stream holds, looking back from
        its last message past a few that are not (a copy someone else published)."""
        manager = self._nats.jsm()
        for sequence in range(last_sequence, max(0, last_sequence - FOREIGN_LOOKBACK), -1):
            try:
                message = await manager.get_msg(self._stream, sequence)
            except NotFoundError:
                continue
            event_id = (message.headers or {}).get("Nats-Msg-Id")
            row = await connection.fetchrow(
                "SELECT tx_id::text, global_position FROM events WHERE event_id::text = $1",
                event_id,
            )
            if row is not None:
                return LogPosition(int(row[0]), row[1])
        raise StreamMismatch(
            f"none of the last {FOREIGN_LOOKBACK} messages of {self._stream} is an event of this "
            "service: an operator must delete the stream, and the relay will publish it again"
        )

    async def _load_checkpoint(self, connection: Connection) -> LogPosition:
        row = await connection.fetchrow(
            """
            INSERT INTO relay_checkpoints (relay) VALUES ($1)
            ON CONFLICT (relay) DO UPDATE SET relay = excluded.relay
            RETURNING tx_id::text, global_position
            """,
            self._name,
        )
        assert row is not None
        return LogPosition(int(row[0]), row[1])

    async def _save_checkpoint(self, connection: Connection, position: LogPosition) -> None:
        await connection.execute(
            """
            UPDATE relay_checkpoints
            SET tx_id = $2::text::xid8, global_position = $3, updated_at = now()
            WHERE relay = $1
            """,
            self._name,
            str(position.tx_id),
            position.position,
        )
        self._checkpoint = position

    async def _idle_checks(self, connection: Connection) -> bool:
        """Every few seconds while idle: count unpublished events (capped, as it is a scan) and
        check the stream still ends where the relay left it. False when it does not."""
        now = time.monotonic()
        if now - self._idle_checked < STREAM_CHECK_INTERVAL:
            return True
        self._idle_checked = now
        unpublished = await connection.fetchval(
            _BACKLOG, str(self._checkpoint.tx_id), self._checkpoint.position
        )
        metrics.RELAY_BACKLOG.labels(self._stream).set(unpublished)
        info = await self._nats.jsm().stream_info(self._stream)
        if info.state.last_seq != self._last_sequence:
            log.warning(
                "relay_stream_changed",
                stream=self._stream,
                expected=self._last_sequence,
                found=info.state.last_seq,
            )
            return False
        return True
