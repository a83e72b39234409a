"""The sessions of a service's pages signed in to with a token, in the service's own PostgreSQL
database (decision 0035): the ``page_sessions`` table.

A session's cookie is a 256-bit random value kept only as its SHA-256 digest, so a copy of the
table signs no one in; the token it was opened with is not kept. Rows past their expiry are
swept whenever a session is opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import asyncpg

from tvers_runtime.auth import Principal, Role
from tvers_runtime.db.migrations import MigrationSource

MIGRATIONS = MigrationSource("page_sessions", Path(__file__).parent / "migrations")

_SWEEP = "DELETE FROM page_sessions WHERE expires_at <= $1"
_KEEP = """
    INSERT INTO page_sessions
        (session_digest, tenant, subject, role, school_id, site_id, form_token, created_at,
         expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
"""
_FIND = """
    SELECT tenant, subject, role, school_id, site_id, form_token, expires_at FROM page_sessions
    WHERE session_digest = $1 AND expires_at > $2
"""
_END = "DELETE FROM page_sessions WHERE session_digest = $1"


@dataclass(frozen=True)
class StoredSession:
    """A session as kept: whom it acts as, the token its forms carry, and until when."""

    principal: Principal
    form_token: str = field(repr=False)
    expires_at: datetime


class PostgresPageSessions:
    """The ``page_sessions`` table."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def open(self, session_digest: bytes, session: StoredSession, *, now: datetime) -> None:
        """Keep a new session (and sweep the expired ones)."""
        who = session.principal
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.execute(_SWEEP, now)
            await connection.execute(
                _KEEP,
                session_digest,
                who.tenant,
                who.subject,
                who.role.value,
                who.school_id,
                who.site_id,
                session.form_token,
                now,
                session.expires_at,
            )

    async def session(self, session_digest: bytes, *, now: datetime) -> StoredSession | None:
        """An open session, or None when there is none (unknown, ended or expired)."""
        row = await self._pool.fetchrow(_FIND, session_digest, now)
        if row is None:
            return None
        who = Principal(
            subject=row["subject"],
            role=Role(row["role"]),
            tenant=row["tenant"],
            school_id=row["school_id"],
            site_id=row["site_id"],
        )
        return StoredSession(who, row["form_token"], row["expires_at"])

    async def end(self, session_digest: bytes) -> None:
        """Close one session (signing out)."""
        await self._pool.execute(_END, session_digest)
