"""Exactly once in effect: the inbox and the version guard, in the effect's own transaction."""

from __future__ import annotations

import enum

from tvers_contracts import DomainEvent, Envelope
from tvers_runtime.db.types import Connection
from tvers_runtime.projection.locks import DEFAULT_LIMITS
from tvers_runtime.subscriber.spec import Effect

_INBOX = """
    INSERT INTO subscriber_inbox (subscriber, event_id, stream_id, stream_version)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (subscriber, event_id) DO NOTHING
    RETURNING true
"""
# The row lock taken here also makes two deliveries of one key (by default one source stream),
# handled at once (a pull batch is handled concurrently, and replicas share the consumer), apply
# one after the other. The table's stream_id column holds the key.
_NEWER = """
    INSERT INTO subscriber_versions (subscriber, stream_id, version) VALUES ($1, $2, $3)
    ON CONFLICT (subscriber, stream_id) DO UPDATE SET version = excluded.version
        WHERE subscriber_versions.version < excluded.version
    RETURNING true
"""
_DEAD_LETTER = """
    INSERT INTO subscriber_dead_letters
        (subscriber, stream_sequence, subject, event_id, attempts, reason, data)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (subscriber, stream_sequence) DO UPDATE
        SET attempts = excluded.attempts, reason = excluded.reason, failed_at = now()
"""


class Taken(enum.Enum):
    """What became of a delivered event."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # its event id is in the inbox already
    STALE = "stale"  # a later version of its source stream was applied before


async def take_once(
    connection: Connection,
    subscriber: str,
    envelope: Envelope[DomainEvent],
    effect: Effect,
    *,
    guard_versions: bool = True,
    version_key: str | None = None,
) -> Taken:
    """Record the event in the inbox, check its version against the newest applied of its key
    (``version_key``, by default its source stream; unless ``guard_versions`` is off), apply it:
    one short transaction."""
    async with connection.transaction():
        # Bounded waits: a transaction that has written must not wait long for anything (the
        # same limits as read models' writes; going over is retried later, with a delay).
        await connection.execute(
            "SELECT set_config('lock_timeout', $1, true),"
            " set_config('statement_timeout', $2, true)",
            DEFAULT_LIMITS.lock_timeout,
            DEFAULT_LIMITS.statement_timeout,
        )
        first = await connection.fetchval(
            _INBOX, subscriber, envelope.event_id, envelope.stream_id, envelope.stream_version
        )
        if not first:
            return Taken.DUPLICATE
        if guard_versions and not await connection.fetchval(
            _NEWER, subscriber, version_key or envelope.stream_id, envelope.stream_version
        ):
            return Taken.STALE
        await effect(connection, envelope)
        return Taken.APPLIED


async def dead_letter(
    connection: Connection,
    subscriber: str,
    *,
    stream_sequence: int,
    subject: str,
    event_id: object,
    attempts: int,
    reason: str,
    data: bytes,
) -> None:
    """Keep a message the subscriber gives up on, with why."""
    await connection.execute(
        _DEAD_LETTER,
        subscriber,
        stream_sequence,
        subject,
        event_id,
        attempts,
        reason[:2000],
        data.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
    )
