"""The mail outbox: the mails events call for, kept in the service's own database until they are
sent or settled otherwise (decision 0024).

- :func:`record` runs inside the subscriber's inbox transaction: the event and its mails are
  taken together, once.
- :meth:`MailOutbox.take_due` takes what is due in one statement (no transaction held open) and
  moves it on by a lease; the postman then sends each mail and settles it
  (:meth:`~MailOutbox.settle`) or puts it off (:meth:`~MailOutbox.put_off`), each one statement.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import asyncpg

from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.types import Connection
from tvers_volunteers.adapters.mail import mail_id
from tvers_volunteers.domain.notices import Notice, ShiftNotice

MIGRATIONS = MigrationSource("volunteer_mail", Path(__file__).parent / "migrations")
#: How long a taken mail is left to its postman before another may take it again.
LEASE = timedelta(minutes=5)

_RECORD = """
    INSERT INTO volunteer_mail (
        mail_id, event_id, volunteer_id, tenant, notice, shift_id, branch_id, starts_at, ends_at
    )
    SELECT * FROM unnest(
        $1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[],
        $8::timestamptz[], $9::timestamptz[]
    )
    ON CONFLICT DO NOTHING
"""
_TAKE_DUE = """
    UPDATE volunteer_mail SET due_at = now() + $2::interval, attempts = attempts + 1
    WHERE mail_id IN (
        SELECT mail_id FROM volunteer_mail
        WHERE outcome IS NULL AND due_at <= now()
        ORDER BY due_at, mail_id
        LIMIT $1
        FOR UPDATE SKIP LOCKED
    )
    RETURNING mail_id, event_id, volunteer_id, tenant, notice, shift_id, branch_id, starts_at,
        ends_at, attempts
"""
_SETTLE = """
    UPDATE volunteer_mail SET outcome = $2, settled_at = now()
    WHERE mail_id = $1 AND outcome IS NULL
"""
_PUT_OFF = """
    UPDATE volunteer_mail SET due_at = now() + $2::interval, last_failure = $3
    WHERE mail_id = $1 AND outcome IS NULL
"""


class Outcome(enum.StrEnum):
    """How a mail was settled."""

    SENT = "sent"
    MAIL_OFF = "mail_off"  # no SMTP server configured
    TOO_LATE = "too_late"  # the shift had started
    ERASED = "erased"  # the volunteer's personal data was erased
    UNKNOWN = "unknown"  # no personal data is kept for this volunteer id
    REFUSED = "refused"  # the SMTP server refused it for good


@dataclass(frozen=True)
class QueuedMail:
    """A mail due to be sent, as the outbox keeps it: ids and the shift, no personal data."""

    mail_id: UUID
    event_id: UUID
    tenant: str
    notice: ShiftNotice
    attempts: int


async def record(
    connection: Connection, *, event_id: UUID, tenant: str, notices: list[ShiftNotice]
) -> None:
    """Keep the mails an event calls for (inside the caller's transaction); a mail kept before
    is left as it is."""
    if not notices:
        return
    await connection.execute(
        _RECORD,
        [mail_id(event_id, n.volunteer_id) for n in notices],
        [event_id] * len(notices),
        [n.volunteer_id for n in notices],
        [tenant] * len(notices),
        [n.notice.value for n in notices],
        [n.shift_id for n in notices],
        [n.branch_id for n in notices],
        [n.starts_at for n in notices],
        [n.ends_at for n in notices],
    )


class MailOutbox:
    """The ``volunteer_mail`` table; see the module docstring."""

    def __init__(self, pool: asyncpg.Pool, *, lease: timedelta = LEASE) -> None:
        self._pool = pool
        self._lease = lease

    async def take_due(self, limit: int = 20) -> list[QueuedMail]:
        """Up to ``limit`` mails due now, oldest first, each leased to the caller."""
        rows = await self._pool.fetch(_TAKE_DUE, limit, self._lease)
        return sorted((_queued(row) for row in rows), key=lambda m: m.notice.starts_at)

    async def settle(self, mail: UUID, outcome: Outcome) -> None:
        """The mail is done with: sent, or never to be sent (and why)."""
        await self._pool.execute(_SETTLE, mail, outcome.value)

    async def put_off(self, mail: UUID, delay: timedelta, failure: str) -> None:
        """Sending failed for now: try again after ``delay``."""
        await self._pool.execute(_PUT_OFF, mail, delay, failure[:200])

    async def outcomes(self, event_id: UUID) -> dict[UUID, str | None]:
        """Each volunteer's mail of an event and its outcome so far (none: not yet settled)."""
        rows = await self._pool.fetch(
            "SELECT volunteer_id, outcome FROM volunteer_mail WHERE event_id = $1", event_id
        )
        return {row["volunteer_id"]: row["outcome"] for row in rows}


def _queued(row: asyncpg.Record) -> QueuedMail:
    return QueuedMail(
        mail_id=row["mail_id"],
        event_id=row["event_id"],
        tenant=row["tenant"],
        notice=ShiftNotice(
            Notice(row["notice"]),
            row["volunteer_id"],
            shift_id=row["shift_id"],
            branch_id=row["branch_id"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
        ),
        attempts=row["attempts"],
    )
