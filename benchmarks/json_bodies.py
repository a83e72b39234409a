"""What refusing keys given twice and taking JSON as written cost a request (decision 0017).

CPU only, in this process, no servers: each figure is the best of several rounds of many calls,
in microseconds per call, so that it measures the code and not the machine's other work.

- **decode**: ``json.loads`` as FastAPI calls it, against the same with the ``object_pairs_hook``
  that checks each object's keys, for a door's presentation and a week's schedule of 14 periods;
- **validate**: the presentation and the schedule validated as FastAPI does (a ``TypeAdapter``,
  Python mode), by the access service's request model and by a lax twin of it (the same fields on
  the request models' base as it was);
- **request**: a door's presentation through a FastAPI app to a route that only returns, with
  everything above and without (a plain route and the lax twin), called as an ASGI app.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Callable, MutableMapping
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, GetCoreSchemaHandler, TypeAdapter, create_model
from pydantic_core import CoreSchema

from tvers_access.entrypoints.http import PresentationIn, ScheduleIn
from tvers_runtime.http.commands import Strict
from tvers_runtime.http.json_bodies import JsonBodyRoute, loads

Result = dict[str, Any]
PRESENTATION = json.dumps(
    {"card_number": "1508000101", "pin": "2468", "presented_at": "2025-03-04T18:30:00+01:00"}
).encode()
SCHEDULE = json.dumps(
    {
        "periods": [
            {"weekday": day, "starts": starts, "ends": ends, "kind": kind}
            for day in range(1, 8)
            for starts, ends, kind in (("10:00", "16:00", "staffed"), ("16:00", "22:00", "meirope"))
        ]
    }
).encode()
ROUNDS = 7


def per_call_us(call: Callable[[], object], calls: int) -> float:
    """The best of :data:`ROUNDS` rounds of ``calls`` calls, in microseconds per call."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter_ns()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter_ns() - started) / calls / 1000)
    return best


class _Lax(Strict):
    """The request models' base as it was: unknown fields and unstorable text refused, JSON
    types taken leniently."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /
    ) -> CoreSchema:
        return handler(source)


def lax_twin(model: type[BaseModel]) -> type[BaseModel]:
    """``model``'s fields on the request models' base as it was."""
    fields: Any = {name: (f.annotation, f) for name, f in model.model_fields.items()}
    return create_model(f"Lax{model.__name__}", __base__=_Lax, **fields)


def pair(name: str, before: float, after: float) -> list[Result]:
    return [
        {"name": f"{name} (before)", "us_per_call": before},
        {"name": f"{name} (now)", "us_per_call": after, "overhead_us": after - before},
    ]


def decode(scale: float) -> list[Result]:
    calls = max(500, int(20_000 * scale))
    results: list[Result] = []
    for what, body in (("presentation", PRESENTATION), ("schedule of 14 periods", SCHEDULE)):
        before = per_call_us(functools.partial(json.loads, body), calls)
        after = per_call_us(functools.partial(loads, body), calls)
        results += pair(f"json bodies: decode a {what}", before, after)
    return results


def validate(scale: float) -> list[Result]:
    calls = max(500, int(10_000 * scale))
    results: list[Result] = []
    for what, model, body in (
        ("presentation", PresentationIn, PRESENTATION),
        ("schedule of 14 periods", ScheduleIn, SCHEDULE),
    ):
        document = json.loads(body)
        strict: TypeAdapter[Any] = TypeAdapter(model)
        lax: TypeAdapter[Any] = TypeAdapter(lax_twin(model))
        before = per_call_us(functools.partial(lax.validate_python, document), calls)
        after = per_call_us(functools.partial(strict.validate_python, document), calls)
        results += pair(f"json bodies: validate a {what}", before, after)
    return results


def presentation_app(route_class: type[APIRoute], model: type[BaseModel]) -> FastAPI:
    router = APIRouter(route_class=route_class)

    async def present(body: BaseModel) -> None:  # noqa: ARG001
        return None

    present.__annotations__["body"] = model  # the model under test, not a string annotation
    router.add_api_route("/doors/d/presentations", present, methods=["POST"])
    app = FastAPI()
    app.include_router(router)
    return app


async def one_request(app: FastAPI) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/doors/d/presentations",
        "raw_path": b"/doors/d/presentations",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
        "server": ("bench", 80),
        "client": ("bench", 1),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": PRESENTATION, "more_body": False}

    status: list[int] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    assert status == [200], status


def request(scale: float) -> list[Result]:
    calls = max(100, int(2_000 * scale))
    before_app = presentation_app(APIRoute, lax_twin(PresentationIn))
    after_app = presentation_app(JsonBodyRoute, PresentationIn)

    def timed(app: FastAPI) -> float:
        async def many() -> float:
            best = float("inf")
            for _ in range(ROUNDS):
                started = time.perf_counter_ns()
                for _ in range(calls):
                    await one_request(app)
                best = min(best, (time.perf_counter_ns() - started) / calls / 1000)
            return best

        return asyncio.run(many())

    return pair("json bodies: a presentation through FastAPI", timed(before_app), timed(after_app))


def json_bodies(scale: float = 1.0) -> list[Result]:
    """Every figure of this module."""
    return [*decode(scale), *validate(scale), *request(scale)]


if __name__ == "__main__":
    for result in json_bodies():
        overhead = result.get("overhead_us")
        extra = f"  {overhead:+.2f} us" if overhead is not None else ""
        print(f"{result['name']:<60} {result['us_per_call']:8.2f} us{extra}")
