"""Running a service's subscribers with FastStream, on their own NATS connection.

One pull subscriber per declared :class:`Subscriber`, bound to its durable consumer on the source
service's stream (``declare=False``: only the owner declares a stream). Acks are manual and on
purpose:

- the event's effect and its inbox row commit together, then the message is acked; a lost ack
  means a redelivery, which the inbox turns into a no-op;
- a message that is not an event of the contracts (bad JSON, unknown type, invalid payload), or
  whose upcaster raises, is written to the dead letters at once and terminated: no retry can fix
  it;
- any other failure (the database away, a lock timeout, a newer schema than this reader knows)
  is nacked with a growing delay, so nothing waits inside a transaction, and after
  ``max_attempts`` deliveries the message goes to the dead letters and is terminated.

The connection reconnects forever (``max_reconnect_attempts=-1``: when attempts run out, a pull
subscriber spins and starves the event loop). If the durable disappears (the stream was lost and
made again), the runner notices, sets everything up again and carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence

import asyncpg
import structlog
from faststream.middlewares import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, NatsUserPassword, PullSub
from nats.js.errors import NotFoundError
from nats.js.manager import JetStreamManager
from pydantic import ValidationError

from tvers_contracts import ContractError, EventRegistry, RawEnvelope, UnsupportedSchemaVersion
from tvers_runtime.aio import stopping
from tvers_runtime.db.errors import is_transient
from tvers_runtime.logging import correlation
from tvers_runtime.natsio import nats_credentials, nats_servers
from tvers_runtime.subscriber.durable import ensure_durable
from tvers_runtime.subscriber.inbox import dead_letter, take_once
from tvers_runtime.subscriber.spec import Subscriber

log = structlog.get_logger(__name__)
#: Database connections the subscribers of one process use at once.
CONNECTIONS = 2

#: How often the runner checks that its durables still exist.
WATCH_INTERVAL = 5.0


def retry_delay(delivery: int) -> float:
    """Seconds before delivery ``delivery + 1``: 0.5, 1, 2 ... up to 30."""
    return float(min(30.0, 0.5 * 2 ** max(0, delivery - 1)))


class SubscriberRunner:
    """Runs a service's subscribers until cancelled; see the module docstring."""

    def __init__(
        self,
        *,
        name: str,
        nats_url: str,
        pool: asyncpg.Pool,
        registry: EventRegistry,
        subscribers: Sequence[Subscriber],
    ) -> None:
        self._name = name
        self._url = nats_url
        self._pool = pool
        self._registry = registry
        self.subscribers = list(subscribers)
        self.healthy = False
        # FastStream handles a pulled batch concurrently: a few database connections at a time.
        self._slots = asyncio.Semaphore(CONNECTIONS)
        durables = [s.durable for s in self.subscribers]
        if len(set(durables)) != len(durables):
            raise ValueError(f"two subscribers share a durable name: {durables}")

    async def run(self) -> None:
        """Connect, make sure of the durables, consume; after a failure, start again."""
        delay = 0.5
        while True:
            broker = self._broker()
            try:
                client = await broker.connect()
                manager = client.jsm()
                for subscriber in self.subscribers:
                    await ensure_durable(manager, subscriber)
                await broker.start()
                self._stop_if_asked()  # a cancellation the library caught while starting
                self.healthy = True
                delay = 0.5
                log.info("subscribers_started", durables=[s.durable for s in self.subscribers])
                await self._watch(client.jsm())
            except Exception as error:
                if stopping():  # a cancellation that a library turned into its own error
                    raise asyncio.CancelledError from error
                log.warning(
                    "subscribers_restarting",
                    error=str(error) or type(error).__name__,
                    retry_in=delay,
                )
            finally:
                self.healthy = False
                with contextlib.suppress(Exception):
                    await asyncio.shield(broker.stop())
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _watch(self, manager: JetStreamManager) -> None:
        """Return (to start again) when a durable has gone; stop when the task is asked to."""
        while True:
            self._stop_if_asked()  # a cancellation a library swallowed
            await asyncio.sleep(WATCH_INTERVAL)
            for subscriber in self.subscribers:
                try:
                    await manager.consumer_info(subscriber.stream, subscriber.durable)
                except NotFoundError:
                    log.warning("durable_gone", durable=subscriber.durable)
                    return
                except Exception as error:  # NATS away for a moment: reconnecting
                    log.info("durable_unchecked", error=str(error) or type(error).__name__)

    @staticmethod
    def _stop_if_asked() -> None:
        if stopping():
            raise asyncio.CancelledError

    def _broker(self) -> NatsBroker:
        # FastStream refuses credentials both in the URLs and as ``security``.
        servers, credentials = nats_credentials(nats_servers(self._url))
        broker = NatsBroker(
            servers,
            security=(
                NatsUserPassword(credentials["user"], credentials["password"])
                if credentials
                else None
            ),
            name=f"tvers-{self._name}-subscribers",
            allow_reconnect=True,
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            connect_timeout=2,
            logger=structlog.get_logger("faststream"),
            log_level=logging.DEBUG,
        )
        for subscriber in self.subscribers:
            self._register(broker, subscriber)
        return broker

    def _register(self, broker: NatsBroker, subscriber: Subscriber) -> None:
        subjects = subscriber.subjects

        async def handle(message: NatsMessage) -> None:
            await self._handle(subscriber, message)

        broker.subscriber(
            subjects[0] if len(subjects) == 1 else f"{subscriber.source}.>",
            stream=JStream(subscriber.stream, declare=False),
            durable=subscriber.durable,
            config=subscriber.consumer_config(),
            pull_sub=PullSub(batch_size=subscriber.batch, timeout=5.0),
            ack_policy=AckPolicy.MANUAL,
            title=subscriber.durable,
        )(handle)

    async def _handle(self, subscriber: Subscriber, message: NatsMessage) -> None:
        raw = message.raw_message
        metadata = raw.metadata
        attempt = metadata.num_delivered or 1
        sequence = metadata.sequence.stream if metadata.sequence else 0
        try:
            envelope = self._registry.decode_envelope(RawEnvelope.model_validate_json(raw.data))
        except UnsupportedSchemaVersion as error:
            await self._retry_or_give_up(subscriber, message, attempt, sequence, error)
            return
        except (ValidationError, ContractError) as error:
            await self._give_up(subscriber, message, attempt, sequence, f"not an event: {error}")
            return
        except Exception as error:  # an upcaster that raises: it will raise every time
            reason = f"cannot decode: {type(error).__name__}: {error}"
            await self._give_up(subscriber, message, attempt, sequence, reason)
            return
        with correlation(envelope.correlation_id):
            try:
                async with self._slots, self._pool.acquire() as connection:
                    taken = await take_once(
                        connection,
                        subscriber.durable,
                        envelope,
                        subscriber.effect,
                        guard_versions=subscriber.guard_versions,
                        version_key=subscriber.guarded_key(envelope),
                    )
            except Exception as error:
                await self._retry_or_give_up(subscriber, message, attempt, sequence, error)
                return
            await message.ack()
            log.debug(
                "event_taken",
                durable=subscriber.durable,
                event_id=str(envelope.event_id),
                outcome=taken.value,
            )

    async def _retry_or_give_up(
        self,
        subscriber: Subscriber,
        message: NatsMessage,
        attempt: int,
        sequence: int,
        error: Exception,
    ) -> None:
        reason = f"{type(error).__name__}: {error}"
        if attempt >= subscriber.max_attempts and not is_transient(error):
            await self._give_up(subscriber, message, attempt, sequence, reason)
            return
        delay = retry_delay(attempt)
        log.warning(
            "event_retried",
            durable=subscriber.durable,
            stream_sequence=sequence,
            attempt=attempt,
            retry_in=delay,
            error=reason,
        )
        await message.nack(delay=delay)

    async def _give_up(
        self,
        subscriber: Subscriber,
        message: NatsMessage,
        attempt: int,
        sequence: int,
        reason: str,
    ) -> None:
        raw = message.raw_message
        event_id = raw.headers.get("Nats-Msg-Id") if raw.headers else None
        try:
            async with self._slots, self._pool.acquire() as connection:
                await dead_letter(
                    connection,
                    subscriber.durable,
                    stream_sequence=sequence,
                    subject=raw.subject,
                    event_id=_uuid_or_none(event_id),
                    attempts=attempt,
                    reason=reason,
                    data=raw.data,
                )
        except Exception as error:  # cannot even keep it: try again later rather than lose it
            log.warning("dead_letter_not_stored", error=str(error), durable=subscriber.durable)
            await message.nack(delay=retry_delay(attempt))
            return
        log.error(
            "event_dead_lettered",
            durable=subscriber.durable,
            stream_sequence=sequence,
            attempts=attempt,
            reason=reason,
        )
        await message.reject()


def _uuid_or_none(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None
