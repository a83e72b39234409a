"""A hand-written library system with the quirks real ones have, for what pysip2 never does.

Koha ends replies with CR LF unless configured otherwise; systems send fields in their own order
and blank status flags as spaces, or leave the checksum out; a slow system answers late or not at
all. The replies follow the patron directory of the peer, as :class:`~.sip2_peer.Sip2Peer` does
(BL Y and CQ N for a wrong PIN).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from pysip2 import calculate_checksum

from tvers_access.adapters.sip2.flags import status_field
from tvers_access.testing.sip2_patrons import PatronDirectory, load_patrons


@dataclass
class Quirks:
    """How the scripted library system differs from the specification's usual reading."""

    line_end: bytes = b"\r"
    reversed_fields: bool = False
    checksum: bool = True
    #: Answers with another sequence number than the request's.
    wrong_sequence: bool = False
    #: Patron status replies wait for this (login replies do not); ``None``: no waiting.
    answer_when: asyncio.Event | None = None
    #: Answers nothing at all, not even the login.
    silent: bool = False
    #: Closes a connection, unanswered, at the patron status request after this many (as a
    #: system does that dropped the connection while it was idle); ``None``: never.
    patron_replies_per_connection: int | None = None
    #: The command identifier of each request, as it arrived.
    requests: list[str] = field(default_factory=list)
    #: The card number of each patron status request, as it arrived.
    cards: list[str] = field(default_factory=list)
    #: Set when the first patron status request has arrived.
    asked: asyncio.Event = field(default_factory=asyncio.Event)


class ScriptedLibrarySystem:
    """Answers 93 and 23 by hand, with :class:`Quirks`."""

    def __init__(
        self, quirks: Quirks | None = None, directory: PatronDirectory | None = None
    ) -> None:
        self.quirks = quirks or Quirks()
        self.directory = directory or load_patrons()
        self.port = 0
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> ScriptedLibrarySystem:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._server is not None:
            self._server.close()
        for connection in list(self._connections):
            connection.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        answered = 0
        most = self.quirks.patron_replies_per_connection
        try:
            with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
                while True:
                    request = (await reader.readuntil(b"\r")).lstrip(b"\n").decode("cp850")
                    self.quirks.requests.append(request[:2])
                    if request.startswith("23"):
                        if most is not None and answered >= most:
                            return
                        answered += 1
                    reply = await self._reply(request)
                    if reply is not None:
                        writer.write(reply)
                        await writer.drain()
        finally:
            writer.close()
            self._connections.discard(task)

    async def _reply(self, request: str) -> bytes | None:
        if self.quirks.silent:
            return None
        sequence = request[request.rindex("AY") + 2] if "AY" in request else "0"
        if request.startswith("93"):
            return self._frame("941", sequence)
        if not request.startswith("23"):
            return None
        values = {piece[:2]: piece[2:] for piece in request[23:].split("|")}
        self.quirks.cards.append(values["AA"])
        self.quirks.asked.set()
        if self.quirks.answer_when is not None:
            await self.quirks.answer_when.wait()
        patron = self.directory.find(values["AA"])
        known = patron is not None
        right = patron is not None and values["AD"] == patron.pin
        fields = [f"AO{values['AO']}", f"AA{values['AA']}", "AE", f"BL{'Y' if known else 'N'}"]
        fields.append(f"CQ{'Y' if right else 'N'}")
        if right and patron is not None and patron.birth_date is not None:
            fields.append(f"PB{patron.birth_date:%Y%m%d}")
        if self.quirks.reversed_fields:
            fields.reverse()
        flags = status_field(patron.flags if right and patron else frozenset())
        return self._frame(f"24{flags}000{request[5:23]}" + "|".join(fields) + "|", sequence)

    def _frame(self, body: str, sequence: str) -> bytes:
        data = body.encode("cp850")
        if self.quirks.checksum:
            if self.quirks.wrong_sequence:
                sequence = str((int(sequence) + 1) % 10)
            data += f"AY{sequence}AZ".encode()
            data += calculate_checksum(data).encode()
        return data + self.quirks.line_end
