"""A local SMTP server that delivers nothing: it keeps every mail it is given (``aiosmtpd``).

Tests point a service's SMTP settings at one and read what it received; ``tvers up`` runs one
in a maildir so that mail from the services can be read without sending any. It speaks plain
SMTP on the loopback interface, without TLS or login. Import it from here (not from
:mod:`tvers_runtime.embedded`, which loads nothing of the ``embedded`` extra on import).
"""

from __future__ import annotations

import logging
import mailbox
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tvers_runtime.embedded.ports import free_port

#: What a sink does with each mail's bytes, as received (in the sink's own thread).
Keep = Callable[[bytes], object]
#: aiosmtpd's loggers: at DEBUG and INFO they write out the SMTP conversation, addresses and all.
_CHATTY = ("mail.log", "mail.debug")


class _Keeping:
    """aiosmtpd's handler: every mail accepted, handed to ``keep``."""

    def __init__(self, keep: Keep) -> None:
        self._keep = keep

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook
        self,
        server: SMTP,  # noqa: ARG002 - aiosmtpd's signature
        session: Session,  # noqa: ARG002
        envelope: Envelope,
    ) -> str:
        content = envelope.content
        self._keep(content.encode() if isinstance(content, str) else bytes(content or b""))
        return "250 OK: kept, not delivered"


class MailSink:
    """An SMTP server on ``host:port`` (a free port unless given), in a thread of its own."""

    def __init__(self, keep: Keep, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        for name in _CHATTY:  # whoever hosts the sink keeps its log free of addresses
            logging.getLogger(name).setLevel(logging.WARNING)
        self._controller = Controller(_Keeping(keep), hostname=host, port=self.port)

    def start(self) -> None:
        """Listen; returns once the server takes connections."""
        self._controller.start()

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()

    def __enter__(self) -> MailSink:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def maildir_sink(folder: Path, *, host: str = "127.0.0.1", port: int | None = None) -> MailSink:
    """A sink that keeps each mail as a file of the maildir ``folder`` (made if need be)."""
    box = mailbox.Maildir(folder, create=True)
    return MailSink(box.add, host=host, port=port)
