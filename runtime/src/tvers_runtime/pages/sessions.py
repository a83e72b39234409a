"""Signing in to a service's pages with a token pasted once, and the sessions that opens
(decision 0035).

The person pastes the token they were given (``tvers token --role teacher --school-id ...``) into
the sign-in form. It must be valid for this service and of a role the pages admit. A **session**
is then opened, for :data:`SESSION_LIFETIME` at most and never past the token's own expiry, and
the browser keeps only a random cookie that refers to it: the token itself is kept nowhere, the
cookie is no token for the JSON API, and signing out ends the session for good. Every form of
the signed-in pages carries the session's own form token. A session is no fact of the domain:
nothing here is an event.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

import structlog

from tvers_runtime.auth import Principal, Role, Tokens
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.pages.session_store import StoredSession

log = structlog.get_logger(__name__)
#: How long a browser stays signed in at most: a working day. Teachers book a class's visit a
#: couple of times a year, often on a shared staff-room computer; a long session would serve
#: them little and the next person at that computer much.
SESSION_LIFETIME = timedelta(hours=12)
#: Random bytes in a session cookie and a form token.
_SECRET_BYTES = 32
SessionT = TypeVar("SessionT")


class SessionStore(Protocol):
    """Where sessions are kept (:class:`.session_store.PostgresPageSessions`)."""

    async def open(self, session_digest: bytes, session: StoredSession, *, now: datetime) -> None:
        """Keep a new session."""

    async def session(self, session_digest: bytes, *, now: datetime) -> StoredSession | None:
        """An open session."""

    async def end(self, session_digest: bytes) -> None:
        """Close one session."""


class RoleNotAdmitted(Exception):
    """A valid token of a role the pages are not for."""

    def __init__(self, role: Role) -> None:
        super().__init__(f"the pages are not for role {role.value!r}")
        self.role = role


@dataclass(frozen=True)
class PageSession:
    """A signed-in browser: whom it acts as, and the token its forms must carry."""

    principal: Principal
    form_token: str = field(repr=False)
    expires_at: datetime
    #: A short reference of the session for logs: not the cookie.
    reference: str


@dataclass(frozen=True)
class OpenedSession(Generic[SessionT]):
    """A session just opened, with the cookie that carries it (for the browser only)."""

    cookie: str = field(repr=False)
    session: SessionT
    #: How long it lasts from now.
    lasts: timedelta


def digest(secret: str) -> bytes:
    """How a cookie (or any other random code) is kept and looked up: a 256-bit random value's
    SHA-256 digest cannot be reversed or guessed, so a copy of what is kept signs no one in."""
    return hashlib.sha256(secret.encode()).digest()


class TokenSessions:
    """Verify a pasted token, and keep the sessions of the pages it signs in to."""

    def __init__(
        self,
        store: SessionStore,
        tokens: Tokens,
        *,
        audience: str,
        roles: frozenset[Role],
        clock: Clock = system_clock,
        lifetime: timedelta = SESSION_LIFETIME,
    ) -> None:
        self._store = store
        self._tokens = tokens
        self._audience = audience
        self._roles = roles
        self._clock = clock
        self._lifetime = lifetime

    def verify(self, token: str) -> tuple[Principal, timedelta]:
        """Whom a token is for and how long it stays valid: :class:`InvalidToken` for one not
        valid for this service, :class:`RoleNotAdmitted` for one of another role."""
        principal, seconds = self._tokens.valid_for(token, audience=self._audience)
        if principal.role not in self._roles:
            raise RoleNotAdmitted(principal.role)
        return principal, timedelta(seconds=seconds)

    async def open(self, principal: Principal, token_left: timedelta) -> OpenedSession[PageSession]:
        """Open a session acting as ``principal`` (from :meth:`verify`), ending when the token
        would, or sooner."""
        now = self._clock()
        cookie = secrets.token_urlsafe(_SECRET_BYTES)
        kept = digest(cookie)
        lasts = min(self._lifetime, token_left)
        stored = StoredSession(principal, secrets.token_urlsafe(_SECRET_BYTES), now + lasts)
        await self._store.open(kept, stored, now=now)
        session = _session(stored, kept)
        log.info(
            "page_signed_in",
            subject=principal.subject,
            role=principal.role.value,
            school_id=principal.school_id,
            session=session.reference,
        )
        return OpenedSession(cookie, session, lasts)

    async def session(self, cookie: str) -> PageSession | None:
        """The open session a cookie carries, if any."""
        kept = digest(cookie)
        stored = await self._store.session(kept, now=self._clock())
        return None if stored is None else _session(stored, kept)

    async def sign_out(self, cookie: str) -> None:
        """End the session a cookie carries."""
        await self._store.end(digest(cookie))


def _session(stored: StoredSession, kept: bytes) -> PageSession:
    return PageSession(stored.principal, stored.form_token, stored.expires_at, kept[:4].hex())
