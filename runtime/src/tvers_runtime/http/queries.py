"""Query parameters a route does not know are refused, as unknown body fields are: a typo such as
``?form=2026-01-01`` for ``?from=`` is an error (422), not a silently ignored filter. So is a
parameter that takes one value given several times (``?branch_id=a&branch_id=b``), which would
otherwise quietly mean the last one. Dates and moments in a query are ISO 8601 text, not numbers
(:data:`QueryDate`, :data:`QueryMoment`)."""

from __future__ import annotations

import re
import types
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import AwareDatetime, BeforeValidator


async def refuse_unknown_query_parameters(request: Request) -> None:
    """A dependency for every documented route: 422 for a query parameter it does not take, or
    one of a single value given more than once.

    Pages for people (not in the OpenAPI document) let unknown parameters pass, so that a link
    with a tracking parameter still opens the dashboard.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    known = _query_parameters(route.dependant)
    problems = [
        _problem(name, "Unknown query parameter")
        for name in sorted(set(request.query_params) - set(known))
    ]
    problems += [
        _problem(name, "Given more than once; it takes one value")
        for name, takes_many in sorted(known.items())
        if not takes_many and len(request.query_params.getlist(name)) > 1
    ]
    if problems:
        raise RequestValidationError(problems)


def _problem(name: str, message: str) -> dict[str, Any]:
    return {"type": "extra_forbidden", "loc": ("query", name), "msg": message, "input": None}


def _query_parameters(dependant: Dependant) -> dict[str, bool]:
    """Each query parameter's name, and whether it takes several values."""
    names = {
        param.alias: _takes_many(param.field_info.annotation) for param in dependant.query_params
    }
    for dependency in dependant.dependencies:
        names |= _query_parameters(dependency)
    return names


def _takes_many(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _takes_many(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_takes_many(arg) for arg in get_args(annotation))
    return origin in (list, tuple, set, frozenset, Sequence)


#: A number, as a query parameter's text: pydantic would take it as seconds since 1970.
_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _written_as_a_date(value: Any) -> Any:
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        raise ValueError('give a date or time as ISO 8601 text, e.g. "2026-03-01", not a number')
    return value


#: A date or an aware moment in a query (``?from=2026-03-01``), as ISO 8601 text only. Query
#: parameters are validated from their text in pydantic's lax mode, which takes ``?from=0.0``
#: or ``?from=1700000000`` as seconds since 1970; request bodies are strict already (decision
#: 0017).
QueryDate = Annotated[date, BeforeValidator(_written_as_a_date)]
QueryMoment = Annotated[AwareDatetime, BeforeValidator(_written_as_a_date)]
