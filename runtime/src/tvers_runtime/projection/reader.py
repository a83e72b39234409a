"""Reading a JetStream stream in order, fast, from any sequence.

An ephemeral pull consumer without acks is a cursor here: the reader's owner keeps the real
checkpoint (in PostgreSQL, with its read model) and tells the reader where to start. Messages come
in through a plain NATS subscription with a callback (nats-py's ``fetch`` awaits each message
separately and runs at half the speed). Every message's consumer sequence must follow the previous
one; a gap (a delivery lost on a reconnect), a deleted consumer or missing heartbeats make the
reader recreate the consumer right after the last message it handed out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import nats.errors
import structlog
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from tvers_runtime.aio import wait_for_event

log = structlog.get_logger(__name__)

_STATUS = "Status"
_HEARTBEAT = "100"
_REQUEST_ENDED = frozenset({"404", "408"})  # no messages / request expired: ask again


@dataclass(frozen=True, slots=True)
class StreamMessage:
    """One message of the stream, with where it stands."""

    sequence: int
    subject: str
    data: bytes
    headers: dict[str, str]
    pending: int  # messages after this one when it was delivered: the reader's lag


class OrderedStreamReader:
    """Hands out a stream's messages in sequence order, starting where it is told."""

    def __init__(
        self,
        client: NatsClient,
        stream: str,
        *,
        filter_subjects: Sequence[str] = (),
        batch: int = 1000,
        heartbeat: float = 2.0,
        request_expiry: float = 10.0,
    ) -> None:
        self._client = client
        self._stream = stream
        self._filters = list(filter_subjects)
        self._batch = batch
        self._heartbeat = heartbeat
        self._expiry = request_expiry
        self._buffer: deque[StreamMessage] = deque()
        self._arrived = asyncio.Event()
        self._request_done = asyncio.Event()
        self._subscription: Subscription | None = None
        self._consumer: str | None = None
        self._next_sequence = 1
        self._last_consumer_sequence = 0
        self._outstanding = 0
        self._last_heard = time.monotonic()
        self._broken: str | None = None

    @property
    def next_sequence(self) -> int:
        """The stream sequence the next handed-out message will have (at least)."""
        return self._next_sequence

    async def start_at(self, sequence: int) -> None:
        """Drop everything buffered and read from ``sequence`` on."""
        await self._close_consumer()
        self._next_sequence = max(sequence, 1)
        self._buffer.clear()
        self._broken = None
        self._last_consumer_sequence = 0
        self._outstanding = 0
        inbox = self._client.new_inbox()
        self._subscription = await self._client.subscribe(
            inbox, cb=self._on_message, pending_msgs_limit=-1, pending_bytes_limit=-1
        )
        self._consumer = f"tvers-reader-{inbox.rsplit('.', 1)[-1]}"
        config = ConsumerConfig(
            name=self._consumer,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=self._next_sequence,
            ack_policy=AckPolicy.NONE,
            inactive_threshold=max(30.0, self._expiry * 3),
            mem_storage=True,
            num_replicas=1,
            max_waiting=4,
        )
        if len(self._filters) == 1:
            config.filter_subject = self._filters[0]
        elif self._filters:
            config.filter_subjects = self._filters
        await self._client.jsm().add_consumer(self._stream, config)
        self._last_heard = time.monotonic()

    async def take(self, max_messages: int, timeout: float) -> list[StreamMessage]:
        """Up to ``max_messages`` in order, as soon as at least one is there (or [] on timeout)."""
        if self._subscription is None:
            await self.start_at(self._next_sequence)
        deadline = time.monotonic() + timeout
        while True:
            self._arrived.clear()  # before looking, so an arrival from now on wakes us
            if self._buffer:
                break
            self._check_health()
            await self._request_more()
            remaining = deadline - time.monotonic()
            if self._buffer or remaining <= 0:
                break
            await wait_for_event(self._arrived, min(remaining, self._heartbeat))
        if not self._buffer:
            return []
        taken: list[StreamMessage] = []
        while self._buffer and len(taken) < max_messages:
            taken.append(self._buffer.popleft())
        self._next_sequence = taken[-1].sequence + 1
        await self._request_more()
        return taken

    async def close(self) -> None:
        """Delete the consumer and stop listening."""
        await self._close_consumer()

    def _check_health(self) -> None:
        silent_for = time.monotonic() - self._last_heard
        if self._broken is None and self._outstanding and silent_for > 3 * self._heartbeat:
            self._broken = "no heartbeat from the server"
        if self._broken is not None:
            raise ReaderInterrupted(self._broken)

    async def _request_more(self) -> None:
        """Keep one pull request open while the buffer has room."""
        if self._outstanding > 0 or len(self._buffer) >= self._batch or self._consumer is None:
            return
        request = {
            "batch": self._batch,
            "expires": int(self._expiry * 1e9),
            "idle_heartbeat": int(self._heartbeat * 1e9),
        }
        assert self._subscription is not None
        try:
            await self._client.publish(
                f"$JS.API.CONSUMER.MSG.NEXT.{self._stream}.{self._consumer}",
                json.dumps(request).encode(),
                reply=self._subscription.subject,
            )
        except nats.errors.Error as error:
            raise ReaderInterrupted(f"pull request failed: {error!r}") from error
        self._outstanding = self._batch
        self._last_heard = time.monotonic()

    async def _on_message(self, message: Msg) -> None:
        self._last_heard = time.monotonic()
        headers = message.headers or {}
        status = headers.get(_STATUS)
        if status is not None:
            if status != _HEARTBEAT:
                self._outstanding = 0  # the pull request has ended
            if status not in _REQUEST_ENDED and status != _HEARTBEAT:
                # 409 (consumer deleted, leadership change ...), 503 (no such consumer: the
                # server reaped it while we were busy): start again from the checkpoint.
                description = headers.get("Description", "")
                self._broken = f"consumer interrupted: {status} {description}".strip()
            self._arrived.set()
            return
        stream_sequence, consumer_sequence, pending = _positions(message.reply)
        if consumer_sequence != self._last_consumer_sequence + 1:
            self._broken = (
                f"delivery gap: consumer sequence {consumer_sequence} after "
                f"{self._last_consumer_sequence}"
            )
            self._arrived.set()
            return
        self._last_consumer_sequence = consumer_sequence
        self._outstanding -= 1
        self._buffer.append(
            StreamMessage(stream_sequence, message.subject, message.data, headers, pending)
        )
        self._arrived.set()

    async def _close_consumer(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()
            self._subscription = None
        if self._consumer is not None:
            with contextlib.suppress(Exception):
                await self._client.jsm().delete_consumer(self._stream, self._consumer)
            self._consumer = None


def _positions(reply: str) -> tuple[int, int, int]:
    """Stream sequence, consumer sequence and pending count from a JetStream ack subject.

    ``$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>``, or with domain
    and account hash after ``ACK`` (12 tokens). nats-py's ``Msg.metadata`` parses the same, but
    also builds a timestamp object per message, which costs more than the rest of the reading.
    """
    tokens = reply.split(".")
    offset = 0 if len(tokens) == 9 else 2
    return int(tokens[5 + offset]), int(tokens[6 + offset]), int(tokens[8 + offset])


class ReaderInterrupted(Exception):
    """The reader lost its place; the owner restarts it from its checkpoint."""
