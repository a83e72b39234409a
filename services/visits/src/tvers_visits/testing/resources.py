"""Writing and finding resource-bank pages through the service's HTTP API, for tests (and the
demo)."""

from __future__ import annotations

from typing import Any

import httpx

from tvers_runtime.auth import Role
from tvers_runtime.natsio import connect_nats
from tvers_runtime.relay.streams import ensure_stream
from tvers_runtime.testing.http import bearer
from tvers_runtime.testing.pipeline import eventually

#: A school librarian's token of Ålesund (bound to a school, as a teacher's is).
LIBRARIAN = bearer(Role.SCHOOL_LIBRARIAN, school_id="aspoy-skule")


def page(slug: str, **changes: Any) -> dict[str, Any]:
    """A new page's body: a programme for class visits unless ``changes`` say otherwise."""
    return {
        "slug": slug,
        "category": "class_visit_programmes",
        "title": "Lånekort for 2. trinn",
        "markdown": "Klassen kjem til biblioteket, og elevane får lånekorta sine.",
        **changes,
    }


async def write_page(
    client: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """Create a page (as a school librarian unless ``headers`` say otherwise); the page."""
    response = await client.post("/resource-pages", json=body, headers=headers or LIBRARIAN)
    assert response.status_code == 201, response.text
    written: dict[str, Any] = response.json()
    return written


async def search(
    client: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The hits of a search."""
    response = await client.get(
        "/resource-search", params={"q": query}, headers=headers or LIBRARIAN
    )
    assert response.status_code == 200, response.text
    hits: list[dict[str, Any]] = response.json()
    return hits


async def listed_at(
    client: httpx.AsyncClient, versions: dict[str, int], headers: dict[str, str] | None = None
) -> None:
    """Wait until the list shows exactly these pages at these versions (the search table
    follows the pages' events within moments)."""

    async def caught_up() -> bool:
        response = await client.get("/resource-pages", headers=headers or LIBRARIAN)
        return {p["slug"]: p["version"] for p in response.json()} == versions

    await eventually(caught_up)


async def streams_exist(nats_url: str) -> None:
    """Make the streams the service's subscribers read, as their owners would: ACCESS (the
    branches) and VISITS (its own pages, for the search table). The subscribers start together,
    once every stream they read exists."""
    owner = await connect_nats(nats_url, name="tests-stream-owners")
    try:
        for service in ("access", "visits"):
            await ensure_stream(owner.jsm(), service)
    finally:
        await owner.close()
