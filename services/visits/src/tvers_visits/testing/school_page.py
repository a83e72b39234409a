"""Driving the school page over HTTP as a browser would, for tests: an access code (token) as
the library hands it out, signing in with it, and the page with its forms' hidden fields; and
what the pages say of a refusal the domain raises."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import httpx
import pytest

from tvers_runtime.auth import Role
from tvers_runtime.domain import DomainError
from tvers_runtime.i18n import Locale
from tvers_runtime.pages import texts as shared
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pages import hidden_fields
from tvers_visits.entrypoints.school_page.site import SITE

PAGE = "/skule"
#: The school's pages: they take no bearer token (a page session says who is signed in), so the
#: checks that every route of the API names its roles leave them out.
PAGE_ROUTES = frozenset(
    {
        "GET /skule",
        "GET /skule/page.css",
        "GET /skule/sign-in",
        "POST /skule/sign-in",
        "POST /skule/sign-out",
        "POST /skule/classes/{grade}/{class_label}/book",
        "POST /skule/visits/{visit_id}/cancel",
        "GET /skule/deposits",
        "POST /skule/deposits",
        "POST /skule/deposits/{deposit_id}/cancel",
        "GET /skule/resources",
        "POST /skule/resources",
        "GET /skule/new-page",
        "GET /skule/resources/{slug}",
        "POST /skule/resources/{slug}",
        "GET /skule/resources/{slug}/edit",
        "GET /skule/resources/{slug}/history",
        "GET /skule/resources/{slug}/versions/{version}",
        "GET /skule/{anything:path}",
    }
)
#: The lines the pages give a refusal they have no words of their own for.
GENERIC = frozenset({shared.NOT_FOUND, shared.NOT_NOW, shared.NOT_ALLOWED})


def access_code(
    role: Role = Role.TEACHER,
    *,
    school_id: str | None = None,
    audience: Sequence[str] = ("visits",),
    tenant: str = "1508",
) -> str:
    """A token signed with the tests' key, as ``tvers token`` prints it: for the visits service
    unless ``audience`` says otherwise."""
    header = bearer(role, school_id=school_id, audience=audience, tenant=tenant)
    return header["Authorization"].removeprefix("Bearer ")


async def sign_in(client: httpx.AsyncClient, code: str) -> httpx.Response:
    """Paste the access code into the sign-in form (the client's cookie jar keeps the
    session)."""
    return await client.post(f"{PAGE}/sign-in", data={"token": code})


async def signed_in_page(client: httpx.AsyncClient, query: str = "", *, path: str = PAGE) -> str:
    """A signed-in page's HTML (the school's page unless ``path`` names another)."""
    page = await client.get(f"{path}{query}")
    assert page.status_code == 200, page.text
    return page.text


async def form_fields(client: httpx.AsyncClient, path: str = PAGE) -> dict[str, str]:
    """The hidden fields every form of a signed-in page carries."""
    return hidden_fields(await signed_in_page(client, path=path))


def refusal(decide: Callable[[], object]) -> DomainError:
    """The refusal ``decide`` raises (the test fails if it raises none)."""
    with pytest.raises(DomainError) as raised:
        decide()
    return raised.value


def said(error: DomainError, locale: Locale = Locale.NN) -> str:
    """What the school's pages say of a refusal of the domain: in their own words (the test
    fails on a generic line, as for a reworded domain message)."""
    words = SITE.refusals.words_for(error, locale)
    assert words.message not in GENERIC, error.message
    return words.text(SITE.catalogs.translator(locale))
