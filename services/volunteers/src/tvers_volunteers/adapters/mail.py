"""Sending mail to volunteers: the :class:`Mailer` port and its SMTP adapter (the standard
library's ``smtplib``, in a worker thread so that the event loop never waits on the server).

Every mail has a ``Message-ID`` derived from the event that called for it and the volunteer it
goes to (:func:`mail_id`): should a mail ever be sent twice (the process died between sending
and recording it, decision 0024), the copy carries the same ``Message-ID`` and is recognisable
as one, by a person and by mail clients that drop duplicates.

What reaches a log from here is never an address, a name or the server's own words (an SMTP
server's refusal often repeats the recipient's address): only the kind of failure and its code.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Protocol

from tvers_runtime.clock import Clock, system_clock
from tvers_volunteers.settings import VolunteersSettings

#: The namespace of mail ids (uuid5 of the event id and the volunteer id).
MAIL_NAMESPACE = uuid.UUID("6f1d2c4e-8a57-5b0e-9c3a-2d4e6f8a0b1c")
#: SMTP reply codes from this on are permanent: sending the same mail again will not help.
PERMANENT = 500


def mail_id(event_id: uuid.UUID, volunteer_id: uuid.UUID) -> uuid.UUID:
    """The id of the one mail an event calls for to one volunteer, the same every time."""
    return uuid.uuid5(MAIL_NAMESPACE, f"{event_id}/{volunteer_id}")


@dataclass(frozen=True, repr=False)
class Mail:
    """One mail to one volunteer. It holds their address and name: never log it (its ``repr``
    shows the id only)."""

    mail_id: uuid.UUID
    to_name: str
    to_address: str
    subject: str
    body: str
    language: str = "nn, en"

    def __repr__(self) -> str:
        return f"Mail({self.mail_id})"


class Undeliverable(Exception):
    """The server refused this mail for good (a 5xx reply to the recipient or the message)."""

    def __init__(self, code: int) -> None:
        super().__init__(f"refused for good with SMTP code {code}")
        self.code = code


class Mailer(Protocol):
    """Sends mail. :class:`Undeliverable` when the server refuses it for good; any other
    exception is a failure worth trying again later."""

    async def send(self, mail: Mail) -> None: ...


def failure(error: BaseException) -> str:
    """What may be said of a failure to send: its kind and SMTP code, never its text."""
    code = getattr(error, "smtp_code", None)
    return type(error).__name__ + (f" {code}" if isinstance(code, int) else "")


class SmtpMailer:
    """A :class:`Mailer` over SMTP: STARTTLS (the server's certificate verified) and login when
    configured, one connection per mail."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        starttls: bool = True,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        clock: Clock = system_clock,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._starttls = starttls
        self._username = username
        self._password = password
        self._timeout = timeout
        self._clock = clock
        address = parseaddr(sender)[1]
        self.domain = address.rpartition("@")[2] or "localhost"

    @classmethod
    def from_settings(
        cls, settings: VolunteersSettings, clock: Clock = system_clock
    ) -> SmtpMailer | None:
        """The mailer the settings describe; none when no SMTP host is set (mail is off)."""
        if settings.smtp_host is None or settings.smtp_sender is None:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password_text(),
            timeout=settings.smtp_timeout,
            clock=clock,
        )

    def message_id(self, mail: Mail) -> str:
        """The mail's ``Message-ID``: its id at the sender's domain."""
        return f"<{mail.mail_id}@{self.domain}>"

    def message(self, mail: Mail) -> EmailMessage:
        """The mail as it goes out: plain text, UTF-8."""
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = Address(display_name=mail.to_name, addr_spec=mail.to_address)
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(self._clock())
        message["Message-ID"] = self.message_id(mail)
        # Sent by a machine (RFC 3834): no out-of-office replies to it.
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(mail.body)
        message["Content-Language"] = mail.language  # after set_content, which clears Content-*
        return message

    async def send(self, mail: Mail) -> None:
        """Send one mail; see :class:`Mailer`."""
        message = self.message(mail)
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
            if self._starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self._username:
                smtp.login(self._username, self._password or "")
            try:
                smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as refused:
                codes = [code for code, _ in refused.recipients.values()]
                if codes and all(code >= PERMANENT for code in codes):
                    raise Undeliverable(max(codes)) from None
                raise smtplib.SMTPException("recipient refused for now") from None
            except smtplib.SMTPDataError as refused:
                if refused.smtp_code >= PERMANENT:
                    raise Undeliverable(refused.smtp_code) from None
                raise
