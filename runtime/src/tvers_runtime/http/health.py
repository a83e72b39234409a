"""``/healthz`` (the process is alive) and ``/readyz`` (its dependencies work), unauthenticated
for probes, and ``/metrics`` for Prometheus. None of them says anything about a person."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from tvers_runtime.http.docs import DOCS_PATH, FAVICON_PATH

Check = Callable[[], Awaitable[bool]]
PUBLIC_PATHS = frozenset(
    {"/healthz", "/readyz", "/metrics", "/openapi.json", DOCS_PATH, FAVICON_PATH, "/favicon.ico"}
)


class Alive(BaseModel):
    """The process answers."""

    status: str


class Readiness(BaseModel):
    """Whether the service can do its work, and each check's result by name. ``degraded``: it
    takes requests, but something in the background (a subscription to another service) does
    not work."""

    status: str
    checks: dict[str, bool]


def health_router(checks: dict[str, Check], degrading: frozenset[str] = frozenset()) -> APIRouter:
    """The three operational routes; ``checks`` decide readiness, by name, except those named in
    ``degrading``: when only they fail the service is ``degraded`` but still ready (a door must
    not be taken out of service because another service's stream is missing)."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> Alive:
        return Alive(status="alive")

    @router.get(
        "/readyz",
        summary="Database, NATS and relay work",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Something it needs does not work."}},
    )
    async def readyz() -> JSONResponse:
        results: dict[str, bool] = {}
        for name, check in checks.items():
            try:
                results[name] = await check()
            except Exception:
                results[name] = False
        ready = all(ok for name, ok in results.items() if name not in degrading)
        whole = all(results.values())
        status = "ready" if whole else "degraded" if ready else "not ready"
        return JSONResponse(
            {"status": status, "checks": results}, status_code=200 if ready else 503
        )

    @router.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=PlainTextResponse,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
