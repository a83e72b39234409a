"""What the desk's routes share: the use cases as wired by the bootstrap, and which site a
caller may record at."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, status

from tvers_desk.application import DeskCases
from tvers_runtime.auth import Principal, Role
from tvers_runtime.http.errors import ApiError


async def desk_cases(request: Request) -> DeskCases:
    """The desk's use cases."""
    cases: DeskCases = request.app.state.desk
    return cases


Desk = Annotated[DeskCases, Depends(desk_cases)]


def own_site(who: Principal) -> str | None:
    """The one site a desk token records at; ``None`` for staff, who may record for any."""
    if who.role is not Role.DESK:
        return None
    if who.site_id is None:  # pragma: no cover - a desk token without a site is invalid
        raise ApiError(status.HTTP_403_FORBIDDEN, "forbidden", "this desk token names no site")
    return who.site_id


def check_site(who: Principal, site: str) -> None:
    """403 unless the caller may record at ``site``."""
    own = own_site(who)
    if own is not None and own != site:
        raise ApiError(
            status.HTTP_403_FORBIDDEN,
            "forbidden",
            f"this desk token is for site {own!r}; it cannot record at {site!r}",
        )
