"""Driving the school page over HTTP as a browser would, for tests: an access code (token) as
the library hands it out, signing in with it, and the page with its forms' hidden fields."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pages import hidden_fields

PAGE = "/skule"


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


async def signed_in_page(client: httpx.AsyncClient, query: str = "") -> str:
    """The signed-in page's HTML."""
    page = await client.get(f"{PAGE}{query}")
    assert page.status_code == 200, page.text
    return page.text


async def form_fields(client: httpx.AsyncClient) -> dict[str, str]:
    """The hidden fields every form of the signed-in page carries."""
    return hidden_fields(await signed_in_page(client))
