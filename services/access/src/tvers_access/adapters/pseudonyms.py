"""Card numbers become patron references here, and go no further.

Two references, for two purposes:

- The **agreement reference** is an HMAC-SHA256 of the normalised card number under the
  deployment's secret key (from a secret file), truncated to 128 bits. It is stable: a patron's
  agreement stream is found by it for as long as the agreement lives.
- The **door reference** that door events carry is an HMAC of the agreement reference under a
  random key of the branch and the month (Europe/Oslo). When that key is destroyed at the end of
  the branch's retention, no one can compute the reference again, even with the secret and the
  card in hand, so the door events of that month no longer point at anybody, while every count
  stays. Door references of two months are never linked.

The Norwegian data-protection authority counts even such references as personal data, so they
are kept to where they are needed and counted away elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

import asyncpg

MIN_KEY_BYTES = 32
MONTH_KEY_BYTES = 32


class PatronReferences:
    """Turns card numbers into agreement references with one secret key, and with the key
    before it while a rotation is under way (decision 0051): an agreement made under the
    previous key is found by :meth:`previous_of` and carried over to the current reference."""

    def __init__(self, key: bytes, previous: bytes | None = None) -> None:
        for checked in (key, previous):
            if checked is not None and len(checked) < MIN_KEY_BYTES:
                raise ValueError(f"the patron key must be at least {MIN_KEY_BYTES} bytes")
        self._key = key
        self._previous = previous

    @classmethod
    def from_file(cls, path: Path) -> PatronReferences:
        """Read the key from a secret file."""
        return cls(path.read_text(encoding="utf-8").strip().encode())

    @property
    def rotating(self) -> bool:
        """Whether a previous key is still kept."""
        return self._previous is not None

    def of(self, card_number: str) -> str:
        """The reference of a card number (case and surrounding spaces do not matter)."""
        return _reference(self._key, _normalised(card_number))

    def previous_of(self, card_number: str) -> str | None:
        """The reference of a card number under the previous key (``None`` without one)."""
        if self._previous is None:
            return None
        return _reference(self._previous, _normalised(card_number))


def _normalised(card_number: str) -> bytes:
    return card_number.strip().upper().encode()


def door_reference(month_key: bytes, agreement_ref: str) -> str:
    """The door reference of an agreement reference in the month of ``month_key``."""
    return _reference(month_key, agreement_ref.encode())


def _reference(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def month_of(moment: datetime) -> date:
    """The first day of the (local) month of an aware, local moment."""
    return moment.date().replace(day=1)


_KEY = "SELECT key FROM patron_month_keys WHERE branch_id = $1 AND month = $2"


class MonthKeyDestroyed(Exception):
    """The month's key is gone (its retention ended): nothing of that month can be referenced."""


class MonthKeys(Protocol):
    """The keys of door references, per branch and month."""

    async def key_for(self, branch_id: str, month: date) -> bytes:
        """The key of a branch's month, made on first use (:class:`MonthKeyDestroyed` if gone)."""
        ...

    async def existing_key(self, branch_id: str, month: date) -> bytes | None:
        """The key of a month if it exists and lives (no new key is made)."""
        ...

    async def live_months(self) -> dict[str, list[date]]:
        """Per branch, the months whose key still lives."""
        ...

    async def destroy(self, branch_id: str, month: date) -> None:
        """Destroy a month's key for good (the row stays, so it is never made again)."""
        ...


class PostgresMonthKeys:
    """The branch-and-month keys, in the service's database. The first use of a month makes its
    key (two replicas asking at once get the same one); destruction keeps the row, keyless."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def key_for(self, branch_id: str, month: date) -> bytes:
        """The key of a branch's month, made on first use. A month's key is made once and read
        thousands of times, so it is read first and made only when it is not there."""
        async with self._pool.acquire() as connection:
            row = await connection.fetchrow(_KEY, branch_id, month)
            if row is None:
                await connection.execute(
                    """
                    INSERT INTO patron_month_keys (branch_id, month, key) VALUES ($1, $2, $3)
                    ON CONFLICT (branch_id, month) DO NOTHING
                    """,
                    branch_id,
                    month,
                    secrets.token_bytes(MONTH_KEY_BYTES),
                )
                row = await connection.fetchrow(_KEY, branch_id, month)
        key: bytes | None = None if row is None else row["key"]
        if key is None:
            raise MonthKeyDestroyed(f"the patron key of {month:%Y-%m} at {branch_id} is destroyed")
        return key

    async def existing_key(self, branch_id: str, month: date) -> bytes | None:
        """The key of a month if it exists and lives (no new key is made)."""
        async with self._pool.acquire() as connection:
            key: bytes | None = await connection.fetchval(
                "SELECT key FROM patron_month_keys WHERE branch_id = $1 AND month = $2",
                branch_id,
                month,
            )
        return key

    async def live_months(self) -> dict[str, list[date]]:
        """Per branch, the months whose key still lives."""
        async with self._pool.acquire() as connection:
            rows = await connection.fetch(
                "SELECT branch_id, month FROM patron_month_keys WHERE key IS NOT NULL"
            )
        months: dict[str, list[date]] = {}
        for row in rows:
            months.setdefault(row["branch_id"], []).append(row["month"])
        return months

    async def destroy(self, branch_id: str, month: date) -> None:
        """Overwrite the key with nothing; PostgreSQL's old row versions are vacuumed away."""
        async with self._pool.acquire() as connection:
            await connection.execute(
                """
                INSERT INTO patron_month_keys (branch_id, month, key, destroyed_at)
                VALUES ($1, $2, NULL, now())
                ON CONFLICT (branch_id, month) DO UPDATE SET key = NULL,
                    destroyed_at = coalesce(patron_month_keys.destroyed_at, now())
                """,
                branch_id,
                month,
            )
