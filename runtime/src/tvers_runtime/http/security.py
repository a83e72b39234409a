"""Route authorisation: ``Depends(allow(Role.STAFF))`` on every route that is not public.

A missing or invalid token, or one for another service (its ``aud``), gets 401; a valid token of
another role 403. A service with pages may also admit the session of its signed-in pages (a
random cookie, never a token) on safe (GET) requests, so that a signed-in browser can open the
JSON behind a page (see :data:`SESSION_PRINCIPAL`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tvers_runtime.auth import InvalidToken, Principal, Role, Tokens
from tvers_runtime.http.errors import ApiError

#: Where a service with pages keeps how to find the principal of a signed-in page's session
#: (``async (request) -> Principal | None``), so that a browser signed in to its pages may read
#: its JSON API too: on safe methods only, and never with a token in a cookie.
SESSION_PRINCIPAL = "session_principal"
SessionPrincipal = Callable[[Request], Awaitable[Principal | None]]
# Declared so that the OpenAPI documents (and /docs) show the bearer scheme; the token itself is
# read below, so that a page's session works too.
_BEARER = HTTPBearer(
    auto_error=False,
    description="A token for this service, from `tvers token --role ...` (see the README).",
)
_SAFE_METHODS = frozenset({"GET", "HEAD"})


def token_of(request: Request) -> str | None:
    """The bearer token of a request."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return None


async def _session_principal(request: Request) -> Principal | None:
    """The principal of the request's page session, where the service has pages and the method
    is safe."""
    find: SessionPrincipal | None = getattr(request.app.state, SESSION_PRINCIPAL, None)
    if find is None or request.method not in _SAFE_METHODS:
        return None
    return await find(request)


def authenticate(request: Request, token: str) -> Principal:
    """The principal of a token valid for this service; 401 otherwise."""
    tokens: Tokens = request.app.state.tokens
    try:
        return tokens.verify(token, audience=request.app.state.service_name)
    except InvalidToken as error:
        raise ApiError(
            status.HTTP_401_UNAUTHORIZED,
            "unauthorized",
            f"invalid token: {error}",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from error


class Authorise:
    """A dependency admitting only tokens of some roles; it returns the principal."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    async def __call__(
        self,
        request: Request,
        _: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)] = None,
    ) -> Principal:
        """401 without a valid token for this service, 403 with a token of another role."""
        token = token_of(request)
        principal = (
            authenticate(request, token) if token is not None else await _session_principal(request)
        )
        if principal is None:
            raise ApiError(
                status.HTTP_401_UNAUTHORIZED,
                "unauthorized",
                "a bearer token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if principal.role not in self.roles:
            raise ApiError(
                status.HTTP_403_FORBIDDEN,
                "forbidden",
                f"role {principal.role.value!r} may not do this; allowed: "
                + ", ".join(sorted(r.value for r in self.roles)),
            )
        return principal


def allow(*roles: Role) -> Authorise:
    """``Depends(allow(Role.STAFF))``: the route admits these roles only."""
    return Authorise(frozenset(roles))


def roles_of(route: APIRoute) -> frozenset[Role]:
    """The roles a route admits; empty for a public route."""
    guards = [d.call.roles for d in _dependencies(route.dependant) if isinstance(d.call, Authorise)]
    return frozenset.intersection(*guards) if guards else frozenset()


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from _dependencies(dependency)
