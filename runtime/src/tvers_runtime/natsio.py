"""Connecting to NATS the way every tvers process does."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote, urlsplit

import nats
import structlog
from nats.aio.client import Client as NatsClient

from tvers_runtime.aio import stopping

log = structlog.get_logger(__name__)


def nats_servers(url: str) -> list[str]:
    """The servers of a ``TVERS_NATS_URL``: one URL, or several separated by commas (the members
    of a cluster, each with its credentials), in order, blanks and repeats left out."""
    servers: list[str] = []
    for part in url.split(","):
        server = part.strip()
        if server and server not in servers:
            servers.append(server)
    if not servers:
        raise ValueError("no NATS server URL given")
    return servers


def nats_credentials(servers: list[str]) -> tuple[list[str], dict[str, str]]:
    """The servers without the user and password in their URLs, and those of the first URL that
    has them, as connect options (``user``, ``password``).

    A cluster's servers tell a client of their peers (``connect_urls``), without credentials;
    nats-py sends a URL's own credentials only to that URL, so a reconnect to a peer it was told
    of would be refused. Given as options, they go to every server (every member has the same
    users). A URL with a token alone (no password) is kept as it is.
    """
    credentials: dict[str, str] = {}
    bare: list[str] = []
    for server in servers:
        parts = urlsplit(server if "://" in server else f"nats://{server}")
        if parts.username is None or parts.password is None:
            bare.append(server)
            continue
        if not credentials:
            credentials = {"user": unquote(parts.username), "password": unquote(parts.password)}
        bare.append(parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl())
    return bare, credentials


async def connect_nats(url: str, *, name: str) -> NatsClient:
    """Connect to the first of the servers in ``url`` (one or several, comma-separated) that
    answers, retrying until one does; once connected, reconnect forever, to any of them (and to
    the cluster members the servers tell of).

    Unlimited reconnects on purpose: once attempts run out, a pull subscriber spins and starves
    the event loop (see NATS-FASTSTREAM-NOTES). When its server dies, the client is on another
    member within about ``reconnect_time_wait``.
    """
    servers, credentials = nats_credentials(nats_servers(url))

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
                servers,
                user=credentials.get("user"),
                password=credentials.get("password"),
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
