"""The vault in the service's own PostgreSQL database: sealed rows, never a plaintext value.

Only ciphertext, wrapped keys and ids reach the database driver, so neither a statement, an error
message from the driver nor PostgreSQL's own log can hold a name or an address.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from uuid import UUID

import asyncpg

from tvers_runtime.domain import NotFound
from tvers_volunteers.adapters.vault.keys import MasterKeys
from tvers_volunteers.adapters.vault.sealing import Sealed, rewrap, seal, unseal
from tvers_volunteers.domain.person import Erased, PersonalData

_KEEP = """
    INSERT INTO volunteer_vault
        (volunteer_id, master_key_id, wrapped_key, ciphertext, request_fingerprint)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (volunteer_id) DO NOTHING
    RETURNING true
"""
_KEPT = "SELECT request_fingerprint, registered FROM volunteer_vault WHERE volunteer_id = $1"
_READ = """
    SELECT master_key_id, wrapped_key, ciphertext, erased_at
    FROM volunteer_vault WHERE volunteer_id = $1
"""
# The row stays, keyless and empty, so that the id is never filled again; erasing twice keeps
# the first moment. A volunteer without a row (there should be none) gets an erased one.
_ERASE = """
    INSERT INTO volunteer_vault (volunteer_id, registered, erased_at) VALUES ($1, true, now())
    ON CONFLICT (volunteer_id) DO UPDATE SET
        master_key_id = NULL, wrapped_key = NULL, ciphertext = NULL, request_fingerprint = NULL,
        registered = true, erased_at = coalesce(volunteer_vault.erased_at, now())
"""
_STALE = """
    SELECT volunteer_id FROM volunteer_vault
    WHERE NOT registered AND kept_at <= now() - $1::interval
    ORDER BY kept_at LIMIT $2
"""
_TO_REWRAP = """
    SELECT volunteer_id, master_key_id, wrapped_key FROM volunteer_vault
    WHERE master_key_id = ANY($1::text[])
    ORDER BY volunteer_id LIMIT $2
    FOR UPDATE SKIP LOCKED
"""


class Keeping(enum.Enum):
    """What :meth:`PostgresVault.keep` found."""

    #: Kept now.
    NEW = "new"
    #: Kept before by the same request, or by a registration already stored.
    KEPT = "kept"
    #: The id holds the data of another request, not yet registered.
    TAKEN = "taken"


class PostgresVault:
    """Volunteers' personal data, sealed per person (:mod:`.sealing`), in ``volunteer_vault``."""

    def __init__(self, pool: asyncpg.Pool, keys: MasterKeys) -> None:
        self._pool = pool
        self._keys = keys

    async def keep(
        self, volunteer_id: UUID, person: PersonalData, *, request: str | None
    ) -> Keeping:
        """Seal and keep a person's data before their registration is stored. ``request`` is
        the registration request's fingerprint (with an idempotency key), to know a repeat."""
        sealed = seal(person, volunteer_id=volunteer_id, keys=self._keys)
        async with self._pool.acquire() as connection:
            kept_now = await connection.fetchval(
                _KEEP,
                volunteer_id,
                sealed.master_key_id,
                sealed.wrapped_key,
                sealed.ciphertext,
                request,
            )
            if kept_now:
                return Keeping.NEW
            row = await connection.fetchrow(_KEPT, volunteer_id)
        if row is None:  # forgotten in between: a stale repeat; let it try again
            return await self.keep(volunteer_id, person, request=request)
        same = request is not None and row["request_fingerprint"] == request
        return Keeping.KEPT if row["registered"] or same else Keeping.TAKEN

    async def confirm(self, volunteer_id: UUID) -> None:
        """The volunteer's registration is stored: the row stays, its request is forgotten."""
        await self._pool.execute(
            """
            UPDATE volunteer_vault SET registered = true, request_fingerprint = NULL
            WHERE volunteer_id = $1 AND NOT registered
            """,
            volunteer_id,
        )

    async def read(self, volunteer_id: UUID) -> PersonalData:
        """The person's data: :class:`~tvers_volunteers.domain.person.Erased` once erased,
        ``NotFound`` when none is kept."""
        row = await self._pool.fetchrow(_READ, volunteer_id)
        if row is None:
            raise NotFound("no personal data is kept for this volunteer")
        if row["erased_at"] is not None:
            raise Erased
        sealed = Sealed(row["master_key_id"], row["wrapped_key"], row["ciphertext"])
        return unseal(sealed, volunteer_id=volunteer_id, keys=self._keys)

    async def erase(self, volunteer_id: UUID) -> None:
        """Destroy the person's wrapped data key and their ciphertext, for good (idempotent)."""
        await self._pool.execute(_ERASE, volunteer_id)

    async def unregistered(self, *, older_than: timedelta, limit: int = 100) -> list[UUID]:
        """Rows kept at least ``older_than`` ago whose registration was never confirmed."""
        rows = await self._pool.fetch(_STALE, older_than, limit)
        return [row["volunteer_id"] for row in rows]

    async def forget(self, volunteer_id: UUID) -> None:
        """Delete an unregistered row outright (the person never became a volunteer)."""
        await self._pool.execute(
            "DELETE FROM volunteer_vault WHERE volunteer_id = $1 AND NOT registered", volunteer_id
        )

    async def rewrap(self, *, batch: int = 100) -> int:
        """Wrap every data key still wrapped by a retired master key with the current one; how
        many. The ciphertexts stay as they are. Safe to run on several replicas at once."""
        retired = self._keys.retired_ids
        done = 0
        while retired:
            async with self._pool.acquire() as connection, connection.transaction():
                rows = await connection.fetch(_TO_REWRAP, retired, batch)
                rewrapped = [
                    (
                        row["volunteer_id"],
                        *rewrap(
                            row["wrapped_key"],
                            master_key_id=row["master_key_id"],
                            volunteer_id=row["volunteer_id"],
                            keys=self._keys,
                        ),
                    )
                    for row in rows
                ]
                await connection.executemany(
                    """
                    UPDATE volunteer_vault SET master_key_id = $2, wrapped_key = $3
                    WHERE volunteer_id = $1
                    """,
                    rewrapped,
                )
            done += len(rows)
            if len(rows) < batch:
                break
        return done

    @property
    def known_master_key_ids(self) -> frozenset[str]:
        """The ids of the master keys this vault was given, current and retired."""
        return frozenset([self._keys.current.key_id, *self._keys.retired_ids])

    async def master_key_ids(self) -> dict[str, int]:
        """How many data keys each master key wraps (to know when a retired one may go)."""
        rows = await self._pool.fetch(
            """
            SELECT master_key_id, count(*) AS wrapped FROM volunteer_vault
            WHERE master_key_id IS NOT NULL GROUP BY master_key_id
            """
        )
        return {row["master_key_id"]: row["wrapped"] for row in rows}
