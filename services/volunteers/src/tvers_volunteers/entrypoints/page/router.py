"""The one router every route of the page is on: pages, not API routes (out of the OpenAPI
document), each answering its failures with a page (:class:`.rendering.PageRoute`)."""

from __future__ import annotations

from fastapi import APIRouter

from tvers_volunteers.entrypoints.page.rendering import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False)
