"""Query parameters a route does not know are refused, as unknown body fields are: a typo such as
``?form=2026-01-01`` for ``?from=`` is an error (422), not a silently ignored filter."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


async def refuse_unknown_query_parameters(request: Request) -> None:
    """A dependency for every documented route: 422 for a query parameter it does not take.

    Pages for people (not in the OpenAPI document) let unknown parameters pass, so that a link
    with a tracking parameter still opens the dashboard.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    known = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": "Unknown query parameter",
                    "input": None,
                }
                for name in unknown
            ]
        )


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names
