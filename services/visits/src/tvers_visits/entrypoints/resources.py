"""HTTP routes of the resource bank: staff and school librarians write pages, teachers read and
search them too. Every route names the roles that may call it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field

from tvers_contracts.events.visits import AuthorRole, ResourceCategory
from tvers_contracts.events.visits.resources import ResourceMarkdown, ResourceTitle
from tvers_contracts.values import Slug
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.commands import IdempotencyKey, Strict, command_context
from tvers_runtime.http.json_bodies import JsonBodyRoute
from tvers_runtime.http.security import allow
from tvers_visits.domain.resource_page import page_text
from tvers_visits.resource_bank import MOST_RESULTS, PageView, ResourceBank

router = APIRouter(tags=["resource bank"], route_class=JsonBodyRoute)
MOST_VERSION = 2**31 - 1


async def resource_bank(request: Request) -> ResourceBank:
    """The use cases, as wired by the bootstrap."""
    cases: ResourceBank = request.app.state.resource_bank
    return cases


Bank = Annotated[ResourceBank, Depends(resource_bank)]
Writer = Annotated[Principal, Depends(allow(Role.STAFF, Role.SCHOOL_LIBRARIAN))]
Reader = Annotated[Principal, Depends(allow(Role.STAFF, Role.SCHOOL_LIBRARIAN, Role.TEACHER))]
Version = Annotated[int, Field(ge=1, le=MOST_VERSION)]


class PageIn(Strict):
    """A page as a writer writes it. Surrounding spaces of the title are dropped."""

    category: ResourceCategory
    title: ResourceTitle
    markdown: ResourceMarkdown = Field(
        description="Markdown (CommonMark, tables, strikethrough); raw HTML is sanitised when "
        "shown: scripts, iframes, styles, event handlers and javascript: links never are."
    )


class NewPageIn(PageIn):
    slug: Slug = Field(description="The page's address, e.g. lanekort-for-2-trinn; it stays.")


class EditIn(PageIn):
    base_version: Version = Field(
        description="The version this edit was based on (the one the writer read): if the page "
        "was changed after it, nothing is saved and the answer is 409 edit_conflict."
    )


class PageOut(BaseModel):
    slug: str
    version: int
    category: ResourceCategory
    title: str
    markdown: str = Field(description="As written.")
    html: str = Field(description="Safe HTML, to be shown as it is.")
    author_role: AuthorRole = Field(description="Who wrote this version, by role; never a name.")
    written_at: datetime


class PageSummaryOut(BaseModel):
    slug: str
    title: str
    category: ResourceCategory
    version: int
    author_role: AuthorRole
    written_at: datetime


class VersionOut(BaseModel):
    version: int
    removed: bool = Field(description="This version took the page out of the bank.")
    title: str | None
    category: ResourceCategory | None
    author_role: AuthorRole
    written_at: datetime


class RemovedOut(BaseModel):
    slug: str
    version: int = Field(description="The version that is the page's removal.")


class SearchHitOut(BaseModel):
    slug: str
    title: str
    category: ResourceCategory
    snippet: str = Field(description="Safe HTML: the text escaped, the words found in <mark>.")
    rank: float


def page_out(view: PageView) -> PageOut:
    return PageOut.model_validate(view, from_attributes=True)


@router.post("/resource-pages", status_code=status.HTTP_201_CREATED)
async def create_page(
    body: NewPageIn,
    request: Request,
    who: Writer,
    bank: Bank,
    idempotency_key: IdempotencyKey = None,
) -> PageOut:
    """Write a new page (version 1). 409 if the slug is taken."""
    view = await bank.create(
        await command_context(request, who, idempotency_key),
        slug=body.slug,
        text=page_text(body.category, body.title, body.markdown),
        role=AuthorRole(who.role.value),
    )
    return page_out(view)


@router.put("/resource-pages/{slug}")
async def edit_page(
    slug: Slug,
    body: EditIn,
    request: Request,
    who: Writer,
    bank: Bank,
    idempotency_key: IdempotencyKey = None,
) -> PageOut:
    """Save a new version of a page, based on the version the writer read (a removed page is
    written again). The same text again saves nothing and gives the current version. If the
    page was changed after that version, nothing is saved: 409 ``edit_conflict``, whose detail
    says which version was saved by which role and when."""
    view = await bank.edit(
        await command_context(request, who, idempotency_key),
        slug=slug,
        base_version=body.base_version,
        text=page_text(body.category, body.title, body.markdown),
        role=AuthorRole(who.role.value),
    )
    return page_out(view)


@router.delete("/resource-pages/{slug}")
async def remove_page(
    slug: Slug,
    base_version: Annotated[Version, Query(description="The version the writer read.")],
    request: Request,
    who: Writer,
    bank: Bank,
    idempotency_key: IdempotencyKey = None,
) -> RemovedOut:
    """Take a page out of the bank: it is no longer listed, found or shown, but its history
    stays, and an edit on the removal's version writes it again. 409 ``edit_conflict`` if the
    page was changed after the version read."""
    version = await bank.remove(
        await command_context(request, who, idempotency_key),
        slug=slug,
        base_version=base_version,
        role=AuthorRole(who.role.value),
    )
    return RemovedOut(slug=slug, version=version)


@router.get("/resource-pages")
async def list_pages(
    who: Reader,
    bank: Bank,
    category: Annotated[ResourceCategory | None, Query(description="Of this category.")] = None,
) -> list[PageSummaryOut]:
    """The pages (of one category, if asked), by title. A page saved a moment ago shows within
    a second or so."""
    pages = await bank.listing(who.tenant, category)
    return [PageSummaryOut.model_validate(page, from_attributes=True) for page in pages]


@router.get("/resource-pages/{slug}")
async def read_page(slug: Slug, who: Reader, bank: Bank) -> PageOut:
    """A page's latest version, as written and as safe HTML."""
    return page_out(await bank.page(who.tenant, slug))


@router.get("/resource-pages/{slug}/versions")
async def page_history(slug: Slug, who: Reader, bank: Bank) -> list[VersionOut]:
    """Every version of a page, oldest first: what, by which role, when (never by whom)."""
    entries = await bank.history(who.tenant, slug)
    return [VersionOut.model_validate(entry, from_attributes=True) for entry in entries]


@router.get("/resource-pages/{slug}/versions/{version}")
async def read_version(slug: Slug, version: Version, who: Reader, bank: Bank) -> PageOut:
    """One version of a page, as written and as safe HTML."""
    return page_out(await bank.version(who.tenant, slug, version))


@router.get("/resource-search")
async def search_pages(
    who: Reader,
    bank: Bank,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            pattern=r"^[^\x00]*$",
            description='What to look for, as typed: words, "a phrase", or, -not.',
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=MOST_RESULTS)] = 20,
) -> list[SearchHitOut]:
    """Pages whose title or text holds the words, in any inflected form (bibliotek finds
    biblioteket), best first, each with a snippet where they were found."""
    hits = await bank.search(who.tenant, q, limit=limit)
    return [
        SearchHitOut(
            slug=hit.slug,
            title=hit.title,
            category=hit.category,
            snippet=hit.snippet_html,
            rank=hit.rank,
        )
        for hit in hits
    ]
