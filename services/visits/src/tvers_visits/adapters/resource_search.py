"""The resource bank's list and search: PostgreSQL full text search with the Norwegian
dictionary, over a table of each page's latest version (``resource_page_search``, decision 0033).

The table is derived data. The subscriber ``visits-resource-search`` writes it from the pages'
events (:func:`apply`, in the subscriber's inbox transaction), and :meth:`catch_up` fills in what
it lacks from the event store at start (after a restore, say). A row is replaced only by a later
version, so neither path can undo the other's newer row.

User text goes through ``websearch_to_tsquery``, which takes anything a person types (quotes,
``or``, ``-word``) and never raises; a query of stop words alone finds nothing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import asyncpg

from tvers_contracts import DomainEvent, Envelope, EventRegistry
from tvers_contracts.events.visits import (
    ResourceCategory,
    ResourcePageRemoved,
    ResourcePageWritten,
)
from tvers_runtime.db.migrations import MigrationSource
from tvers_runtime.db.types import Connection
from tvers_runtime.eventstore.postgres import stored_event
from tvers_visits.adapters.markdown import HIGHLIGHT_END, HIGHLIGHT_START, plain_text

MIGRATIONS = MigrationSource(
    "visits_resource_search", Path(__file__).parent / "resource_search_migrations"
)
#: The most pages a list gives (a municipality's resource bank has some dozens).
MOST_LISTED = 1000

_WRITTEN = """
    INSERT INTO resource_page_search
        (tenant, slug, version, removed, category, title, body, author_role, written_at)
    VALUES ($1, $2, $3, false, $4, $5, $6, $7, $8)
    ON CONFLICT (tenant, slug) DO UPDATE SET
        version = excluded.version, removed = false, category = excluded.category,
        title = excluded.title, body = excluded.body, author_role = excluded.author_role,
        written_at = excluded.written_at
    WHERE resource_page_search.version < excluded.version
"""
_REMOVED = """
    INSERT INTO resource_page_search
        (tenant, slug, version, removed, category, title, body, author_role, written_at)
    VALUES ($1, $2, $3, true, '', '', '', $4, $5)
    ON CONFLICT (tenant, slug) DO UPDATE SET
        version = excluded.version, removed = true, body = '',
        author_role = excluded.author_role, written_at = excluded.written_at
    WHERE resource_page_search.version < excluded.version
"""
_LISTING = """
    SELECT slug, title, category, version, author_role, written_at FROM resource_page_search
    WHERE tenant = $1 AND NOT removed AND ($2::text IS NULL OR category = $2)
    LIMIT $3
"""
# Ranked in the first step, quoted in the second: ts_headline reads a page's whole text, so it
# runs for the pages returned only. ts_rank's normalisation 1 divides by the log of the length,
# so that a long page does not win by its length alone.
_SEARCH = """
    WITH query AS (SELECT websearch_to_tsquery('norwegian', $2) AS words),
    found AS (
        SELECT page.slug, page.title, page.category, page.body,
               ts_rank(page.search_vector, query.words, 1) AS rank
        FROM resource_page_search page, query
        WHERE page.tenant = $1 AND NOT page.removed AND page.search_vector @@ query.words
        ORDER BY rank DESC, page.slug
        LIMIT $3
    )
    SELECT found.slug, found.title, found.category, found.rank,
           ts_headline('norwegian', found.body, query.words, $4) AS snippet
    FROM found, query
    ORDER BY found.rank DESC, found.slug
"""
_HEADLINE = (
    f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", MinWords=12, MaxWords=30, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
# The latest event of each page whose row is missing or older: the store's own column list.
_BEHIND = """
    SELECT latest.tx_id::text AS tx_id_text, latest.global_position, latest.event_id,
           latest.event_type, latest.schema_version, latest.tenant, latest.stream_id,
           latest.stream_version, latest.occurred_at, latest.recorded_at,
           latest.correlation_id, latest.causation_id, latest.payload::text
    FROM (
        SELECT DISTINCT ON (stream_id) * FROM events
        WHERE event_type IN ('ResourcePageWritten', 'ResourcePageRemoved')
        ORDER BY stream_id, stream_version DESC
    ) latest
    LEFT JOIN resource_page_search page
        ON page.tenant = latest.tenant AND page.slug = latest.payload->>'slug'
    WHERE page.version IS NULL OR page.version < latest.stream_version
"""


@dataclass(frozen=True)
class PageSummary:
    """A page in a list: what it is called and its latest version."""

    slug: str
    title: str
    category: ResourceCategory
    version: int
    author_role: str
    written_at: datetime


@dataclass(frozen=True)
class SearchHit:
    """A page that matches a search, with a snippet of its text as safe HTML: the text escaped,
    the words found in ``<mark>``."""

    slug: str
    title: str
    category: ResourceCategory
    snippet_html: str
    rank: float


async def apply(connection: Connection, envelope: Envelope[DomainEvent]) -> None:
    """Take a page's event into the table (the subscriber's effect)."""
    event = envelope.payload
    if isinstance(event, ResourcePageWritten):
        await connection.execute(
            _WRITTEN,
            envelope.tenant,
            event.slug,
            event.version,
            event.category.value,
            event.title,
            plain_text(event.markdown),
            event.author_role.value,
            envelope.occurred_at,
        )
    elif isinstance(event, ResourcePageRemoved):
        await connection.execute(
            _REMOVED,
            envelope.tenant,
            event.slug,
            event.version,
            event.author_role.value,
            envelope.occurred_at,
        )


def snippet_html(headline: str) -> str:
    """A headline of ``ts_headline`` as safe HTML."""
    escaped = html.escape(headline, quote=False)
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")


_NORWEGIAN_LETTERS = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def norwegian_order(title: str) -> str:
    """A sort key that puts æ, ø and å after z, in that order, as Norwegian does."""
    return title.casefold().translate(_NORWEGIAN_LETTERS)


class PostgresResourceSearch:
    """The ``resource_page_search`` table."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def listing(
        self, tenant: str, category: ResourceCategory | None = None
    ) -> list[PageSummary]:
        """The tenant's pages (of one category, if asked), by title."""
        rows = await self._pool.fetch(
            _LISTING, tenant, None if category is None else category.value, MOST_LISTED
        )
        pages = [
            PageSummary(
                row["slug"],
                row["title"],
                ResourceCategory(row["category"]),
                row["version"],
                row["author_role"],
                row["written_at"],
            )
            for row in rows
        ]
        return sorted(pages, key=lambda page: (norwegian_order(page.title), page.slug))

    async def search(self, tenant: str, query: str, *, limit: int) -> list[SearchHit]:
        """The tenant's pages that match ``query``, best first."""
        rows = await self._pool.fetch(_SEARCH, tenant, query, limit, _HEADLINE)
        return [
            SearchHit(
                row["slug"],
                row["title"],
                ResourceCategory(row["category"]),
                snippet_html(row["snippet"]),
                float(row["rank"]),
            )
            for row in rows
        ]

    async def catch_up(self, registry: EventRegistry) -> int:
        """Take in the latest version of every page the table lacks or has an older version
        of; how many pages that was."""
        async with self._pool.acquire() as connection:
            rows = await connection.fetch(_BEHIND)
            for row in rows:
                await apply(connection, stored_event(row).decode(registry))
        return len(rows)
