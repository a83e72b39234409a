"""The routes of a service's pages: a router whose every route answers its failures with a page
(never JSON or a stack trace), the stylesheet served from the packages, and "nothing here" for
any other address under the pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.routing import APIRoute

from tvers_runtime.pages import texts
from tvers_runtime.pages.problems import PageProblem

#: What a page says when its route failed.
FailurePage = Callable[[Request, Exception], Response]


def page_router(failure_page: FailurePage) -> APIRouter:
    """A router of pages, out of the OpenAPI document, whose routes answer every failure with
    ``failure_page``."""

    class PageRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handle = super().get_route_handler()

            async def handle_page(request: Request) -> Response:
                try:
                    return await handle(request)
                except Exception as error:
                    return failure_page(request, error)

            return handle_page

    return APIRouter(route_class=PageRoute, include_in_schema=False)


def add_stylesheet(router: APIRouter, path: str, stylesheet: bytes) -> None:
    """Serve the pages' stylesheet at ``path`` (its address carries its content's hash, so
    browsers may keep it for a day)."""

    async def serve_stylesheet() -> Response:
        return Response(
            stylesheet,
            media_type="text/css",
            headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
        )

    router.add_api_route(path, serve_stylesheet, methods=["GET"])


def add_nothing_here(router: APIRouter, root: str) -> None:
    """Answer any other address under ``root`` with a "nothing here" page."""

    async def nothing_here(anything: str) -> Response:
        del anything
        raise PageProblem(status.HTTP_404_NOT_FOUND, texts.NOTHING_HERE)

    router.add_api_route(f"{root}/{{anything:path}}", nothing_here, methods=["GET"])
