"""Use cases of signing in to the volunteer self-service page (decision 0027).

Staff make a **sign-in link** for a volunteer: a random code, single use, valid for
:data:`LINK_LIFETIME`; a new link replaces the volunteer's earlier unused one. Using it opens a
**page session** bound to that one volunteer, for :data:`SESSION_LIFETIME`, with its own token
that every form of the page must carry. Codes and session cookies are kept only as digests.
Nothing here is an event: a session is no fact of the domain, and ids are all it holds.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

import structlog

from tvers_runtime.auth import Principal, Role
from tvers_runtime.clock import Clock, system_clock
from tvers_runtime.pages.sessions import OpenedSession, digest
from tvers_volunteers.adapters.sign_in import LinkHolder, StoredSession
from tvers_volunteers.domain.person import Erased
from tvers_volunteers.domain.volunteer import Standing, Volunteer

log = structlog.get_logger(__name__)
#: How long a sign-in link can be used: long enough for a message sent in the evening to be
#: opened the day after next, short enough that an old message in a mailbox opens nothing.
LINK_LIFETIME = timedelta(hours=72)
#: How long a phone stays signed in: a month of weekly shifts without asking staff again.
SESSION_LIFETIME = timedelta(days=30)
#: Random bytes in a code, a session cookie and a form token.
_SECRET_BYTES = 32


class SignInStore(Protocol):
    """Where links and sessions are kept (``adapters.sign_in.PostgresSignIn``)."""

    async def replace_links(
        self,
        holder: LinkHolder,
        code_digest: bytes,
        *,
        created_at: datetime,
        expires_at: datetime,
    ) -> None: ...

    async def link_holder(self, code_digest: bytes, *, now: datetime) -> LinkHolder | None: ...

    async def redeem(
        self,
        code_digest: bytes,
        session_digest: bytes,
        *,
        form_token: str,
        now: datetime,
        expires_at: datetime,
    ) -> StoredSession | None: ...

    async def session(self, session_digest: bytes, *, now: datetime) -> StoredSession | None: ...

    async def end_session(self, session_digest: bytes) -> None: ...

    async def forget_volunteer(self, volunteer_id: UUID) -> None: ...


class People(Protocol):
    """Where a volunteer's standing is read (``registration.Registration``)."""

    async def volunteer(self, volunteer_id: UUID, *, tenant: str) -> Volunteer: ...


@dataclass(frozen=True)
class SignInLink:
    """A new link's code (for the link only: never logged or kept) and its expiry."""

    code: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class PageSession:
    """A signed-in browser: one volunteer, and the token its forms must carry."""

    tenant: str
    volunteer_id: UUID
    form_token: str = field(repr=False)
    expires_at: datetime
    #: A short reference of the session for logs and for the commands' principal: not the cookie.
    reference: str

    def principal(self) -> Principal:
        """Whom the page's commands run as: a volunteer bound to this one id."""
        return Principal(
            subject=f"volunteer:{self.reference}",
            role=Role.VOLUNTEER,
            tenant=self.tenant,
            volunteer_id=self.volunteer_id,
        )


class SignInCases:
    """Make sign-in links, use them, and keep the page's sessions."""

    def __init__(self, store: SignInStore, *, people: People, clock: Clock = system_clock) -> None:
        self._store = store
        self._people = people
        self._clock = clock

    async def new_link(self, tenant: str, volunteer_id: UUID, *, by: str) -> SignInLink:
        """A sign-in link for a registered volunteer whose data is not erased (``NotFound`` or
        ``Erased`` otherwise); it replaces their earlier unused link."""
        standing = await self._people.volunteer(volunteer_id, tenant=tenant)
        if standing.standing is Standing.ERASED:
            raise Erased
        code = secrets.token_urlsafe(_SECRET_BYTES)
        now = self._clock()
        expires_at = now + LINK_LIFETIME
        await self._store.replace_links(
            LinkHolder(tenant, volunteer_id), digest(code), created_at=now, expires_at=expires_at
        )
        log.info("sign_in_link_created", volunteer_id=str(volunteer_id), by=by)
        return SignInLink(code, expires_at)

    async def link_is_usable(self, code: str) -> bool:
        """Whether a link can still be used (looking does not use it up)."""
        return await self._store.link_holder(digest(code), now=self._clock()) is not None

    async def redeem(self, code: str) -> OpenedSession[PageSession] | None:
        """Use up a link and open a session for its volunteer; None when the link is unknown,
        used, expired, or its volunteer's data has been erased since."""
        now = self._clock()
        holder = await self._store.link_holder(digest(code), now=now)
        if holder is None:
            return None
        standing = await self._people.volunteer(holder.volunteer_id, tenant=holder.tenant)
        if standing.standing is Standing.ERASED:
            await self._store.forget_volunteer(holder.volunteer_id)
            return None
        cookie = secrets.token_urlsafe(_SECRET_BYTES)
        stored = await self._store.redeem(
            digest(code),
            digest(cookie),
            form_token=secrets.token_urlsafe(_SECRET_BYTES),
            now=now,
            expires_at=now + SESSION_LIFETIME,
        )
        if stored is None:  # used by another browser in the meantime
            return None
        session = _session(stored, digest(cookie))
        log.info(
            "page_signed_in", volunteer_id=str(session.volunteer_id), session=session.reference
        )
        return OpenedSession(cookie, session, SESSION_LIFETIME)

    async def session(self, cookie: str) -> PageSession | None:
        """The open session a cookie carries, if any."""
        kept = digest(cookie)
        stored = await self._store.session(kept, now=self._clock())
        return None if stored is None else _session(stored, kept)

    async def sign_out(self, cookie: str) -> None:
        """End the session a cookie carries."""
        await self._store.end_session(digest(cookie))

    async def forget_volunteer(self, volunteer_id: UUID) -> None:
        """End every session and drop every link of a volunteer (they erased themself)."""
        await self._store.forget_volunteer(volunteer_id)


def _session(stored: StoredSession, kept: bytes) -> PageSession:
    return PageSession(
        tenant=stored.tenant,
        volunteer_id=stored.volunteer_id,
        form_token=stored.form_token,
        expires_at=stored.expires_at,
        reference=kept[:4].hex(),
    )
