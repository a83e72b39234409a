"""Driving the self-service page over HTTP as a browser would, for tests (and the demo): a sign-in
link made by staff, the sign-in form, and the hidden fields every form of the page carries."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit
from uuid import UUID

import httpx

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer


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


class _HiddenFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.fields[found["name"] or ""] = found.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden fields of a page's forms (the same in every form of one page)."""
    parser = _HiddenFields()
    parser.feed(html)
    return parser.fields


async def form_fields(client: httpx.AsyncClient) -> dict[str, str]:
    """The hidden fields of the signed-in volunteer's page, as its forms send them."""
    page = await client.get("/me")
    assert page.status_code == 200, page.text
    return hidden_fields(page.text)
