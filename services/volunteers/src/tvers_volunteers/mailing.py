"""The postman: sends the mails the outbox holds, each at most once in effect (decision 0024).

For each mail due, outside any transaction: the shift must not have started, the volunteer's
address is read from the vault (through :meth:`Registration.personal_data`, which logs the read),
the letter is written, sent, and the mail settled. What can go wrong, and what follows:

- no SMTP server configured: mail is off; the mail is settled ``mail_off`` and never sent;
- the shift has started: ``too_late``, never sent (a reminder read after the start tells
  nobody anything);
- the volunteer was erased: ``erased``, never sent; nobody's id leads to an address any more;
- the SMTP server refuses it for good (5xx): ``refused``;
- anything else (the server away, a 4xx, a timeout, the database away): tried again later, with
  a growing pause, until it is sent or too late;
- the process dies after the server took the mail and before it was settled: once the lease is
  over, the mail is sent again, with the same ``Message-ID``. A rare copy that says it is one is
  better than a reminder lost.

Logs carry ids only: the mail id (the ``Message-ID``'s left part), the event and the volunteer.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Protocol
from uuid import UUID

import structlog

from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.domain import NotFound
from tvers_volunteers.adapters.mail import Mail, Mailer, Undeliverable, failure
from tvers_volunteers.adapters.outbox import MailOutbox, Outcome, QueuedMail
from tvers_volunteers.domain.notices import worth_sending
from tvers_volunteers.domain.person import Erased, PersonalData
from tvers_volunteers.letters import LOCALES, compose

log = structlog.get_logger(__name__)
#: Who the postman is, in the log of personal data reads.
READER = "mail"


class People(Protocol):
    """Where the postman reads a volunteer's address (:class:`~.registration.Registration`)."""

    async def personal_data(
        self, volunteer_id: UUID, *, tenant: str, reader: str
    ) -> PersonalData: ...


class BranchNames(Protocol):
    """Where the postman finds a branch's name (:class:`tvers_runtime.known_branches.
    KnownBranches`)."""

    async def name(self, tenant: str, branch_id: str) -> str | None: ...


def retry_delay(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed try: 30 s, doubling, at most an hour."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


class Postman:
    """Sends what the outbox holds; see the module docstring."""

    def __init__(
        self,
        outbox: MailOutbox,
        mailer: Mailer | None,
        people: People,
        branches: BranchNames,
        *,
        clock: Clock = system_clock,
    ) -> None:
        self._outbox = outbox
        self._mailer = mailer
        self._people = people
        self._branches = branches
        self._clock = clock

    @property
    def mail_is_on(self) -> bool:
        """Whether an SMTP server is configured."""
        return self._mailer is not None

    async def deliver_due(self, limit: int = 20) -> int:
        """Deliver (or settle) up to ``limit`` mails that are due; how many were taken."""
        taken = await self._outbox.take_due(limit)
        for mail in taken:
            try:
                await self._deliver(mail)
            except Exception as error:  # the database away, say: the mail's turn comes again
                reason = failure(error)
                log.warning("mail_delivery_failed", mail_id=str(mail.mail_id), error=reason)
                with contextlib.suppress(Exception):
                    await self._outbox.put_off(mail.mail_id, retry_delay(mail.attempts), reason)
        return len(taken)

    async def _deliver(self, queued: QueuedMail) -> None:
        ids = {
            "mail_id": str(queued.mail_id),
            "event_id": str(queued.event_id),
            "volunteer_id": str(queued.notice.volunteer_id),
            "notice": queued.notice.notice.value,
        }
        if self._mailer is None:
            await self._settle(queued, Outcome.MAIL_OFF, ids)
            return
        if not worth_sending(queued.notice.starts_at, now=self._clock()):
            await self._settle(queued, Outcome.TOO_LATE, ids)
            return
        try:
            person = await self._people.personal_data(
                queued.notice.volunteer_id, tenant=queued.tenant, reader=READER
            )
        except Erased:
            await self._settle(queued, Outcome.ERASED, ids)
            return
        except NotFound:
            await self._settle(queued, Outcome.UNKNOWN, ids)
            return
        mail = await self._write(queued, person)
        try:
            await self._mailer.send(mail)
        except Undeliverable as refused:
            log.warning("mail_refused", code=refused.code, **ids)
            await self._settle(queued, Outcome.REFUSED, ids)
            return
        except Exception as error:  # the server away, a 4xx, a timeout: try again later
            delay = retry_delay(queued.attempts)
            reason = failure(error)
            log.warning("mail_not_sent_yet", error=reason, retry_in=delay.total_seconds(), **ids)
            await self._outbox.put_off(queued.mail_id, delay, reason)
            return
        await self._settle(queued, Outcome.SENT, ids)

    async def _write(self, queued: QueuedMail, person: PersonalData) -> Mail:
        notice = queued.notice
        branch = await self._branches.name(queued.tenant, notice.branch_id) or notice.branch_id
        letter = compose(
            notice.notice,
            name=person.name,
            branch=branch,
            starts_at=notice.starts_at,
            ends_at=notice.ends_at,
        )
        return Mail(
            mail_id=queued.mail_id,
            to_name=person.name,
            to_address=person.email,
            subject=letter.subject,
            body=letter.body,
            language=", ".join(locale.value for locale in LOCALES),
        )

    async def _settle(self, queued: QueuedMail, outcome: Outcome, ids: dict[str, str]) -> None:
        await self._outbox.settle(queued.mail_id, outcome)
        log.info(
            "mail_sent" if outcome is Outcome.SENT else "mail_not_sent", **ids, outcome=outcome
        )
