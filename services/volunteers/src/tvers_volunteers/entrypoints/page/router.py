"""The one router every route of the page is on: pages, not API routes (out of the OpenAPI
document), each answering its failures with a page, and the page's stylesheet."""

from __future__ import annotations

from tvers_volunteers.entrypoints.page.rendering import SITE

router = SITE.router()
