"""A TCP proxy between the door's SIP2 client and a library system, damaging chosen frames.

Damage flips the first character after the command identifier (a 23's language, a 24's first
patron-status flag), so a reply whose checksum went unchecked would read as a blocked card. The
proxy records the command identifiers that pass, never the frames (they hold card numbers).
"""

from __future__ import annotations

import asyncio
import contextlib


def damaged(frame: bytes) -> bytes:
    """``frame`` with its third character changed (its checksum no longer fits)."""
    flipped = {ord(" "): ord("Y"), ord("0"): ord("1")}.get(frame[2], ord(" "))
    return frame[:2] + bytes([flipped]) + frame[3:]


class FrameProxy:
    """Forwards frames both ways, damaging the first ``damage_requests`` 23 requests and the
    first ``damage_replies`` 24 replies."""

    def __init__(
        self, target_port: int, *, damage_requests: int = 0, damage_replies: int = 0
    ) -> None:
        self.target_port = target_port
        self.port = 0
        self.damage_requests = damage_requests
        self.damage_replies = damage_replies
        #: Command identifiers as they passed: ``>23`` from the client, ``<24`` from the server.
        self.passed: list[str] = []
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._pumps: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        """Listen (on a free port the first time, on the same one after a stop); return it."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Stop listening and cut every connection."""
        if self._server is not None:
            self._server.close()
        for pump in list(self._pumps):
            pump.cancel()
        await asyncio.gather(*self._pumps, return_exceptions=True)

    async def __aenter__(self) -> FrameProxy:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        pumps = {
            asyncio.create_task(self._pump(reader, up_writer, ">")),
            asyncio.create_task(self._pump(up_reader, writer, "<")),
        }
        self._pumps |= pumps
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for pump in pumps:
            pump.cancel()
        for each in (writer, up_writer):
            each.close()
        self._pumps -= pumps

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, direction: str
    ) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                frame = await reader.readuntil(b"\r")
                command = frame.lstrip(b"\n")[:2].decode("ascii", "replace")
                self.passed.append(direction + command)
                if direction == ">" and command == "23" and self.damage_requests > 0:
                    self.damage_requests -= 1
                    frame = damaged(frame)
                elif direction == "<" and command == "24" and self.damage_replies > 0:
                    self.damage_replies -= 1
                    frame = damaged(frame)
                writer.write(frame)
                await writer.drain()
