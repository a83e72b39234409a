"""Old idempotency keys are forgotten, so the table does not grow for ever.

A client repeats a request within minutes (a door panel that timed out, a phone that lost its
connection), so a key is kept for ``idempotency_key_days`` (30 by default) and then forgotten.
A repeat after that is still no double: its events' ids derive from the key, the store refuses
them as already stored, and the first outcome is answered. What is lost after the period is only
the refusal (409) of the same key sent with *another* request.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import structlog

from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.idempotency.keys import PostgresIdempotencyKeys

log = structlog.get_logger(__name__)

#: How often the old keys are looked for.
INTERVAL_SECONDS = 3600.0


async def forget_old_keys_forever(
    keys: PostgresIdempotencyKeys,
    *,
    days: int,
    interval: float = INTERVAL_SECONDS,
    clock: Clock = system_clock,
) -> None:
    """Every ``interval`` seconds, forget the keys first used more than ``days`` days ago.
    A failure (the database away) is logged and tried again at the next round."""
    while True:
        try:
            forgotten = await keys.forget_older_than(clock() - timedelta(days=days))
            if forgotten:
                log.info("idempotency_keys_forgotten", keys=forgotten, older_than_days=days)
        except asyncio.CancelledError:
            raise
        except Exception:  # the database restarting; the next round tries again
            log.warning("idempotency_keys_not_forgotten", exc_info=True)
        await asyncio.sleep(interval)
