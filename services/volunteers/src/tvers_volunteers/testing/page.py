"""Driving the self-service page over HTTP as a browser would, for tests (and the demo): a sign-in
link made by staff, the sign-in form, and the hidden fields every form of the page carries."""

from __future__ import annotations

from urllib.parse import urlsplit
from uuid import UUID

import httpx

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pages import hidden_fields


async def sign_in_link(client: httpx.AsyncClient, volunteer_id: UUID | str) -> str:
    """A volunteer's personal sign-in link, made by staff; its path and query."""
    response = await client.post(
        f"/volunteers/{volunteer_id}/sign-in-link", headers=bearer(Role.STAFF)
    )
    assert response.status_code == 201, response.text
    url = urlsplit(response.json()["url"])
    return f"{url.path}?{url.query}"


def code_of(link: str) -> str:
    """The code a sign-in link carries."""
    return link.partition("token=")[2]


async def sign_in(client: httpx.AsyncClient, volunteer_id: UUID | str) -> None:
    """Sign ``client`` in as the volunteer through a new link (its cookie jar keeps the
    session)."""
    link = await sign_in_link(client, volunteer_id)
    assert (await client.get(link)).status_code == 200
    response = await client.post("/me/sign-in", data={"token": code_of(link)})
    assert response.status_code == 303, response.text


async def form_fields(client: httpx.AsyncClient) -> dict[str, str]:
    """The hidden fields of the signed-in volunteer's page, as its forms send them."""
    page = await client.get("/me")
    assert page.status_code == 200, page.text
    return hidden_fields(page.text)


__all__ = ["code_of", "form_fields", "hidden_fields", "sign_in", "sign_in_link"]
