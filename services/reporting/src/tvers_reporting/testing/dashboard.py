"""Driving the dashboard's pages in tests: its routes, and signing in as a viewer."""

from __future__ import annotations

import httpx

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer

#: The dashboard's pages: they take no bearer token (a page session says who is signed in), so
#: the checks that every route of the API names its roles leave them out.
PAGE_ROUTES = frozenset(
    {
        "GET /",
        "GET /panels",
        "GET /live",
        "GET /page.css",
        "GET /dashboard.js",
        "GET /sign-in",
        "POST /sign-in",
        "POST /sign-out",
    }
)
SESSION_COOKIE = "tvers_dashboard_session"


def viewer_token(tenant: str = "1508") -> str:
    """A viewer's access code for the dashboard."""
    header = bearer(Role.VIEWER, tenant=tenant, audience=["reporting"])["Authorization"]
    return header.removeprefix("Bearer ")


async def sign_in(client: httpx.AsyncClient, token: str | None = None) -> httpx.Response:
    """Sign in by the form, as a person pasting the code would; the client keeps the cookie."""
    return await client.post("/sign-in", data={"token": token or viewer_token()})
