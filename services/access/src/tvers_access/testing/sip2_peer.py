"""A library system the project did not write: pysip2's SIP2 server with the fixture's patrons.

Tests start it on a free port (``async with Sip2Peer() as peer: ... peer.port``); the demo runs it
as a process::

    python -m tvers_access.testing.sip2_peer --port 6001 --patrons patrons.json

It answers Login (93, and closes the connection on anything sent before a successful one),
Patron Status (23) and Patron Information (63) as a library system does: BL Y and CQ N for a
known card with a wrong PIN (or BL N and CQ N, as some systems answer, with
``wrong_pin_as_unknown``), the patron-status flags of a blocked card, and PB where the birth date
is known. It never logs a card number or PIN.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from typing import Any

import anyio
from anyio.abc import SocketAttribute, SocketListener
from pysip2 import (
    LOGIN,
    PATRON_INFORMATION,
    PATRON_STATUS,
    LoginRequest,
    LoginResponse,
    PatronInformationRequest,
    PatronInformationResponse,
    PatronStatusRequest,
    PatronStatusResponse,
    RequestContext,
    SIP2Server,
)

from tvers_access.adapters.sip2.flags import status_field
from tvers_access.testing.sip2_birth_date import (
    PatronInformationWithBirthDate,
    PatronStatusWithBirthDate,
)
from tvers_access.testing.sip2_patrons import PatronDirectory, load_patrons

BLANK_COUNT = " " * 4


class Sip2Peer:
    """pysip2's server for the patrons of ``directory``, started and stopped at will (a stopped
    peer starts again on the same port)."""

    def __init__(
        self,
        directory: PatronDirectory | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        wrong_pin_as_unknown: bool = False,
    ) -> None:
        self.directory = directory or load_patrons()
        self.host = host
        self.port = port
        self._wrong_pin_as_unknown = wrong_pin_as_unknown
        self._server = SIP2Server(institution_id=self.directory.institution_id, login_required=True)
        self._server.route(LOGIN)(self._login)
        self._server.route(PATRON_STATUS)(self._patron_status)
        self._server.route(PATRON_INFORMATION)(self._patron_information)
        self._stopping = asyncio.Event()
        self._serving: asyncio.Task[None] | None = None

    async def start(self) -> int:
        """Listen (on a free port the first time) and return the port."""
        ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._stopping = asyncio.Event()
        serving = self._serving = asyncio.create_task(self._serve(ready))
        either: set[asyncio.Future[Any]] = {ready, serving}
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            await serving  # it failed to listen: raise why
        self.port = ready.result()
        return self.port

    async def stop(self) -> None:
        """Stop listening and close every connection."""
        if self._serving is not None:
            self._stopping.set()
            await self._serving
            self._serving = None

    async def __aenter__(self) -> Sip2Peer:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def _serve(self, ready: asyncio.Future[int]) -> None:
        # The server lives in an AnyIO task group, which must be left in the task that entered
        # it: it gets a task of its own, so any task may start and stop the peer. pysip2 0.1.0's
        # own ``start()`` never closes its listening socket: the port stays taken after it stops,
        # and connections to it hang. So the peer serves a listener it closes itself.
        listener: SocketListener = await self._server.listen(self.host, self.port)
        async with listener, anyio.create_task_group() as group:
            group.start_soon(listener.serve, self._server._handle_connection)
            ready.set_result(listener.extra(SocketAttribute.local_port))  # noqa: S610
            await self._stopping.wait()
            group.cancel_scope.cancel()

    async def _login(
        self, request: LoginRequest, _: RequestContext[LoginRequest, LoginResponse]
    ) -> LoginResponse:
        accepted = (request.login_user_id, request.login_password) == (
            self.directory.login_user,
            self.directory.login_password,
        )
        return LoginResponse(ok="1" if accepted else "0")

    def _answer(self, card: str, pin: str | None) -> tuple[str, str, str, str | None]:
        """The patron-status field, BL, CQ and PB for a card and PIN."""
        patron = self.directory.find(card)
        if patron is None:
            return " " * 14, "N", "N", None
        born = patron.birth_date.strftime("%Y%m%d") if patron.birth_date else None
        if pin != patron.pin:
            return " " * 14, "N" if self._wrong_pin_as_unknown else "Y", "N", None
        return status_field(patron.flags), "Y", "Y", born

    async def _patron_status(
        self,
        request: PatronStatusRequest,
        context: RequestContext[PatronStatusRequest, PatronStatusResponse],
    ) -> PatronStatusResponse:
        flags, valid_patron, valid_pin, born = self._answer(
            request.patron_identifier, request.patron_password
        )
        return PatronStatusWithBirthDate(
            patron_status=flags,
            language=request.language,
            transaction_date=context.now_18(),
            institution_id=request.institution_id,
            patron_identifier=request.patron_identifier,
            personal_name="",
            valid_patron=valid_patron,
            valid_patron_password=valid_pin,
            birth_date=born,
        )

    async def _patron_information(
        self,
        request: PatronInformationRequest,
        context: RequestContext[PatronInformationRequest, PatronInformationResponse],
    ) -> PatronInformationResponse:
        flags, valid_patron, valid_pin, born = self._answer(
            request.patron_identifier, request.patron_password
        )
        return PatronInformationWithBirthDate(
            patron_status=flags,
            language=request.language,
            transaction_date=context.now_18(),
            hold_items_count=BLANK_COUNT,
            overdue_items_count=BLANK_COUNT,
            charged_items_count=BLANK_COUNT,
            fine_items_count=BLANK_COUNT,
            recall_items_count=BLANK_COUNT,
            unavailable_holds_count=BLANK_COUNT,
            institution_id=request.institution_id,
            patron_identifier=request.patron_identifier,
            personal_name="",
            valid_patron=valid_patron,
            valid_patron_password=valid_pin,
            birth_date=born,
        )


async def serve(peer: Sip2Peer) -> None:
    """Run ``peer`` until SIGINT or SIGTERM, saying where it listens on standard output."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with peer:
        sys.stdout.write(f"sip2 peer listening on {peer.host}:{peer.port}\n")
        sys.stdout.flush()
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """``python -m tvers_access.testing.sip2_peer``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6001, help="0 picks a free port")
    parser.add_argument("--patrons", type=Path, help="a patrons file (default: the packaged one)")
    parser.add_argument("--wrong-pin-as-unknown", action="store_true", help="BL N for a wrong PIN")
    arguments = parser.parse_args(argv)
    peer = Sip2Peer(
        load_patrons(arguments.patrons),
        host=arguments.host,
        port=arguments.port,
        wrong_pin_as_unknown=arguments.wrong_pin_as_unknown,
    )
    asyncio.run(serve(peer))


if __name__ == "__main__":
    main()
