"""Driving the desk page over HTTP as a browser would, for tests: an access code as the library
hands it out, signing in with it, the page's hidden fields, and a record by the form."""

from __future__ import annotations

from typing import Any

import httpx

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pages import hidden_fields

PAGE = "/desk"
SESSION_COOKIE = "tvers_desk_session"
#: The desk's pages: they take no bearer token (a page session says who is signed in), so the
#: checks that every route of the API names its roles leave them out.
PAGE_ROUTES = frozenset(
    {
        "GET /",
        "GET /desk",
        "GET /desk/page.css",
        "GET /desk/desk.js",
        "GET /desk/sign-in",
        "POST /desk/sign-in",
        "POST /desk/sign-out",
        "POST /desk/help",
        "POST /desk/help/{help_id}/undo",
        "GET /desk/{anything:path}",
    }
)
#: Printing help the library gave, as the page's form sends it (two taps: a category, then a
#: duration band; the channel as it stands, no referral).
PRINTING_BY_FORM: dict[str, str] = {
    "department": "library",
    "category": "printing-scanning",
    "channel": "in_person",
    "referred_to": "",
    "duration": "under_5_minutes",
}


def access_code(role: Role = Role.DESK, *, site_id: str | None = None) -> str:
    """A token for the desk service signed with the tests' key, as ``tvers token`` prints it (a
    desk's names Skodje unless ``site_id`` says another)."""
    header = bearer(role, site_id=site_id, audience=("desk",))
    return header["Authorization"].removeprefix("Bearer ")


async def sign_in(client: httpx.AsyncClient, code: str) -> httpx.Response:
    """Paste the access code into the sign-in form (the client's cookie jar keeps the session)."""
    return await client.post(f"{PAGE}/sign-in", data={"token": code})


async def form_fields(client: httpx.AsyncClient) -> dict[str, str]:
    """The hidden fields the signed-in page's forms carry (a desk's site among them)."""
    page = await client.get(PAGE)
    assert page.status_code == 200, page.text
    return hidden_fields(page.text)


async def record_by_form(client: httpx.AsyncClient, **changes: Any) -> httpx.Response:
    """Send the record form of a freshly loaded page, with ``changes`` to the printing help."""
    fields = {**await form_fields(client), **PRINTING_BY_FORM, **changes}
    return await client.post(f"{PAGE}/help", data=fields)
