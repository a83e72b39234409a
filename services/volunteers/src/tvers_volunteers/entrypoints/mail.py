"""Mail to volunteers (decision 0024): the subscriber that turns events into mails to send, and
the postman's round, a background task of the service.

- **Subscriber** ``volunteers-mail``, on the service's own stream: ``ShiftReminderIssued`` and
  ``ShiftCancelled`` are recorded in the outbox, one mail per volunteer, in the same transaction
  as the event's inbox row. It keeps no version guard: several reminders on one shift's stream
  are all wanted, and one delivered late must not be dropped as stale.
- **Postman**: every :data:`POLL_SECONDS`, or at once while there is more, sends what is due
  (:class:`~tvers_volunteers.mailing.Postman`). Safe on several replicas at once: each mail is
  leased to one.
"""

from __future__ import annotations

import asyncio

import asyncpg
import structlog

from tvers_contracts import DomainEvent, Envelope
from tvers_runtime.aio import stopping
from tvers_runtime.clock import Clock
from tvers_runtime.db.types import Connection
from tvers_runtime.subscriber import Subscriber
from tvers_volunteers.adapters import outbox
from tvers_volunteers.adapters.mail import SmtpMailer, failure
from tvers_volunteers.domain.notices import NOTIFYING, notices
from tvers_volunteers.mailing import BranchNames, People, Postman
from tvers_volunteers.settings import VolunteersSettings

log = structlog.get_logger(__name__)
#: How often the postman looks for mail when there was none.
POLL_SECONDS = 1.0


async def record_mail(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    """Keep the mails an event calls for (the subscriber's effect)."""
    await outbox.record(
        connection,
        event_id=envelope.event_id,
        tenant=envelope.tenant,
        notices=notices(envelope.payload),
    )


MAIL = Subscriber(
    durable="volunteers-mail",
    source="volunteers",
    events=NOTIFYING,
    effect=record_mail,
    guard_versions=False,
)


def postman(
    settings: VolunteersSettings,
    pool: asyncpg.Pool,
    people: People,
    branches: BranchNames,
    clock: Clock,
) -> Postman:
    """The postman the settings describe (with no SMTP host, one that sends nothing)."""
    return Postman(
        outbox.MailOutbox(pool),
        SmtpMailer.from_settings(settings, clock),
        people,
        branches,
        clock=clock,
    )


async def deliver_mail(postman: Postman, *, interval: float = POLL_SECONDS) -> None:
    """Send what is due, round after round, until cancelled."""
    if not postman.mail_is_on:
        log.warning("mail_off", detail="no TVERS_SMTP_HOST: no mail is sent to volunteers")
    while True:
        try:
            taken = await postman.deliver_due()
        except Exception as error:  # the database away: the next round tries again
            if stopping():
                raise
            log.warning("mail_round_failed", error=failure(error))
            taken = 0
        if not taken:
            await asyncio.sleep(interval)
