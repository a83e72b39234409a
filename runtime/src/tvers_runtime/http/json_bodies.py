"""JSON bodies in which an object gives a key twice are refused (decision 0017).

RFC 8259 leaves such an object's meaning to the parser: Python's ``json`` keeps the last value,
others the first or both, so which branch ``{"branch_id": "giske", "branch_id": "vigra"}``
registers would depend on who reads it (a proxy that checks the first, a service that acts on
the last). Every route with a body is a :class:`JsonBodyRoute`, whose request decodes the body
once, as FastAPI would, with a check of each object's keys (``object_pairs_hook``), and answers
400 ``invalid_json`` naming the key; so does ``NaN`` or ``Infinity``, which
``json`` reads and JSON does not have. The service host refuses a route with a body that is not one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute, APIRouter

from tvers_runtime.http.errors import ApiError


class DuplicateKey(ValueError):
    """A JSON object gave a key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict; :class:`DuplicateKey` when a key comes twice."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return document


class NotJson(ValueError):
    """A document used ``NaN``, ``Infinity`` or ``-Infinity``, which Python's ``json`` reads
    but JSON (RFC 8259) does not have."""

    def __init__(self, constant: str) -> None:
        super().__init__(constant)
        self.constant = constant


def _refuse_constant(constant: str) -> Any:
    raise NotJson(constant)


#: One decoder for every body: ``json.loads`` with a hook would build a new one on each call,
#: which costs more than the hook itself.
_DECODER = json.JSONDecoder(object_pairs_hook=unique_keys, parse_constant=_refuse_constant)


def loads(body: bytes) -> Any:
    """``json.loads(body)``, refusing an object with a key given twice (:class:`DuplicateKey`)
    and the constants JSON does not have (:class:`NotJson`)."""
    return _DECODER.decode(body.decode(json.detect_encoding(body), "surrogatepass"))


class JsonBodyRequest(Request):
    """A request whose JSON body refuses an object with a key given twice."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = loads(await self.body())
            except DuplicateKey as duplicate:
                raise ApiError(
                    400,
                    "invalid_json",
                    f"the key {json.dumps(duplicate.key)} is given twice in one JSON object; "
                    "give each key once",
                ) from None
            except NotJson as not_json:
                raise ApiError(
                    400,
                    "invalid_json",
                    f"{not_json.constant} is not a JSON value (RFC 8259); send a number or null",
                ) from None
        return self._json


class JsonBodyRoute(APIRoute):
    """A route whose JSON body is read by :class:`JsonBodyRequest`; FastAPI decodes it there,
    once, and validates what it gets."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if self.body_field is None:
            return handle

        async def handle_json_body(request: Request) -> Response:
            return await handle(JsonBodyRequest(request.scope, request.receive))

        return handle_json_body


def require_json_body_routes(routers: Iterable[APIRouter]) -> None:
    """Raise TypeError for a route that takes a body but is no :class:`JsonBodyRoute`: its
    router was made without ``route_class=JsonBodyRoute``."""
    for router in routers:
        for route in router.routes:
            if (
                isinstance(route, APIRoute)
                and route.body_field is not None
                and not isinstance(route, JsonBodyRoute)
            ):
                raise TypeError(
                    f"{route.path} ({route.name}) takes a body but would read a key "
                    "given twice without a word: make its router with "
                    "APIRouter(route_class=JsonBodyRoute)"
                )
