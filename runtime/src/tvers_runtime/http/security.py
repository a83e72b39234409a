"""Route authorisation: ``Depends(allow(Role.STAFF))`` on every route that is not public.

A missing or invalid token, or one for another service (its ``aud``), gets 401; a valid token of
another role 403. Browsers may carry the token in a cookie (set by the dashboard's sign-in link)
for safe (GET) requests only, so a cross-site form cannot use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tvers_runtime.auth import InvalidToken, Principal, Role, Tokens
from tvers_runtime.http.errors import ApiError

COOKIE = "tvers_token"
# Declared so that the OpenAPI documents (and /docs) show the bearer scheme; the token itself is
# read below, so that the dashboard's cookie works too.
_BEARER = HTTPBearer(
    auto_error=False,
    description="A token for this service, from `tvers token --role ...` (see the README).",
)
_SAFE_METHODS = frozenset({"GET", "HEAD"})


def token_of(request: Request) -> str | None:
    """The bearer token of a request (or its cookie, on safe methods)."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    if request.method in _SAFE_METHODS:
        cookie: str | None = request.cookies.get(COOKIE)
        return cookie
    return None


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
        if token is None:
            raise ApiError(
                status.HTTP_401_UNAUTHORIZED,
                "unauthorized",
                "a bearer token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        principal = authenticate(request, token)
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
