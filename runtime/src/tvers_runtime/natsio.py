"""Connecting to NATS the way every tvers process does."""

from __future__ import annotations

import asyncio

import nats
import structlog
from nats.aio.client import Client as NatsClient

from tvers_runtime.aio import stopping

log = structlog.get_logger(__name__)


async def connect_nats(url: str, *, name: str) -> NatsClient:
    """Connect, retrying until a server answers; once connected, reconnect forever.

    Unlimited reconnects on purpose: once attempts run out, a pull subscriber spins and starves
    the event loop (see NATS-FASTSTREAM-NOTES).
    """

    async def on_error(error: Exception) -> None:
        log.warning("nats_error", error=str(error) or type(error).__name__)

    async def on_disconnected() -> None:
        log.warning("nats_disconnected")

    async def on_reconnected() -> None:
        log.info("nats_reconnected")

    delay = 0.1
    while True:
        try:
            client = await nats.connect(
                url,
                name=name,
                allow_reconnect=True,
                max_reconnect_attempts=-1,
                reconnect_time_wait=0.5,
                connect_timeout=2,
                error_cb=on_error,
                disconnected_cb=on_disconnected,
                reconnected_cb=on_reconnected,
            )
        except (OSError, TimeoutError, nats.errors.Error) as error:
            if stopping():
                raise
            log.warning("nats_connect_retry", error=str(error) or type(error).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
            continue
        if stopping():
            # nats-py waits for the server with asyncio.wait_for, which on Python 3.11 swallows a
            # cancellation that comes as the server answers: the caller was told to stop, and
            # must neither go on nor keep the connection.
            await client.close()
            raise asyncio.CancelledError
        return client
