"""Every endpoint and dependency of a service runs on the event loop.

FastAPI runs a plain ``def`` endpoint or dependency on a worker thread: a thread hop per call,
which on the door's hot path cost more than the dependency's whole work, and contention for the
interpreter lock beside it. Nothing here blocks (all I/O is asyncio), so everything is
``async def``, and the service host refuses to start a route that is not.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute


def require_async_handlers(routers: Iterable[APIRouter]) -> None:
    """Raise TypeError for an endpoint or dependency that FastAPI would run on a thread."""
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            for call in (route.dependant.call, *_calls(route.dependant)):
                if call is not None and not _runs_on_the_loop(call):
                    name = getattr(call, "__qualname__", type(call).__qualname__)
                    raise TypeError(
                        f"{route.path} ({route.name}) depends on {name}, which FastAPI would "
                        "run on a worker thread: make it async def"
                    )


def _calls(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def _runs_on_the_loop(call: Any) -> bool:
    if inspect.isclass(call):
        return False  # a class is built by a plain call, on a thread
    target = call if inspect.isroutine(call) else getattr(call, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)
