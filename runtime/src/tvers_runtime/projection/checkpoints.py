"""A read model's checkpoint per source: the stream sequence it has applied up to, and the id of
the message at that sequence (to recognise the stream when it comes back after a loss).

Checkpoints only ever move forward. Saving one behind where it stands leaves it where it was and
is logged as an error: nothing in the runtime should try, and if something does, going back would
apply events twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from tvers_runtime.db.types import Connection
from tvers_runtime.projection.reader import StreamMessage

log = structlog.get_logger(__name__)
MESSAGE_ID = "Nats-Msg-Id"


@dataclass(frozen=True)
class Checkpoint:
    """Where a read model stands in one source stream."""

    sequence: int
    event_id: str | None = None


async def read_checkpoint(connection: Connection, source: str) -> Checkpoint:
    """The checkpoint of a source (search path on the read model's schema)."""
    row = await connection.fetchrow(
        "SELECT sequence, event_id FROM _checkpoints WHERE source = $1", source
    )
    if row is None:
        raise LookupError(f"no checkpoint for {source}; the read model's creation makes one")
    return Checkpoint(row[0], row[1])


async def save_checkpoint(connection: Connection, source: str, last: StreamMessage) -> None:
    """Move the checkpoint to ``last`` (search path on the read model's schema); never back."""
    saved: int | None = await connection.fetchval(
        """
        UPDATE _checkpoints
        SET sequence = greatest(sequence, $2),
            event_id = CASE WHEN $2 >= sequence THEN $3 ELSE event_id END,
            updated_at = now()
        WHERE source = $1
        RETURNING sequence
        """,
        source,
        last.sequence,
        last.headers.get(MESSAGE_ID),
    )
    if saved is None:
        raise LookupError(f"no checkpoint for {source}")
    if saved != last.sequence:
        log.error(
            "checkpoint_would_move_back", source=source, stands_at=saved, refused=last.sequence
        )
