"""Looking at, retrying and skipping a subscriber's dead letters (operator actions).

The consumer has moved past a dead-lettered message (it was terminated), so a retry takes the
event as it was stored and hands it to the subscriber's effect through the same inbox and version
guard as the runner (:func:`~.inbox.take_once`): an event taken before changes nothing. The row
goes in the same transaction as the effect; a retry that fails again keeps it. A skip deletes the
row: the operator has decided the event is not to be taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from tvers_contracts import REGISTRY, EventRegistry, RawEnvelope
from tvers_runtime.subscriber.inbox import Taken, take_once
from tvers_runtime.subscriber.spec import Subscriber


@dataclass(frozen=True)
class SubscriberDeadLetter:
    """A message a subscriber gave up on (its stored data is not part of it: it may hold more
    than an operator needs to see)."""

    subscriber: str
    sequence: int
    subject: str
    event_id: UUID | None
    attempts: int
    reason: str
    failed_at: datetime


class UnknownSubscriberDeadLetter(LookupError):
    """No dead letter of that subscriber at that stream sequence."""


async def subscriber_dead_letters(
    pool: asyncpg.Pool, subscriber: str | None = None
) -> list[SubscriberDeadLetter]:
    """The dead letters of one subscriber (or of all of them), oldest first."""
    rows = await pool.fetch(
        """
        SELECT subscriber, stream_sequence, subject, event_id, attempts, reason, failed_at
        FROM subscriber_dead_letters WHERE $1::text IS NULL OR subscriber = $1
        ORDER BY subscriber, stream_sequence
        """,
        subscriber,
    )
    return [SubscriberDeadLetter(*row) for row in rows]


async def retry_subscriber_dead_letter(
    pool: asyncpg.Pool,
    subscriber: Subscriber,
    sequence: int,
    *,
    registry: EventRegistry = REGISTRY,
) -> Taken:
    """Take the dead-lettered event again; what became of it. Raises what the decoding or the
    effect raises, and then the dead letter stays."""
    async with pool.acquire() as connection, connection.transaction():
        data: str | None = await connection.fetchval(
            """
            DELETE FROM subscriber_dead_letters WHERE subscriber = $1 AND stream_sequence = $2
            RETURNING data
            """,
            subscriber.durable,
            sequence,
        )
        if data is None:
            raise UnknownSubscriberDeadLetter(f"{subscriber.durable} #{sequence}: no dead letter")
        envelope = registry.decode_envelope(RawEnvelope.model_validate_json(data))
        return await take_once(
            connection,
            subscriber.durable,
            envelope,
            subscriber.effect,
            guard_versions=subscriber.guard_versions,
            version_key=subscriber.guarded_key(envelope),
        )


async def skip_subscriber_dead_letter(pool: asyncpg.Pool, subscriber: str, sequence: int) -> None:
    """Drop a dead letter for good: the event is not to be taken."""
    deleted = await pool.fetchval(
        """
        DELETE FROM subscriber_dead_letters WHERE subscriber = $1 AND stream_sequence = $2
        RETURNING true
        """,
        subscriber,
        sequence,
    )
    if not deleted:
        raise UnknownSubscriberDeadLetter(f"{subscriber} #{sequence}: no dead letter")
