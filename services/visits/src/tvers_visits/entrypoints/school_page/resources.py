"""The resource bank (decision 0033) on the school's pages, for reading: its pages by category,
a search (Norwegian full text, the words found marked in a snippet), a page as safe HTML, its
history (each version by role and time) and an older version. Teachers and school librarians
alike; writing is :mod:`.editor`'s, for school librarians."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request, Response, status

from tvers_contracts.events.visits import ResourceCategory
from tvers_contracts.values import Slug
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.site import locale_of
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.common import page_context
from tvers_visits.entrypoints.school_page.resource_views import (
    CATEGORY,
    history_line,
    hit_view,
    page_html,
    written_line,
)
from tvers_visits.entrypoints.school_page.session import SignedIn
from tvers_visits.entrypoints.school_page.site import PAGE, SITE, router
from tvers_visits.resource_bank import PageView, ResourceBank

RESOURCES = f"{PAGE}/resources"
#: The longest search, as the JSON API takes it.
MOST_QUERY = 200
#: A version of a page, as the JSON API takes it.
Version = Annotated[int, Path(ge=1, le=2**31 - 1)]


def bank_of(request: Request) -> ResourceBank:
    """The resource bank's use cases, as wired by the bootstrap."""
    bank: ResourceBank = request.app.state.resource_bank
    return bank


async def _context(request: Request, session: PageSession) -> dict[str, Any]:
    _school, context = await page_context(request, session, "resources")
    return context


@router.get(RESOURCES)
async def resources_page(request: Request, session: SignedIn, q: str = "") -> Response:
    """The resource bank's pages by category, and what a search found (``?q=``)."""
    bank, tenant = bank_of(request), session.principal.tenant
    said = SITE.catalogs.translator(locale_of(request))
    context = await _context(request, session)
    query, status_code = q.strip(), status.HTTP_200_OK
    hits = None
    if len(query) > MOST_QUERY or "\x00" in query:
        context["problem"] = Words(texts.SEARCH_TOO_LONG, {"most": str(MOST_QUERY)})
        query, status_code = "", status.HTTP_422_UNPROCESSABLE_CONTENT
    elif query:
        hits = [hit_view(hit, said) for hit in await bank.search(tenant, query)]
    pages = await bank.listing(tenant)
    categories = [
        (category, said(CATEGORY[category]), [p for p in pages if p.category is category])
        for category in ResourceCategory
    ]
    context |= {
        "query": query,
        "hits": hits,
        "categories": [(c.value, label, found) for c, label, found in categories if found],
    }
    return SITE.render(request, "resources.html", context, status_code=status_code)


async def _page(
    request: Request, session: PageSession, view: PageView, *, latest: int | None
) -> Response:
    locale = locale_of(request)
    said = SITE.catalogs.translator(locale)
    context = await _context(request, session)
    context |= {
        "slug": view.slug,
        "title": view.title,
        "category": said(CATEGORY[view.category]),
        "written": written_line(view.version, view.author_role, view.written_at, locale, said),
        "html": page_html(view),
        "old": view.version != latest,
        "latest": latest,
    }
    return SITE.render(request, "resource.html", context)


@router.get(f"{RESOURCES}/{{slug}}")
async def resource_page(request: Request, session: SignedIn, slug: Slug) -> Response:
    """A page of the resource bank as it is now."""
    view = await bank_of(request).page(session.principal.tenant, slug)
    return await _page(request, session, view, latest=view.version)


@router.get(f"{RESOURCES}/{{slug}}/versions/{{version}}")
async def resource_version(
    request: Request, session: SignedIn, slug: Slug, version: Version
) -> Response:
    """An older version of a page, saying which is the latest."""
    bank, tenant = bank_of(request), session.principal.tenant
    view = await bank.version(tenant, slug, version)
    newest = (await bank.history(tenant, slug))[-1]
    return await _page(request, session, view, latest=None if newest.removed else newest.version)


@router.get(f"{RESOURCES}/{{slug}}/history")
async def resource_history(request: Request, session: SignedIn, slug: Slug) -> Response:
    """Every version of a page, the latest first: saved or taken out, by which role, when."""
    entries = await bank_of(request).history(session.principal.tenant, slug)
    locale = locale_of(request)
    said = SITE.catalogs.translator(locale)
    context = await _context(request, session)
    context |= {
        "slug": slug,
        "title": next(e.title for e in reversed(entries) if e.title is not None),
        "removed": entries[-1].removed,
        "versions": [
            (entry.version, history_line(entry, locale, said), not entry.removed)
            for entry in reversed(entries)
        ],
    }
    return SITE.render(request, "resource_history.html", context)
