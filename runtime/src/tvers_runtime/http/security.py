"""Route authorisation: ``Depends(allow(Role.STAFF))`` on every route that is not public.

A missing or invalid token gets 401, a valid token of another role 403. Browsers may carry the
token in a cookie (set by the dashboard's sign-in link) for safe (GET) requests only, so a
cross-site form cannot use it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tvers_runtime.auth import InvalidToken, Principal, Role, Tokens

COOKIE = "tvers_token"
# Declared so that the OpenAPI documents (and /docs) show the bearer scheme; the token itself is
# read below, so that the dashboard's cookie works too.
_BEARER = HTTPBearer(auto_error=False, description="A token from `tvers token --role ...`")
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


class Authorise:
    """A dependency admitting only tokens of some roles; it returns the principal."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    async def __call__(
        self,
        request: Request,
        _: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)] = None,
    ) -> Principal:
        """401 without a valid token, 403 with a token of another role."""
        tokens: Tokens = request.app.state.tokens
        token = token_of(request)
        if token is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "a bearer token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        try:
            principal = tokens.verify(token)
        except InvalidToken as error:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                f"invalid token: {error}",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            ) from error
        if principal.role not in self.roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"role {principal.role.value!r} may not do this; allowed: "
                + ", ".join(sorted(r.value for r in self.roles)),
            )
        return principal


def allow(*roles: Role) -> Authorise:
    """``Depends(allow(Role.STAFF))``: the route admits these roles only."""
    return Authorise(frozenset(roles))
