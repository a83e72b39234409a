"""Use cases of the resource bank: staff and school librarians write, edit and remove pages;
they and teachers read them, their history and their old versions, list them and search them.

A page is read from its stream (always its latest version, at once); lists and searches come
from the search table, which follows the pages' events within moments (decision 0033). Pages
are shown as safe HTML rendered here, so that an HTML page built on these use cases gets the
same safe rendering as the JSON API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tvers_contracts import DomainEvent, EventRegistry
from tvers_contracts.events.visits import (
    AuthorRole,
    ResourceCategory,
    ResourcePageRemoved,
    ResourcePageWritten,
)
from tvers_runtime.application import CommandContext, UseCases
from tvers_runtime.clock import Clock
from tvers_runtime.domain import NotFound
from tvers_runtime.eventstore import EventStore, StoredEvent
from tvers_runtime.idempotency import IdempotencyKeys
from tvers_visits.adapters.markdown import render_html
from tvers_visits.adapters.resource_search import PageSummary, SearchHit
from tvers_visits.domain import resource_page
from tvers_visits.domain.resource_page import NO_PAGE, EditConflict, PageText, ResourcePage

#: The most results a search gives.
MOST_RESULTS = 50


class PageSearch(Protocol):
    """Where pages are listed and searched (``adapters.resource_search``)."""

    async def listing(
        self, tenant: str, category: ResourceCategory | None = None
    ) -> list[PageSummary]: ...

    async def search(self, tenant: str, query: str, *, limit: int) -> list[SearchHit]: ...


@dataclass(frozen=True)
class PageView:
    """One version of a page, as written and as safe HTML."""

    slug: str
    version: int
    category: ResourceCategory
    title: str
    markdown: str
    html: str
    author_role: AuthorRole
    written_at: datetime


@dataclass(frozen=True)
class VersionEntry:
    """A version in a page's history: who (by role) did what, when. A removal has no title."""

    version: int
    removed: bool
    title: str | None
    category: ResourceCategory | None
    author_role: AuthorRole
    written_at: datetime


class ResourceBank(UseCases):
    """Use cases of the resource bank."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        search: PageSearch,
        *,
        render: Callable[[str], str] = render_html,
        keys: IdempotencyKeys | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(store, registry, keys=keys, clock=clock)
        self._search = search
        self._render = render

    async def create(
        self, context: CommandContext, *, slug: str, text: PageText, role: AuthorRole
    ) -> PageView:
        """Write version 1 of a new page; the page as stored."""
        outcome = await self.execute(
            context,
            resource_page.stream(context.tenant, slug),
            NO_PAGE,
            resource_page.evolve,
            lambda page: resource_page.create(page, slug=slug, text=text, role=role),
        )
        return await self.version(context.tenant, slug, outcome.stream_version)

    async def edit(
        self,
        context: CommandContext,
        *,
        slug: str,
        base_version: int,
        text: PageText,
        role: AuthorRole,
    ) -> PageView:
        """Save a new version of a page, based on ``base_version``; the page as it now stands.
        Raises :class:`EditConflict` (saying who saved which version when) if the page changed
        after ``base_version``."""
        outcome = await self._changed(
            context,
            slug,
            lambda page: resource_page.edit(
                page, slug=slug, base_version=base_version, text=text, role=role
            ),
        )
        return await self.version(context.tenant, slug, outcome)

    async def remove(
        self, context: CommandContext, *, slug: str, base_version: int, role: AuthorRole
    ) -> int:
        """Take a page out of the bank, based on ``base_version``; the version of its removal.
        Its history stays, and editing it (on that version) writes it again."""
        return await self._changed(
            context,
            slug,
            lambda page: resource_page.remove(
                page, slug=slug, base_version=base_version, role=role
            ),
        )

    async def _changed(
        self,
        context: CommandContext,
        slug: str,
        decide: Callable[[ResourcePage], list[DomainEvent]],
    ) -> int:
        stream = resource_page.stream(context.tenant, slug)
        try:
            outcome = await self.execute(context, stream, NO_PAGE, resource_page.evolve, decide)
        except EditConflict as conflict:
            current = await self._stored(context.tenant, slug, conflict.current_version)
            raise conflict.at(current.occurred_at) from None
        return outcome.stream_version

    async def page(self, tenant: str, slug: str) -> PageView:
        """The page's latest version; ``NotFound`` if there is none, or it was removed."""
        events = await self._events(tenant, slug)
        if not events:
            raise NotFound(f"no page {slug!r}")
        latest = events[-1]
        if isinstance(latest.decode_payload(self._registry), ResourcePageRemoved):
            raise NotFound(
                f"page {slug!r} was removed in version {latest.stream_version}; its history "
                "is still there"
            )
        return self._view(latest)

    async def version(self, tenant: str, slug: str, version: int) -> PageView:
        """One version of the page; ``NotFound`` if it has no such version, or that version is
        its removal."""
        stored = await self._stored(tenant, slug, version)
        if isinstance(stored.decode_payload(self._registry), ResourcePageRemoved):
            raise NotFound(f"version {version} of page {slug!r} is its removal: it has no text")
        return self._view(stored)

    async def history(self, tenant: str, slug: str) -> list[VersionEntry]:
        """Every version of the page, oldest first; ``NotFound`` if it was never written."""
        events = await self._events(tenant, slug)
        if not events:
            raise NotFound(f"no page {slug!r}")
        return [self._entry(stored) for stored in events]

    async def listing(
        self, tenant: str, category: ResourceCategory | None = None
    ) -> list[PageSummary]:
        """The pages (of one category, if asked), by title."""
        return await self._search.listing(tenant, category)

    async def search(self, tenant: str, query: str, *, limit: int = 20) -> list[SearchHit]:
        """The pages that match what a person typed, best first. Words match their inflected
        forms (``bibliotek`` finds ``biblioteket``)."""
        return await self._search.search(tenant, query, limit=max(1, min(limit, MOST_RESULTS)))

    async def _events(self, tenant: str, slug: str) -> list[StoredEvent]:
        stored = await self._store.read_stream(resource_page.stream(tenant, slug))
        return [event for event in stored if event.tenant == tenant]

    async def _stored(self, tenant: str, slug: str, version: int) -> StoredEvent:
        found = await self._store.read_stream(
            resource_page.stream(tenant, slug), after_version=version - 1
        )
        if not found or found[0].stream_version != version or found[0].tenant != tenant:
            raise NotFound(f"page {slug!r} has no version {version}")
        return found[0]

    def _view(self, stored: StoredEvent) -> PageView:
        event = stored.decode_payload(self._registry)
        assert isinstance(event, ResourcePageWritten)
        return PageView(
            slug=event.slug,
            version=stored.stream_version,
            category=event.category,
            title=event.title,
            markdown=event.markdown,
            html=self._render(event.markdown),
            author_role=event.author_role,
            written_at=stored.occurred_at,
        )

    def _entry(self, stored: StoredEvent) -> VersionEntry:
        event = stored.decode_payload(self._registry)
        if isinstance(event, ResourcePageWritten):
            return VersionEntry(
                stored.stream_version,
                False,
                event.title,
                event.category,
                event.author_role,
                stored.occurred_at,
            )
        assert isinstance(event, ResourcePageRemoved)
        return VersionEntry(
            stored.stream_version, True, None, None, event.author_role, stored.occurred_at
        )
