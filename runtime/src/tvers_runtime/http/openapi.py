"""The OpenAPI document says what the services really answer.

FastAPI documents each route's success and a 422 in its own error shape. The services answer
every error with :class:`~tvers_runtime.http.errors.ErrorBody`, so this hook rewrites the
document once, from what each route is:

- every route: 413 (a body over the limit, refused before routing, whatever the method) and 422
  (a query parameter the route does not take);
- a role guard (``Depends(allow(...))``): 401 and 403;
- a request body: 400 (not JSON, or a key given twice);
- a path parameter names something, which may not exist: 404;
- a command (POST, PUT, PATCH, DELETE): 404, 409 and 422, which the domain and the event store
  can give.

A route file names only its success; what it can refuse is derived here, for every service.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from tvers_runtime.http.errors import ErrorBody
from tvers_runtime.http.security import roles_of

COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_REF = "#/components/schemas/{model}"
_WHY = {
    400: "The body is not JSON, or an object in it gives a key twice.",
    401: "No valid token for this service.",
    403: "The token's role (or what it is bound to) may not do this.",
    404: "What the request names does not exist.",
    409: "It conflicts with what is already there, or was changed meanwhile; see `error`.",
    413: "The body is too large (whatever the method).",
    422: "The request is not valid; `detail` says what was wrong.",
}


def possible_errors(route: APIRoute, method: str) -> set[int]:
    """The error statuses a route can answer, from its guard, body, parameters and kind."""
    # The body limit holds for every request, and every route refuses unknown query parameters.
    statuses: set[int] = {413, 422}
    if roles_of(route):
        statuses |= {401, 403}
    if route.body_field is not None:
        statuses.add(400)
    if route.dependant.path_params:
        statuses.add(404)
    if method in COMMAND_METHODS:
        statuses |= {404, 409, 422}
    return statuses


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": _WHY[status],
        "content": {
            "application/json": {"schema": {"$ref": _REF.format(model=ErrorBody.__name__)}}
        },
    }


def _unused_schemas(document: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    text = json.dumps(document.get("paths", {}))
    return [name for name in names if _REF.format(model=name) not in text]


def describe_errors(document: dict[str, Any], routes: list[APIRoute]) -> dict[str, Any]:
    """Add every route's possible errors, in the real error body, to ``document``."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorBody.model_json_schema(ref_template=_REF)
    schemas.update(error_schema.pop("$defs", {}))
    schemas[ErrorBody.__name__] = error_schema
    for route in routes:
        for method in sorted(route.methods or ()):
            operation = document.get("paths", {}).get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            responses.pop("422", None)  # FastAPI's own validation error shape, which we never give
            for status in possible_errors(route, method):
                responses.setdefault(str(status), _error_response(status))
            operation["responses"] = dict(sorted(responses.items()))
    for name in _unused_schemas(document, ("HTTPValidationError", "ValidationError")):
        schemas.pop(name, None)
    return document


def install_openapi(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """Make ``app.openapi()`` (and ``/openapi.json``) describe the real error responses of the
    routes of ``routers`` (included in ``app`` as they are, without a prefix)."""
    generate = app.openapi
    routes = [
        route
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and route.include_in_schema
    ]

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe_errors(generate(), routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
