"""Further tries for events that failed to apply, each in its own short transaction.

The runner dead-letters an event whose apply failed in the batch's transaction and commits the
rest of the batch. This module then tries the event's stream again a few times, with growing
pauses between tries and no transaction open during a pause, within a time budget per batch, so
that a burst of failing events delays the next batch by at most the budget. A try replays the
stream's dead letters in order (:func:`~.dead_letters.retry_stream`): if the event applies now, it
and the events parked behind it leave the dead letters.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

import asyncpg
import structlog

from tvers_contracts import REGISTRY, EventRegistry
from tvers_runtime.db.errors import is_transient
from tvers_runtime.projection.dead_letters import UnknownDeadLetter, retry_stream
from tvers_runtime.projection.locks import DEFAULT_LIMITS, WriteLimits
from tvers_runtime.projection.projection import Projection

log = structlog.get_logger(__name__)


async def retry_failed_streams(
    pool: asyncpg.Pool,
    projection: Projection,
    source: str,
    streams: Iterable[str],
    *,
    registry: EventRegistry = REGISTRY,
    limits: WriteLimits = DEFAULT_LIMITS,
    attempts: int = 2,
    budget: float = 1.0,
    first_pause: float = 0.05,
) -> set[str]:
    """Try each stream's dead letters again up to ``attempts`` times within ``budget`` seconds;
    the streams still failing."""
    failing = set(streams)
    deadline = time.monotonic() + budget
    pause = first_pause
    for _ in range(attempts):
        remaining = deadline - time.monotonic()
        if not failing or remaining <= 0:
            break
        await asyncio.sleep(min(pause, remaining))  # no transaction is open here
        pause *= 2
        for stream in sorted(failing):
            if time.monotonic() > deadline:
                break
            try:
                report = await retry_stream(
                    pool, projection, source, stream, registry=registry, limits=limits
                )
            except UnknownDeadLetter:  # an operator retried or skipped it meanwhile
                failing.discard(stream)
                continue
            except Exception as error:
                if not is_transient(error):
                    raise
                continue
            if not report.dead_lettered:
                failing.discard(stream)
                log.info("projection_dead_letter_recovered", source=source, stream_id=stream)
    if failing:
        log.warning(
            "projection_dead_letters_kept",
            projection=projection.name,
            source=source,
            streams=len(failing),
        )
    return failing
