"""An SMTP sink for tests (and benchmarks): a local ``aiosmtpd`` server on a free port that keeps
every mail it receives, and the volunteers service's settings that send mail to it."""

from __future__ import annotations

import contextlib
import email
import email.policy
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

from tvers_runtime.embedded.mail_sink import MailSink
from tvers_runtime.embedded.ports import free_port

#: The From address of the tests' mail.
TEST_SENDER = "Bibliotekvenn <bibliotekvenn@alesund.example>"


class SmtpSink:
    """What a running sink has received, in order (parsed, headers decoded)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._received: list[EmailMessage] = []
        self._lock = threading.Lock()

    def keep(self, data: bytes) -> None:
        """Take one mail (called in the sink's thread)."""
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self._received.append(message)

    @property
    def received(self) -> list[EmailMessage]:
        """Every mail received so far."""
        with self._lock:
            return list(self._received)

    def to(self, address: str) -> list[EmailMessage]:
        """The mails received for ``address``."""
        return [m for m in self.received if address in str(m["To"])]

    def with_message_id(self, message_id: str) -> list[EmailMessage]:
        """The mails received with this ``Message-ID``."""
        return [m for m in self.received if m["Message-ID"] == message_id]

    def settings(self) -> dict[str, Any]:
        """The volunteers service's settings that send its mail here."""
        return {
            "smtp_host": self.host,
            "smtp_port": self.port,
            "smtp_starttls": False,
            "smtp_sender": TEST_SENDER,
        }


@contextlib.contextmanager
def smtp_sink(host: str = "127.0.0.1") -> Iterator[SmtpSink]:
    """Run a sink on a free port for as long as the block lasts."""
    sink = SmtpSink(host, free_port(host))
    with MailSink(sink.keep, host=host, port=sink.port):
        yield sink


def text_of(message: EmailMessage) -> str:
    """A received mail's plain-text body."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "a mail without a plain-text body"
    content: str = body.get_content()
    return content
