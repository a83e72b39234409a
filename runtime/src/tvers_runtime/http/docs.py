"""The interactive API documentation (``/docs``) and the favicon, served from the installed
packages: nothing is fetched from another site, so the pages work without internet.

Swagger UI's files come from the ``swagger-ui-py`` wheel (Swagger UI 5, which reads the OpenAPI
3.1 documents FastAPI writes). ReDoc is switched off: no package ships it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
FAVICON_PATH = "/favicon.svg"
FAVICON = Path(__file__).parent / "static" / "favicon.svg"


def swagger_ui_files() -> Path:
    """The folder of Swagger UI's JavaScript and CSS in the installed ``swagger-ui-py``."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        raise RuntimeError("swagger-ui-py is not installed")
    return Path(spec.origin).parent / "static"


def docs_router() -> APIRouter:
    """``/docs``, ``/favicon.svg`` and ``/favicon.ico`` (the same SVG), all public."""
    router = APIRouter(include_in_schema=False)

    @router.get(DOCS_PATH)
    async def docs(request: Request) -> HTMLResponse:
        app: FastAPI = request.app
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title}: API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=FAVICON_PATH,
            oauth2_redirect_url=None,
        )

    @router.get(FAVICON_PATH)
    @router.get("/favicon.ico")
    async def favicon() -> FileResponse:
        return FileResponse(FAVICON, media_type="image/svg+xml")

    return router


def install_docs(app: FastAPI) -> APIRouter:
    """Serve the docs and the favicon; returns their router (for the route audit)."""
    router = docs_router()
    app.include_router(router)
    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_ui_files()), name="docs-assets")
    return router
