"""The SMTP adapter against real SMTP servers on the loopback (aiosmtpd): what a mail looks like
when it arrives, a permanent refusal told from a passing one, and failures that say nothing of the
address they were about."""

from collections.abc import Iterator
from uuid import uuid4

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tvers_runtime.embedded.ports import free_port
from tvers_volunteers.adapters.mail import Mail, SmtpMailer, Undeliverable, failure, mail_id
from tvers_volunteers.testing.smtp_sink import TEST_SENDER, SmtpSink, smtp_sink, text_of

ADDRESS = "synnove.kvalsvik@example.no"


def a_mail() -> Mail:
    return Mail(
        mail_id=mail_id(uuid4(), uuid4()),
        to_name="Synnøve Kvalsvik-Ålesund",
        to_address=ADDRESS,
        subject="Påminning: vakta di på Harøy",
        body="Hei, Synnøve!\n\nVakta er på Harøy, frå 18:00 til 20:00. Æ, ø og å.\n",
    )


def mailer_to(port: int) -> SmtpMailer:
    return SmtpMailer(host="127.0.0.1", port=port, sender=TEST_SENDER, starttls=False, timeout=5)


class Refusing:
    """An SMTP server that refuses every recipient with one reply, naming the address."""

    def __init__(self, code: int) -> None:
        self.code = code

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        return f"{self.code} 5.1.1 <{address}>: Recipient address rejected"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running:
        yield running


def refusing(code: int) -> Iterator[int]:
    port = free_port()
    controller = Controller(Refusing(code), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def refusing_for_good() -> Iterator[int]:
    yield from refusing(550)


@pytest.fixture
def refusing_for_now() -> Iterator[int]:
    yield from refusing(450)


async def test_a_mail_arrives_with_its_message_id_its_languages_and_its_letters_intact(
    sink: SmtpSink,
) -> None:
    mail = a_mail()
    await mailer_to(sink.port).send(mail)
    [arrived] = sink.received
    assert arrived["Message-ID"] == f"<{mail.mail_id}@alesund.example>"
    assert arrived["Subject"] == "Påminning: vakta di på Harøy"
    assert arrived["To"].addresses[0].addr_spec == ADDRESS
    assert arrived["To"].addresses[0].display_name == "Synnøve Kvalsvik-Ålesund"
    assert arrived["From"] == TEST_SENDER
    assert arrived["Content-Language"] == "nn, en"
    assert arrived["Auto-Submitted"] == "auto-generated"
    assert "Æ, ø og å." in text_of(arrived)


async def test_the_same_mail_sent_again_has_the_same_message_id(sink: SmtpSink) -> None:
    mail, mailer = a_mail(), mailer_to(sink.port)
    await mailer.send(mail)
    await mailer.send(mail)
    first, again = sink.received
    assert first["Message-ID"] == again["Message-ID"]


async def test_a_recipient_refused_for_good_is_undeliverable(refusing_for_good: int) -> None:
    with pytest.raises(Undeliverable) as refused:
        await mailer_to(refusing_for_good).send(a_mail())
    assert refused.value.code == 550
    assert ADDRESS not in str(refused.value)


async def test_a_recipient_refused_for_now_is_a_failure_to_try_again(
    refusing_for_now: int,
) -> None:
    with pytest.raises(Exception) as failed:  # noqa: PT011 - any failure but Undeliverable
        await mailer_to(refusing_for_now).send(a_mail())
    assert not isinstance(failed.value, Undeliverable)
    assert ADDRESS not in failure(failed.value)


async def test_no_server_listening_is_a_failure_to_try_again() -> None:
    with pytest.raises(ConnectionRefusedError) as failed:
        await mailer_to(free_port()).send(a_mail())
    assert failure(failed.value) == "ConnectionRefusedError"


def test_a_mail_never_shows_its_address_in_a_repr() -> None:
    assert ADDRESS not in repr(a_mail())
