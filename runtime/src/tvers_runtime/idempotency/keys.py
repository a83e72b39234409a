"""Where the fingerprint of each idempotency key's first request is kept.

A command claims its key before it runs. The first claim of a key stores the request's
fingerprint; a later claim with the same fingerprint is a repeat (the command then finds its own
events, derived from the key, and answers as the first time); a claim with another fingerprint
raises :class:`IdempotencyKeyReused`. Two first uses of one key racing with different requests:
the database's primary key lets exactly one claim, and the other is refused.

A command that is refused (bad input, a rule, a conflict) stores no events and releases its claim,
so that a rejected request changes nothing and the client may correct it and send it again under
the same key.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Protocol

import asyncpg

from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.domain import Conflict

MIGRATIONS = MigrationSource("idempotency", Path(__file__).parent / "migrations")

#: The claim commits without waiting for its WAL to reach the disk: the command's events,
#: committed after it and durably, flush the claim's WAL with theirs. A crash can lose only a
#: claim under which nothing was stored, which is as if it had not been made. So a keyed command
#: pays no second disk flush for its key. ``set_config(..., true)`` lasts for the statement's own
#: transaction, so the claim is one round trip.
_CLAIM = """
    INSERT INTO idempotency_keys (tenant, principal, idempotency_key, fingerprint)
    SELECT $1, $2, $3, $4 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed
    ON CONFLICT (tenant, principal, idempotency_key) DO NOTHING
    RETURNING true
"""
_FINGERPRINT = """
    SELECT fingerprint FROM idempotency_keys
    WHERE tenant = $1 AND principal = $2 AND idempotency_key = $3
"""
_RELEASE = """
    DELETE FROM idempotency_keys
    WHERE tenant = $1 AND principal = $2 AND idempotency_key = $3 AND fingerprint = $4
"""


class IdempotencyKeyReused(Conflict):
    """The Idempotency-Key was first used for another request (another body, target or route)."""

    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            "this Idempotency-Key was already used for another request (another body, target or "
            "route); send a new key for a new request"
        )


class KeyClaim(enum.Enum):
    """The outcome of a claim that was not refused."""

    FIRST = "first"  # this request is the first to use the key
    REPEAT = "repeat"  # the same request used the key before


class IdempotencyKeys(Protocol):
    """Fingerprints of the requests that first used each key, per tenant and caller."""

    async def claim(self, *, tenant: str, principal: str, key: str, fingerprint: str) -> KeyClaim:
        """Bind the key to this request, or recognise the same request again.

        Raises :class:`IdempotencyKeyReused` when the key is bound to another request.
        """
        ...

    async def release(self, *, tenant: str, principal: str, key: str, fingerprint: str) -> None:
        """Unbind a key this request claimed first and then stored nothing under."""
        ...


class InMemoryIdempotencyKeys:
    """Keys in a dict, for unit tests and tools: one process only."""

    def __init__(self) -> None:
        self._fingerprints: dict[tuple[str, str, str], str] = {}

    async def claim(self, *, tenant: str, principal: str, key: str, fingerprint: str) -> KeyClaim:
        """See :meth:`IdempotencyKeys.claim`."""
        known = self._fingerprints.get((tenant, principal, key))
        if known is None:
            self._fingerprints[(tenant, principal, key)] = fingerprint
            return KeyClaim.FIRST
        if known != fingerprint:
            raise IdempotencyKeyReused
        return KeyClaim.REPEAT

    async def release(self, *, tenant: str, principal: str, key: str, fingerprint: str) -> None:
        """See :meth:`IdempotencyKeys.release`."""
        if self._fingerprints.get((tenant, principal, key)) == fingerprint:
            del self._fingerprints[(tenant, principal, key)]


class PostgresIdempotencyKeys:
    """Keys in the service's own database (table ``idempotency_keys``)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def claim(self, *, tenant: str, principal: str, key: str, fingerprint: str) -> KeyClaim:
        """See :meth:`IdempotencyKeys.claim`. Nothing waits inside a transaction that wrote."""
        for _ in range(3):
            if await self._insert(tenant, principal, key, fingerprint):
                return KeyClaim.FIRST
            known = await self._pool.fetchval(_FINGERPRINT, tenant, principal, key)
            if known is None:  # released between the two statements: claim again
                continue
            if known != fingerprint:
                raise IdempotencyKeyReused
            return KeyClaim.REPEAT
        raise IdempotencyKeyReused  # claimed and released over and over by racing requests

    async def _insert(self, tenant: str, principal: str, key: str, fingerprint: str) -> bool:
        return bool(await self._pool.fetchval(_CLAIM, tenant, principal, key, fingerprint))

    async def release(self, *, tenant: str, principal: str, key: str, fingerprint: str) -> None:
        """See :meth:`IdempotencyKeys.release`."""
        await self._pool.execute(_RELEASE, tenant, principal, key, fingerprint)
