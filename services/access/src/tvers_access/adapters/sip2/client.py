"""The library system over SIP2: the adapter of the :class:`LibrarySystem` port.

A small pool of logged-in connections serves the doors: twenty doors presenting at once do not
wait in line for one socket. A connection is opened (and logged in) when a call first needs it,
and dropped after any failure, so the next call opens a fresh one. A call is bounded by one
timeout, from waiting for a free connection to the reply; whatever keeps it from an answer
raises :class:`LibrarySystemUnreachable`. The card number and the PIN are never logged and never
put into an exception's message.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import structlog

from tvers_access.adapters.sip2.connection import ConnectionLost, LoginRefused, Sip2Connection
from tvers_access.adapters.sip2.messages import (
    Request,
    UnsendableValue,
    login_request,
    patron_status_request,
)
from tvers_access.adapters.sip2.replies import MalformedReply, Reply, patron_status
from tvers_access.domain.patron import LibrarySystemUnreachable, PatronStatus
from tvers_runtime.clock import Clock, system_clock

log = structlog.get_logger(__name__)

#: What keeps a call from its answer, other than the timeout.
_FAILURES = (OSError, ConnectionLost, LoginRefused, MalformedReply)


@dataclass(frozen=True)
class Sip2Account:
    """The door system's account at the library system: the 93's CN, CO and CP."""

    user: str
    password: str = field(repr=False)
    location: str | None = None


class Sip2LibrarySystem:
    """Asks the library system about a card and PIN with a Patron Status Request (23)."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        account: Sip2Account,
        institution_id: str,
        terminal_password: str = "",
        timeout: float = 3.0,
        pool_size: int = 4,
        clock: Clock = system_clock,
        timezone: str = "Europe/Oslo",
        encoding: str = "cp850",
    ) -> None:
        if pool_size < 1 or timeout <= 0:
            raise ValueError("the SIP2 pool needs at least one connection and a timeout above 0")
        self._host = host
        self._port = port
        self._login = login_request(
            account.user, account.password, account.location, encoding=encoding
        )
        self._institution_id = institution_id
        self._terminal_password = terminal_password
        self._timeout = timeout
        self._clock = clock
        self._zone = ZoneInfo(timezone)
        self._encoding = encoding
        # The configured fields are checked now: later, only the card and PIN can be unsendable.
        self._request("0", "")
        # A semaphore lets callers in first come, first served (a queue of connections would let
        # a caller that just gave one back take it again ahead of those waiting). The idle
        # connections are taken last in, first out: a quiet door system keeps one of them warm.
        self._admission = asyncio.Semaphore(pool_size)
        self._idle: list[Sip2Connection] = []
        self._connections: set[Sip2Connection] = set()
        self._closed = False

    async def patron_status(self, card_number: str, pin: str) -> PatronStatus:
        """The library system's answer for a card and PIN, or
        :class:`LibrarySystemUnreachable`."""
        if self._closed:
            raise LibrarySystemUnreachable("the SIP2 client is closed")
        try:
            request = self._request(card_number, pin)
        except UnsendableValue as error:
            # No card of the library has such a number, and no such PIN can be checked.
            log.warning("sip2_value_not_sendable", problem=str(error))
            return PatronStatus(known=False, pin_valid=False)
        try:
            async with asyncio.timeout(self._timeout):
                reply = await self._ask(request)
        except TimeoutError:
            log.warning("library_system_unreachable", reason="timeout", timeout=self._timeout)
            raise LibrarySystemUnreachable(
                f"the library system did not answer within {self._timeout} s"
            ) from None
        except _FAILURES as error:
            log.warning("library_system_unreachable", reason=type(error).__name__, error=str(error))
            raise LibrarySystemUnreachable(
                f"the library system could not be asked: {type(error).__name__}: {error}"
            ) from error
        except Exception as error:
            # A defect here must still leave the door with an answer it knows how to treat.
            log.exception("sip2_client_failed")
            raise LibrarySystemUnreachable(
                f"the SIP2 client failed: {type(error).__name__}"
            ) from error
        return patron_status(reply)

    async def close(self) -> None:
        """Close every connection; later calls raise :class:`LibrarySystemUnreachable`."""
        self._closed = True
        for connection in list(self._connections):
            connection.close()
        self._connections.clear()
        self._idle.clear()

    def _request(self, card_number: str, pin: str) -> Request:
        return patron_status_request(
            institution_id=self._institution_id,
            card_number=card_number,
            pin=pin,
            terminal_password=self._terminal_password,
            at=self._clock().astimezone(self._zone),
            encoding=self._encoding,
        )

    async def _ask(self, request: Request) -> Reply:
        async with self._admission:
            connection = self._idle.pop() if self._idle else None
            try:
                while True:
                    reused = connection is not None and not connection.closed
                    if connection is None or not reused:
                        self._forget(connection)
                        connection = await self._connect()
                    try:
                        return await connection.exchange(request)
                    except (ConnectionLost, ConnectionResetError, BrokenPipeError):
                        self._forget(connection)
                        connection = None
                        if not reused:
                            raise
                        # The library system closed an idle connection (it restarted, or drops
                        # idle sessions): the request only reads, so ask again on a fresh one.
                        log.info("sip2_connection_went_stale")
            except BaseException:
                self._forget(connection)
                connection = None
                raise
            finally:
                if connection is not None and self._closed:
                    self._forget(connection)
                elif connection is not None:
                    self._idle.append(connection)

    async def _connect(self) -> Sip2Connection:
        if self._closed:
            raise ConnectionLost("the SIP2 client was closed")
        try:
            connection = await Sip2Connection.open(
                self._host, self._port, self._login, encoding=self._encoding
            )
        except LoginRefused:
            log.error("sip2_login_refused", host=self._host, port=self._port)
            raise
        self._connections.add(connection)
        log.debug("sip2_connected", host=self._host, port=self._port)
        return connection

    def _forget(self, connection: Sip2Connection | None) -> None:
        if connection is not None:
            connection.abort()
            self._connections.discard(connection)
