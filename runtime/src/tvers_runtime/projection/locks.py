"""The advisory locks that keep a projection's writers apart.

- The *projection lock* (a transaction lock) is taken by every change to a live read model: each
  batch of the runner, a dead-letter retry, and a rebuild's final catch-up and swap.
- A *leader lock* (a session lock) per projection and source elects the one runner that follows
  the source; other instances wait as standbys.
- The *rebuild lock* (a session lock) lets one rebuild of a projection run at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from tvers_runtime.db.types import Connection
from tvers_runtime.projection.projection import Projection
from tvers_runtime.projection.schema import search_path


@dataclass(frozen=True)
class WriteLimits:
    """How long a read model's writing transaction may last, one statement in it, and one wait
    for a lock: a transaction that has written holds back every gap-safe reader on the server
    (the relays) while it lives, so it must stay short. Going over rolls the work back: a lock
    not had in time is tried again later; a batch that took too long is written again in smaller
    parts (see :mod:`.batches`)."""

    transaction_seconds: float = 0.5
    statement_timeout: str = "500ms"
    lock_timeout: str = "400ms"


DEFAULT_LIMITS = WriteLimits()


def projection_lock(projection: Projection) -> str:
    """Key of the transaction lock every change to a projection's read model takes."""
    return f"projection:{projection.name}"


def leader_lock(projection: Projection, stream: str) -> str:
    """Key of the session lock held by the runner that follows ``stream`` for ``projection``."""
    return f"projection-leader:{projection.name}:{stream}"


def rebuild_lock(projection: Projection) -> str:
    """Key of the session lock held while a rebuild of ``projection`` runs."""
    return f"projection-rebuild:{projection.name}"


async def begin_read_model_write(
    connection: Connection, projection: Projection, schema: str, limits: WriteLimits
) -> None:
    """In a transaction about to change a read model: take the projection's lock, point the
    search path at ``schema`` and set the limits, in one round trip."""
    await connection.execute(
        """
        SELECT pg_advisory_xact_lock(hashtext($1)),
               set_config('search_path', $2, true),
               set_config('statement_timeout', $3, true),
               set_config('lock_timeout', $4, true)
        """,
        projection_lock(projection),
        search_path(schema),
        limits.statement_timeout,
        limits.lock_timeout,
    )
