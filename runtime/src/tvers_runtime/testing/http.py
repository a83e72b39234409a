"""Running a service's app in the test process, against real servers, and auditing its routes."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute

from tvers_runtime.auth import SERVICES, Role, Tokens
from tvers_runtime.embedded.ports import free_port
from tvers_runtime.http.health import PUBLIC_PATHS
from tvers_runtime.http.security import roles_of
from tvers_runtime.settings import RuntimeSettings

TEST_KEY = b"test-signing-key-that-is-long-enough-0123456789"
SettingsT = TypeVar("SettingsT", bound=RuntimeSettings)


@contextlib.asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's lifespan (database, NATS, relay ...) and give a client to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client


@contextlib.contextmanager
def serving(app: FastAPI, *, timeout: float = 30.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port, in a thread with its own event loop
    (its lifespan starts the service), for clients outside the test's loop such as a browser.
    Yields the base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_config=None,
            lifespan="on",
            # A browser a test leaves open may hold a live stream (server-sent events) that
            # would keep the server from stopping: close what is still open after a moment.
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise AssertionError("the app did not start serving")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)


def bearer(
    role: Role,
    *,
    tenant: str = "1508",
    audience: Iterable[str] = SERVICES,
    volunteer_id: uuid.UUID | None = None,
    school_id: str | None = None,
    door_id: str | None = None,
    site_id: str | None = None,
    subject: str | None = None,
) -> dict[str, str]:
    """An Authorization header with a token signed by the tests' key. It is for every service
    unless ``audience`` says otherwise, so that tests of roles need not name the service. A desk
    token names its site: Skodje unless ``site_id`` says another."""
    if role is Role.DESK and site_id is None:
        site_id = "skodje"
    token = Tokens(TEST_KEY).issue(
        role,
        tenant=tenant,
        subject=subject,
        audience=audience,
        volunteer_id=volunteer_id,
        school_id=school_id,
        door_id=door_id,
        site_id=site_id,
    )
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class GuardedRoute:
    """A route and the roles it admits."""

    method: str
    path: str
    roles: frozenset[Role]

    def concrete_path(self) -> str:
        """The path with its parameters filled in with plausible values."""
        path = self.path
        while "{" in path:
            start, end = path.index("{"), path.index("}")
            name = path[start + 1 : end]
            value = str(uuid.uuid4()) if name.endswith("shift_id") else "example"
            path = path[:start] + value + path[end + 1 :]
        return path


def guarded_routes(app: FastAPI) -> tuple[list[GuardedRoute], list[str]]:
    """Every route with the roles it admits, and the routes that admit no one in particular
    (which must be the public ones)."""
    guarded: list[GuardedRoute] = []
    unguarded: list[str] = []
    routes = [r for router in app.state.routers for r in router.routes]
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        roles = roles_of(route)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            if roles:
                guarded.append(GuardedRoute(method, route.path, roles))
            else:
                unguarded.append(f"{method} {route.path}")
    return guarded, unguarded


async def assert_every_route_is_guarded(
    app: FastAPI, client: httpx.AsyncClient, *, also_public: frozenset[str] = frozenset()
) -> dict[str, frozenset[Role]]:
    """Every route but the public ones admits named roles only: 401 without a token, with a
    garbled one and with one for another service, 403 with a token of a role it does not admit.
    Returns the routes checked, ``"METHOD /path"``, with the roles each admits."""
    guarded, unguarded = guarded_routes(app)
    public = {f"GET {path}" for path in PUBLIC_PATHS} | also_public
    assert set(unguarded) <= public, f"routes without a role: {set(unguarded) - public}"
    elsewhere = [s for s in SERVICES if s != app.state.service_name]
    for route in guarded:
        path = route.concrete_path()
        admitted = sorted(route.roles)[0]
        refusals = {
            "no token": ({}, 401),
            "garbled token": ({"Authorization": "Bearer not-a-token"}, 401),
            "token for another service": (
                bearer(admitted, audience=elsewhere, door_id="example"),
                401,
            ),
            "token of another role": (
                bearer(next(r for r in Role if r not in route.roles), door_id="example"),
                403,
            ),
        }
        for what, (headers, status) in refusals.items():
            response = await client.request(route.method, path, json={}, headers=headers)
            assert response.status_code == status, f"{route.method} {path}, {what}: {response}"
            assert response.json()["error"] == ("unauthorized" if status == 401 else "forbidden")
    return {f"{r.method} {r.path}": r.roles for r in guarded}


def service_settings(
    kind: type[SettingsT], database_url: str, nats_url: str, **extra: Any
) -> SettingsT:
    """A service's settings for a test: the test's database and NATS, the tests' signing key."""
    return kind(
        database_url=database_url,
        nats_url=nats_url,
        auth_key=TEST_KEY.decode(),
        log_json=True,
        **extra,
    )
