"""A service refuses to start with an endpoint or dependency FastAPI would run on a worker
thread (a plain ``def``, or a class built per request): every call stays on the event loop."""

from typing import Annotated

import pytest
from fastapi import APIRouter, Depends

from tvers_runtime.http.event_loop_only import require_async_handlers


def plain_dependency() -> int:
    return 1


async def async_dependency() -> int:
    return 1


class Built:
    pass


def router_with(dependency: object) -> APIRouter:
    router = APIRouter()

    @router.get("/here")
    async def here(value: Annotated[object, Depends(dependency)]) -> None:
        del value

    return router


@pytest.mark.parametrize("dependency", [plain_dependency, Built])
def test_a_dependency_that_would_run_on_a_thread_is_refused(dependency: object) -> None:
    with pytest.raises(TypeError, match="worker thread"):
        require_async_handlers([router_with(dependency)])


def test_a_plain_def_endpoint_is_refused() -> None:
    router = APIRouter()

    @router.get("/here")
    def here() -> None:
        return None

    with pytest.raises(TypeError, match=r"/here \(here\)"):
        require_async_handlers([router])


def test_async_endpoints_and_dependencies_pass() -> None:
    require_async_handlers([router_with(async_dependency)])
