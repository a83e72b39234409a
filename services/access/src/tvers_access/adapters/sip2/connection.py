"""One TCP connection to the library system: logged in first, then one request at a time.

Some library systems close the connection on anything sent before a successful login, so a
connection is opened with its 93 and is handed out only once the 94 accepted it. Each request
carries the connection's next sequence number (``AY``, 0-9) and a checksum (``AZ``). A 96 (the
library system could not read the request) is answered by sending the request once more; a
reply whose checksum is wrong is asked for once more with a 97. Nothing here waits for ever: the
caller bounds each call with its timeout, and drops the connection when it fires, so a late
reply can never be taken for the answer to a later request.
"""

from __future__ import annotations

import asyncio

from tvers_access.adapters.sip2.messages import Request, resend_request
from tvers_access.adapters.sip2.replies import (
    RESEND,
    ChecksumMismatch,
    MalformedReply,
    Reply,
    login_accepted,
    parse_reply,
)


class ConnectionLost(Exception):
    """The library system closed the connection (or never kept it open)."""


class LoginRefused(Exception):
    """The library system refused the door's login (user, password or location)."""


class Sip2Connection:
    """A logged-in connection. Not shared: one request at a time (the pool sees to it)."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, encoding: str
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._encoding = encoding
        self._sequence = -1

    @classmethod
    async def open(cls, host: str, port: int, login: Request, *, encoding: str) -> Sip2Connection:
        """Connect and log in (93/94), or raise :class:`OSError`, :class:`ConnectionLost`,
        :class:`LoginRefused` or :class:`MalformedReply`."""
        reader, writer = await asyncio.open_connection(host, port)
        connection = cls(reader, writer, encoding=encoding)
        try:
            accepted = login_accepted(await connection.exchange(login))
        except BaseException:
            connection.abort()
            raise
        if not accepted:
            connection.abort()
            raise LoginRefused("the library system refused the door's SIP2 login")
        return connection

    @property
    def closed(self) -> bool:
        """Whether the connection is known to be gone (closed here, or by the other end)."""
        return self._writer.is_closing() or self._reader.at_eof()

    async def exchange(self, request: Request) -> Reply:
        """Send ``request`` and return its reply, resending once on a 96 and asking once more
        (97) for a reply whose checksum is wrong."""
        self._sequence = (self._sequence + 1) % 10
        frame = request.frame(self._sequence)
        await self._send(frame)
        resent = asked_again = False
        while True:
            try:
                reply = await self._receive()
            except ChecksumMismatch:
                if asked_again:
                    raise
                asked_again = True
                await self._send(resend_request())
                continue
            if reply.command == RESEND:
                if resent:
                    raise MalformedReply("the library system could not read the request twice")
                resent = True
                await self._send(frame)
                continue
            if reply.command != request.answered_by:
                raise MalformedReply(f"a {reply.command} reply where {request.answered_by} was due")
            if reply.sequence is not None and reply.sequence != self._sequence:
                raise MalformedReply("the reply's sequence number is not the request's")
            return reply

    def close(self) -> None:
        """Close the connection (what was written is still sent)."""
        self._writer.close()

    def abort(self) -> None:
        """Drop the connection at once, after a failure or a timeout."""
        self._writer.transport.abort()

    async def _send(self, frame: bytes) -> None:
        if self.closed:
            raise ConnectionLost("the connection to the library system is closed")
        self._writer.write(frame)
        await self._writer.drain()

    async def _receive(self) -> Reply:
        while True:
            try:
                frame = await self._reader.readuntil(b"\r")
            except asyncio.IncompleteReadError:
                raise ConnectionLost("the library system closed the connection") from None
            except asyncio.LimitOverrunError:
                raise MalformedReply("a reply longer than any SIP2 reply") from None
            # The LF of a CR LF line end arrives at the start of the next frame.
            if frame.strip(b"\r\n"):
                return parse_reply(frame, encoding=self._encoding)
