"""Sign-in links and page sessions of the volunteer self-service page, in the service's own
PostgreSQL database (decision 0027).

Codes and session cookies are kept only as SHA-256 digests (they are 256-bit random values, so a
plain digest cannot be reversed or guessed), so a copy of these tables signs no one in. A link is
single use: using it deletes its row in the same statement that reads it, so two browsers opening
one link cannot both sign in. Rows past their expiry are swept whenever a new link or session is
made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from uuid import UUID

import asyncpg

from tvers_runtime.db.migrations import MigrationSource

MIGRATIONS = MigrationSource("volunteer_sign_in", Path(__file__).parent / "sign_in_migrations")

_SWEEP_LINKS = "DELETE FROM volunteer_sign_in_links WHERE expires_at <= $1"
_SWEEP_SESSIONS = "DELETE FROM volunteer_page_sessions WHERE expires_at <= $1"
_FORGET_LINKS = "DELETE FROM volunteer_sign_in_links WHERE volunteer_id = $1"
_FORGET_SESSIONS = "DELETE FROM volunteer_page_sessions WHERE volunteer_id = $1"
_KEEP_LINK = """
    INSERT INTO volunteer_sign_in_links (code_digest, tenant, volunteer_id, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5)
"""
_FIND_LINK = """
    SELECT tenant, volunteer_id FROM volunteer_sign_in_links
    WHERE code_digest = $1 AND expires_at > $2
"""
_TAKE_LINK = """
    DELETE FROM volunteer_sign_in_links WHERE code_digest = $1
    RETURNING tenant, volunteer_id, expires_at
"""
_KEEP_SESSION = """
    INSERT INTO volunteer_page_sessions
        (session_digest, tenant, volunteer_id, form_token, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6)
"""
_FIND_SESSION = """
    SELECT tenant, volunteer_id, form_token, expires_at FROM volunteer_page_sessions
    WHERE session_digest = $1 AND expires_at > $2
"""
_END_SESSION = "DELETE FROM volunteer_page_sessions WHERE session_digest = $1"


@dataclass(frozen=True)
class LinkHolder:
    """Whom a sign-in link is for."""

    tenant: str
    volunteer_id: UUID


@dataclass(frozen=True)
class StoredSession:
    """A page session as kept: whose it is, the token its forms carry, and until when."""

    tenant: str
    volunteer_id: UUID
    form_token: str = field(repr=False)
    expires_at: datetime


class PostgresSignIn:
    """The ``volunteer_sign_in_links`` and ``volunteer_page_sessions`` tables."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def replace_links(
        self,
        holder: LinkHolder,
        code_digest: bytes,
        *,
        created_at: datetime,
        expires_at: datetime,
    ) -> None:
        """Keep a new link for the volunteer, in place of any earlier one not yet used."""
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.execute(_SWEEP_LINKS, created_at)
            await connection.execute(_FORGET_LINKS, holder.volunteer_id)
            await connection.execute(
                _KEEP_LINK,
                code_digest,
                holder.tenant,
                holder.volunteer_id,
                created_at,
                expires_at,
            )

    async def link_holder(self, code_digest: bytes, *, now: datetime) -> LinkHolder | None:
        """Whom an unused, unexpired link is for (the link stays usable)."""
        row = await self._pool.fetchrow(_FIND_LINK, code_digest, now)
        return None if row is None else LinkHolder(row["tenant"], row["volunteer_id"])

    async def redeem(
        self,
        code_digest: bytes,
        session_digest: bytes,
        *,
        form_token: str,
        now: datetime,
        expires_at: datetime,
    ) -> StoredSession | None:
        """Use up a link and open a session for its volunteer, in one transaction; None (and
        nothing opened) when the link is unknown, used or expired."""
        async with self._pool.acquire() as connection, connection.transaction():
            link = await connection.fetchrow(_TAKE_LINK, code_digest)
            if link is None or link["expires_at"] <= now:
                return None
            await connection.execute(_SWEEP_SESSIONS, now)
            await connection.execute(
                _KEEP_SESSION,
                session_digest,
                link["tenant"],
                link["volunteer_id"],
                form_token,
                now,
                expires_at,
            )
        return StoredSession(link["tenant"], link["volunteer_id"], form_token, expires_at)

    async def session(self, session_digest: bytes, *, now: datetime) -> StoredSession | None:
        """An open session, or None when there is none (unknown, ended or expired)."""
        row = await self._pool.fetchrow(_FIND_SESSION, session_digest, now)
        if row is None:
            return None
        return StoredSession(
            row["tenant"], row["volunteer_id"], row["form_token"], row["expires_at"]
        )

    async def end_session(self, session_digest: bytes) -> None:
        """Close one session (signing out)."""
        await self._pool.execute(_END_SESSION, session_digest)

    async def forget_volunteer(self, volunteer_id: UUID) -> None:
        """Close every session and drop every link of a volunteer (on erasure)."""
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.execute(_FORGET_SESSIONS, volunteer_id)
            await connection.execute(_FORGET_LINKS, volunteer_id)
